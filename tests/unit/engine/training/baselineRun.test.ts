import { describe, expect, it } from 'vitest';
import { evaluateHeldOut, planHeldOutEvaluation } from '../../../../src/engine/evaluation/heldOutEvaluation';
import { resolveEaseSettings } from '../../../../src/engine/baselines/easeSettings';
import { resolveIalsSettings } from '../../../../src/engine/baselines/ialsSettings';
import { baselineScorer, fitBaseline, type BaselineSpec } from '../../../../src/engine/training/baselineRun';
import { selectionScore } from '../../../../src/engine/training/trainingRun';
import { plantedSplit } from '../fixtures';

const split = plantedSplit(60, 120, 4, 12, 3);
const evaluation = planHeldOutEvaluation(split, { perUser: 99 });
const evaluateRun = (run: Parameters<typeof baselineScorer>[0]) => {
  const scorer = baselineScorer(run);
  return evaluateHeldOut(evaluation, { scoreUser: (user, out) => scorer.scoreUser(user, out) });
};

function fit(spec: BaselineSpec) {
  const steps: number[] = [];
  const progress: number[] = [];
  const run = fitBaseline(spec, split, evaluation, { onStep: (r) => steps.push(r.epoch), onProgress: (f) => progress.push(f) });
  return { run, steps, progress };
}

describe('fitBaseline', () => {
  it('ItemPop: one step, kept as it is', () => {
    const { run, steps } = fit({ kind: 'itempop' });
    expect(steps).toEqual([1]);
    expect(run.bestStep).toBe(1);
    expect(run.steps[0].loss).toBeNull();
  });

  it('EASE: one step per λ, keeps the λ that ranks validation best, and its scorer gives that step’s figures again', () => {
    const lambdas = [1, 30, 1e6];
    const { run, steps, progress } = fit({ kind: 'ease', settings: resolveEaseSettings(), lambdas });
    expect(steps).toEqual([1, 2, 3]);
    expect(run.steps.map((s) => s.setting)).toEqual(['λ 1', 'λ 30', 'λ 1000000']);
    const scores = run.steps.map((s) => selectionScore(s));
    expect(run.bestStep).toBe(scores.indexOf(Math.max(...scores)) + 1);
    // A huge λ shrinks every weight towards nothing: it must not be the one kept on this planted structure.
    expect(run.bestStep).not.toBe(3);
    expect(progress.at(-1)).toBeCloseTo(1, 6);
    const again = evaluateRun(run);
    const chosen = run.steps[run.bestStep - 1];
    expect(again.valNdcg10).toBe(chosen.valNdcg10);
    expect(again.fullHr10).toBe(chosen.fullHr10);
    // Learns the planted groups: far above the 0.1 of chance among 99 sampled movies (within a group, about 17 unseen movies tie for it).
    expect(chosen.hr10).toBeGreaterThan(0.3);
  });

  it('iALS: one step per epoch, the epoch kept on validation', () => {
    const { run, steps } = fit({ kind: 'ials', settings: resolveIalsSettings({ dimension: 8, epochs: 4 }) });
    expect(steps).toEqual([1, 2, 3, 4]);
    const scores = run.steps.map((s) => selectionScore(s));
    expect(run.bestStep).toBe(scores.indexOf(Math.max(...scores)) + 1);
    const again = evaluateRun(run);
    expect(again.valNdcg10).toBe(run.steps[run.bestStep - 1].valNdcg10);
  });
});
