/**
 * Fits a baseline on a split's training part and evaluates it as NeuMF's epochs are evaluated
 * (`evaluateHeldOut`), choosing what there is to choose on validation:
 * - ItemPop: nothing to choose; one step.
 * - EASE: λ, one step per candidate of `lambdas` (steps are settings, not epochs);
 * - iALS: the epoch, one step per epoch, as NeuMF.
 * The app's training worker and the benchmark both fit baselines through here.
 */
import type { InteractionSplit } from '../../data/interactions';
import { scorerFromParameters, type BaselineKind, type BaselineParameters } from '../baselines/baselineParameters';
import type { CatalogueScorer } from '../baselines/catalogueScorer';
import { fitEase } from '../baselines/ease';
import { resolveEaseSettings, type EaseSettings } from '../baselines/easeSettings';
import { fitIals } from '../baselines/ials';
import { resolveIalsSettings, type IalsSettings } from '../baselines/ialsSettings';
import { fitItemPop } from '../baselines/itemPop';
import { buildUserHistories, type SparseRows } from '../data/sparseRows';
import { evaluateHeldOut, type HeldOutEvaluation } from '../evaluation/heldOutEvaluation';
import { selectionScore, type EpochReport } from './trainingRun';

/** EASE's λ candidates, chosen among on validation: the values the best λ of the NCF splits fell between (docs/BENCHMARKS.md). */
export const EASE_LAMBDAS: readonly number[] = Object.freeze([50, 100, 200, 300, 500, 1000]);

export type BaselineSpec =
  { kind: 'itempop' } | { kind: 'ease'; settings: EaseSettings; lambdas: readonly number[] } | { kind: 'ials'; settings: IalsSettings };

/** Every baseline with its default settings, in the order the app fits them (fastest first). */
export function defaultBaselineSpecs(): BaselineSpec[] {
  return [
    { kind: 'itempop' },
    { kind: 'ease', settings: resolveEaseSettings(), lambdas: EASE_LAMBDAS },
    { kind: 'ials', settings: resolveIalsSettings() },
  ];
}

export interface BaselineRun {
  kind: BaselineKind;
  /** One report per step (see above); `setting` names EASE's λ. */
  steps: EpochReport[];
  /** The step chosen on validation, whose parameters are kept. */
  bestStep: number;
  parameters: BaselineParameters;
  /** The training rows the parameters were fitted on: EASE needs them to score, and they are saved with it. */
  histories: SparseRows;
}

export interface BaselineHooks {
  /** Each step's report as soon as it is evaluated. */
  onStep?: (report: EpochReport) => void;
  /** Work done within the whole fit, 0..1, for a progress bar. */
  onProgress?: (fraction: number) => void;
}

export function fitBaseline(
  spec: BaselineSpec,
  split: InteractionSplit,
  evaluation: HeldOutEvaluation,
  hooks: BaselineHooks = {},
): BaselineRun {
  const histories = buildUserHistories(split);
  const steps: EpochReport[] = [];
  let best: { step: number; score: number; parameters: BaselineParameters } | null = null;
  const report = (step: number, scorer: CatalogueScorer, parameters: () => BaselineParameters, seconds: number, setting?: string) => {
    const metrics = evaluateHeldOut(evaluation, { scoreUser: (user, out) => scorer.scoreUser(user, out) });
    const stepReport: EpochReport = {
      epoch: step,
      loss: null,
      trainSeconds: seconds,
      samplesPerSecond: null,
      ...metrics,
      ...(setting ? { setting } : {}),
    };
    steps.push(stepReport);
    hooks.onStep?.(stepReport);
    if (best === null || selectionScore(metrics) > best.score) best = { step, score: selectionScore(metrics), parameters: parameters() };
  };
  const timed = <T>(fit: () => T): [T, number] => {
    const started = performance.now();
    const result = fit();
    return [result, (performance.now() - started) / 1000];
  };

  switch (spec.kind) {
    case 'itempop': {
      const [model, seconds] = timed(() => fitItemPop(split));
      report(1, model, () => model.exportParameters(), seconds);
      break;
    }
    case 'ease':
      spec.lambdas.forEach((lambda, k) => {
        const [model, seconds] = timed(() =>
          fitEase(split, { ...spec.settings, lambda }, ({ fraction }) => hooks.onProgress?.((k + fraction) / spec.lambdas.length)),
        );
        report(k + 1, model, () => model.exportParameters(), seconds, `λ ${lambda}`);
      });
      break;
    case 'ials': {
      let last = performance.now();
      fitIals(split, spec.settings, (progress) => {
        hooks.onProgress?.((progress.epoch - (progress.half === 'users' ? 0.5 : 0)) / progress.epochs);
        if (progress.half !== 'items') return;
        const now = performance.now();
        report(progress.epoch, progress.model, () => progress.model.exportParameters(), (now - last) / 1000);
        last = performance.now();
      });
      break;
    }
  }
  const chosen = best as { step: number; parameters: BaselineParameters } | null;
  if (!chosen) throw new Error(`The ${spec.kind} fit reported no step.`);
  return { kind: spec.kind, steps, bestStep: chosen.step, parameters: chosen.parameters, histories };
}

/** The scorer of a baseline run's kept parameters. */
export function baselineScorer(run: Pick<BaselineRun, 'parameters' | 'histories'>): CatalogueScorer {
  return scorerFromParameters(run.parameters, run.histories);
}
