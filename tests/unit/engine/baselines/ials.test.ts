import { describe, expect, it } from 'vitest';
import { fitIals, gramian, ialsLoss, IalsModel, type IalsProgress } from '../../../../src/engine/baselines/ials';
import { defaultIalsSettings, findIalsSettingsProblems, resolveIalsSettings } from '../../../../src/engine/baselines/ialsSettings';
import { fitItemPop } from '../../../../src/engine/baselines/itemPop';
import { buildUserHistories, rowOf } from '../../../../src/engine/data/sparseRows';
import { evaluateHeldOut, planHeldOutEvaluation } from '../../../../src/engine/evaluation/heldOutEvaluation';
import { plantedSplit } from '../fixtures';
import { InvalidSettingsError } from '../../../../src/shared/settings';

const small = { dimension: 8, alpha0: 0.05, lambda: 0.05, epochs: 10 };

function losses(settings: Partial<typeof defaultIalsSettings>): IalsProgress[] {
  const seen: IalsProgress[] = [];
  fitIals(plantedSplit(), settings, (p) => void seen.push({ ...p }));
  return seen;
}

describe('iALS', () => {
  it('never increases its loss with exact solves, on a planted low-rank structure', () => {
    const progress = losses(small);
    expect(progress).toHaveLength(2 * small.epochs);
    expect(progress.map((p) => p.half).slice(0, 2)).toEqual(['users', 'items']);
    for (let k = 1; k < progress.length; k++) expect(progress[k].loss).toBeLessThanOrEqual(progress[k - 1].loss * (1 + 1e-9));
    expect(progress.at(-1)!.loss).toBeLessThan(0.5 * progress[0].loss);
  });

  it('reports the loss that ialsLoss computes from the exported factors', () => {
    const data = plantedSplit();
    let last: IalsProgress | null = null;
    const model = fitIals(data, small, (p) => void (last = p));
    expect(last!.loss).toBeCloseTo(ialsLoss(model.exportParameters(), buildUserHistories(data)), 6);
  });

  it('learns the planted groups: far above most-popular on the held-out items', () => {
    const data = plantedSplit(120, 160, 4, 12, 2);
    const plan = planHeldOutEvaluation(data, { perUser: 39 });
    const ialsModel = fitIals(data, small);
    const popModel = fitItemPop(data);
    const ials = evaluateHeldOut(plan, { scoreUser: (u, out) => ialsModel.scoreUser(u, out) });
    const pop = evaluateHeldOut(plan, { scoreUser: (u, out) => popModel.scoreUser(u, out) });
    expect(ials.hr10).toBeGreaterThan(0.9);
    expect(ials.hr10).toBeGreaterThan(pop.hr10 + 0.3);
  });

  it('folds in a trained user to the vector the user step gives', () => {
    const data = plantedSplit();
    const histories = buildUserHistories(data);
    // Stopped right after a user half: every user vector is then the exact solve against the final item factors.
    const model = fitIals(data, small, (p) => !(p.epoch === 6 && p.half === 'users'));
    const { userFactors, dimension } = model.exportParameters();
    for (const u of [0, 17, 59]) {
      const folded = model.foldIn(rowOf(histories, u));
      folded.forEach((v, k) => expect(v).toBeCloseTo(userFactors[u * dimension + k], 5));
      const fromHistory = new Float32Array(model.numItems);
      const trained = new Float32Array(model.numItems);
      model.scoreHistory(rowOf(histories, u), fromHistory);
      model.scoreUser(u, trained);
      fromHistory.forEach((s, i) => expect(s).toBeCloseTo(trained[i], 5));
    }
  });

  it('folds in close to the trained vector after a full fit', () => {
    const data = plantedSplit();
    const histories = buildUserHistories(data);
    const model = fitIals(data, { ...small, epochs: 30 });
    const { userFactors, dimension: d } = model.exportParameters();
    for (const u of [3, 33]) {
      const folded = model.foldIn(rowOf(histories, u));
      let dot = 0,
        a = 0,
        b = 0;
      for (let k = 0; k < d; k++) {
        dot += folded[k] * userFactors[u * d + k];
        a += folded[k] ** 2;
        b += userFactors[u * d + k] ** 2;
      }
      expect(dot / Math.sqrt(a * b)).toBeGreaterThan(0.999);
    }
  });

  it('gives the same factors for the same seed, other factors for another', () => {
    const data = plantedSplit();
    const a = fitIals(data, { ...small, epochs: 2 }).exportParameters();
    const b = fitIals(data, { ...small, epochs: 2 }).exportParameters();
    const c = fitIals(data, { ...small, epochs: 2, seed: 7 }).exportParameters();
    expect(b.userFactors).toEqual(a.userFactors);
    expect(b.itemFactors).toEqual(a.itemFactors);
    expect(c.itemFactors).not.toEqual(a.itemFactors);
  });

  it('conjugate-gradient steps approach the exact solution and lower the loss', () => {
    const exact = losses(small).at(-1)!.loss;
    const cg = losses({ ...small, solver: 'cg', cgSteps: 3 });
    expect(cg.at(-1)!.loss).toBeLessThan(0.5 * cg[0].loss);
    expect(cg.at(-1)!.loss).toBeLessThan(exact * 1.02);
  });

  it('stops when the progress hook says so and keeps what it has', () => {
    const halves: string[] = [];
    const model = fitIals(plantedSplit(), small, (p) => {
      halves.push(`${p.epoch}${p.half}`);
      return p.epoch < 2;
    });
    expect(halves).toEqual(['1users', '1items', '2users']);
    expect(model.exportParameters().userFactors.some((v) => v !== 0)).toBe(true);
  });

  it('survives an export and an import, and ignores ids outside the catalogue', () => {
    const data = plantedSplit();
    const model = fitIals(data, { ...small, epochs: 3 });
    const again = IalsModel.fromParameters(model.exportParameters());
    const a = new Float32Array(model.numItems);
    const b = new Float32Array(model.numItems);
    model.scoreUser(4, a);
    again.scoreUser(4, b);
    expect(b).toEqual(a);
    model.scoreHistory(Int32Array.from([1, 2, 3]), a);
    again.scoreHistory(Int32Array.from([3, 2, 1, 1, -1, 999]), b);
    expect(b).toEqual(a);
    model.scoreHistory(new Int32Array(0), a);
    expect(a.every((s) => s === 0)).toBe(true);
  });

  it('gives the same factors on the WebAssembly SIMD kernel as in plain JS', () => {
    const data = plantedSplit();
    for (const dimension of [8, 7]) {
      const simd = fitIals(data, { ...small, dimension, epochs: 3 }).exportParameters();
      const plain = fitIals(data, { ...small, dimension, epochs: 3 }, undefined, { simd: false }).exportParameters();
      simd.itemFactors.forEach((v, k) => expect(v).toBeCloseTo(plain.itemFactors[k], 5));
      simd.userFactors.forEach((v, k) => expect(v).toBeCloseTo(plain.userFactors[k], 5));
    }
  });

  it('computes a Gramian', () => {
    const g = gramian(Float32Array.from([1, 2, 3, 4, 5, 6]), 3, 2);
    expect(Array.from(g)).toEqual([35, 44, 44, 56]);
  });

  it('validates its settings', () => {
    expect(resolveIalsSettings()).toEqual(defaultIalsSettings);
    expect(findIalsSettingsProblems({ ...defaultIalsSettings, dimension: 0, nu: 2, lambda: 0, solver: 'newton' as never })).toHaveLength(4);
    expect(() => resolveIalsSettings({ epochs: 0 })).toThrow(InvalidSettingsError);
    expect(() => resolveIalsSettings({ epochs: 0 })).toThrow('Invalid iALS settings: iALS epochs must be a whole number of at least 1.');
  });
});
