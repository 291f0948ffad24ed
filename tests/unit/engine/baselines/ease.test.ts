import { describe, expect, it } from 'vitest';
import { FitCancelledError } from '../../../../src/engine/baselines/catalogueScorer';
import { chooseEaseItems, EaseModel, fitEase, type EaseItemsParameters } from '../../../../src/engine/baselines/ease';
import { findEaseSettingsProblems, resolveEaseSettings } from '../../../../src/engine/baselines/easeSettings';
import type { TrainingPositives } from '../../../../src/engine/data/sparseRows';
import { buildUserHistories, rowOf } from '../../../../src/engine/data/sparseRows';
import { SeededRandom } from '../../../../src/shared/random';
import { plantedSplit } from '../fixtures';
import { InvalidSettingsError } from '../../../../src/shared/settings';

/** Rows grouped by user from per-user item lists. */
function positives(numItems: number, histories: number[][]): TrainingPositives {
  const trainUsers = histories.flatMap((items, u) => items.map(() => u));
  return { numUsers: histories.length, numItems, trainUsers: Int32Array.from(trainUsers), trainItems: Int32Array.from(histories.flat()) };
}

/** Gauss-Jordan inverse with partial pivoting: the slow, obvious check on the Cholesky path. */
function gaussJordanInverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    const p = m[c][c];
    for (let k = 0; k < 2 * n; k++) m[c][k] /= p;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let k = 0; k < 2 * n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row) => row.slice(n));
}

/** Steck's closed form, from the dense 0/1 matrix: B = I − P·diag(1/diag P), P = (XᵀX + λI)⁻¹. */
function referenceEase(data: TrainingPositives, lambda: number): number[][] {
  const n = data.numItems;
  const x = Array.from({ length: data.numUsers }, () => new Array<number>(n).fill(0));
  data.trainUsers.forEach((u, p) => (x[u][data.trainItems[p]] = 1));
  const g = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => x.reduce((s, row) => s + row[i] * row[j], 0) + (i === j ? lambda : 0)),
  );
  const p = gaussJordanInverse(g);
  return p.map((row, i) => row.map((v, j) => (i === j ? 0 : -v / p[j][j])));
}

function itemsForm(model: EaseModel): EaseItemsParameters {
  const parameters = model.exportParameters();
  if (parameters.form !== 'items') throw new Error(`Expected the items form, got ${parameters.form}.`);
  return parameters;
}

function scoresOf(model: EaseModel, user: number): number[] {
  const out = new Float32Array(model.numItems);
  model.scoreUser(user, out);
  return Array.from(out);
}

describe('EASE', () => {
  it('equals the hand computation on two items', () => {
    // X = [[1,1],[1,0],[0,1]], λ = 1: XᵀX + I = [[3,1],[1,3]], P = [[3,-1],[-1,3]]/8, B = [[0,1/3],[1/3,0]].
    const model = fitEase(positives(2, [[0, 1], [0], [1]]), { lambda: 1 });
    expect(scoresOf(model, 0)).toEqual([expect.closeTo(1 / 3, 6), expect.closeTo(1 / 3, 6)]);
    expect(scoresOf(model, 1)).toEqual([0, expect.closeTo(1 / 3, 6)]);
    expect(scoresOf(model, 2)).toEqual([expect.closeTo(1 / 3, 6), 0]);
  });

  it('equals the closed form computed densely, with a zero diagonal', () => {
    const data = plantedSplit(30, 18, 3, 5, 7);
    const lambda = 2.5;
    const model = fitEase(data, { lambda });
    const { weights, items } = itemsForm(model);
    const reference = referenceEase(data, lambda);
    expect(items.length).toBe(18);
    for (let i = 0; i < 18; i++) {
      expect(weights[i * 18 + i]).toBe(0);
      for (let j = 0; j < 18; j++) expect(weights[i * 18 + j]).toBeCloseTo(reference[i][j], 6);
    }
    // A user's scores are their 0/1 row times B.
    const histories = buildUserHistories(data);
    for (const u of [0, 11, 29]) {
      const expected = reference[0].map((_, j) => Array.from(rowOf(histories, u)).reduce((s, i) => s + reference[i][j], 0));
      scoresOf(model, u).forEach((s, j) => expect(s).toBeCloseTo(expected[j], 5));
    }
  });

  it('scores a history exactly as the trained user with those positives', () => {
    const data = plantedSplit(40, 40, 4, 6, 3);
    const model = fitEase(data, { lambda: 10 });
    const histories = buildUserHistories(data);
    const fromHistory = new Float32Array(40);
    for (let u = 0; u < 40; u++) {
      // Shuffled and with a repeat: order and duplicates must not matter.
      const items = Int32Array.from([...rowOf(histories, u)].reverse().concat([rowOf(histories, u)[0]]));
      model.scoreHistory(items, fromHistory);
      expect(Array.from(fromHistory)).toEqual(scoresOf(model, u));
    }
  });

  it('ranks the held-out items of a planted structure highly', () => {
    const data = plantedSplit();
    const model = fitEase(data, { lambda: 5 });
    let inGroup = 0;
    for (let u = 0; u < data.numUsers; u++) {
      const scores = scoresOf(model, u);
      const cluster = u % 4;
      const best = scores.indexOf(Math.max(...scores.filter((_, i) => !rowOf(buildUserHistories(data), u).includes(i))));
      if (Math.floor(best / 30) === cluster) inGroup++;
    }
    expect(inGroup).toBe(data.numUsers);
  });

  it('fits only the most popular items when the catalogue is larger, and ranks the rest below them by popularity', () => {
    // Items 0..5; popularity: item 4 (4 users), 1 (3), 2 (2), 0 and 5 (1 each), 3 (none).
    const data = positives(6, [
      [1, 2, 4],
      [1, 4],
      [0, 1, 4],
      [2, 4, 5],
    ]);
    expect(Array.from(chooseEaseItems(Int32Array.from([1, 3, 2, 0, 4, 1]), 3))).toEqual([1, 2, 4]);
    const model = fitEase(data, { lambda: 1, maxSize: 3 });
    expect(model.fittedItems).toBe(3);
    const scores = new Float32Array(6);
    for (const history of [[1], [0, 5], [], [2, 4]]) {
      model.scoreHistory(Int32Array.from(history), scores);
      const lowestInside = Math.min(scores[1], scores[2], scores[4]);
      expect(Math.max(scores[0], scores[3], scores[5])).toBeLessThan(lowestInside);
      expect(scores[0]).toBe(scores[5]);
      expect(scores[0]).toBeGreaterThan(scores[3]);
    }
    // Outside items add nothing: [0, 5] scores like an empty history on the fitted items.
    const empty = new Float32Array(6);
    model.scoreHistory(new Int32Array(0), empty);
    model.scoreHistory(Int32Array.from([0, 5]), scores);
    expect([scores[1], scores[2], scores[4]]).toEqual([empty[1], empty[2], empty[4]]);
  });

  it('survives an export and an import in both forms', () => {
    for (const [numUsers, form] of [
      [30, 'items'],
      [20, 'users'],
    ] as const) {
      const data = plantedSplit(numUsers, 24, 3, 4, 5);
      const model = fitEase(data, { lambda: 3 });
      expect(model.form).toBe(form);
      const again = new EaseModel(model.exportParameters(), buildUserHistories(data));
      expect(scoresOf(again, 7)).toEqual(scoresOf(model, 7));
    }
    const itemsForm = fitEase(plantedSplit(30, 24, 3, 4, 5), { lambda: 3 }).exportParameters();
    expect(() => new EaseModel(itemsForm, null).scoreUser(0, new Float32Array(24))).toThrow(/histories/);
    const usersForm = fitEase(plantedSplit(20, 24, 3, 4, 5), { lambda: 3 }).exportParameters();
    expect(() => new EaseModel(usersForm, null)).toThrow(/training rows/);
  });

  it('inverts the users × users matrix when there are fewer users, with the same scores', () => {
    const data = plantedSplit(12, 40, 4, 5, 8);
    const lambda = 2;
    const model = fitEase(data, { lambda });
    expect(model.form).toBe('users');
    expect(model.fittedItems).toBe(40);
    const reference = referenceEase(data, lambda);
    const histories = buildUserHistories(data);
    const times = (items: number[]) => reference[0].map((_, j) => items.reduce((s, i) => s + reference[i][j], 0));
    const fromHistory = new Float32Array(40);
    for (let u = 0; u < 12; u++) {
      const expected = times(Array.from(rowOf(histories, u)));
      const trained = scoresOf(model, u);
      trained.forEach((s, j) => expect(s).toBeCloseTo(expected[j], 4));
      // The trained user's own positives as a new history take the general (Woodbury) path.
      model.scoreHistory(rowOf(histories, u), fromHistory);
      fromHistory.forEach((s, j) => expect(s).toBeCloseTo(trained[j], 4));
    }
    // A history no training user has, with an item nobody trained on (item 39 may be one).
    const history = [0, 11, 25, 39];
    const out = new Float32Array(40);
    model.scoreHistory(Int32Array.from(history), out);
    const expected = times(history);
    out.forEach((s, j) => expect(s).toBeCloseTo(expected[j], 4));
  });

  it('reports progress and can be cancelled', () => {
    const data = plantedSplit();
    const steps = new Set<string>();
    fitEase(data, { lambda: 5 }, ({ step }) => void steps.add(step));
    expect(steps).toEqual(new Set(['gram', 'factorise', 'invert-factor', 'multiply', 'weights']));
    expect(() => fitEase(data, { lambda: 5 }, ({ step }) => step !== 'multiply')).toThrow(FitCancelledError);
  });

  it('validates its settings', () => {
    expect(findEaseSettingsProblems(resolveEaseSettings())).toEqual([]);
    expect(findEaseSettingsProblems({ lambda: 0, maxSize: 1.5 })).toHaveLength(2);
    expect(() => resolveEaseSettings({ maxSize: 1e6 })).toThrow(InvalidSettingsError);
    expect(() => resolveEaseSettings({ lambda: -1 })).toThrow('Invalid EASE settings: EASE λ must be a number above 0, e.g. 300.');
  });
});

describe('EASE on random data', () => {
  it('matches the dense closed form with a bound of one item short', () => {
    const rng = new SeededRandom(4);
    const histories = Array.from({ length: 25 }, () =>
      [...new Set(Array.from({ length: 6 }, () => rng.nextInt(10)))].sort((a, b) => a - b),
    );
    const data = positives(10, histories);
    const full = fitEase(data, { lambda: 1.5 });
    const reference = referenceEase(data, 1.5);
    itemsForm(full).weights.forEach((w, k) => expect(w).toBeCloseTo(reference[Math.floor(k / 10)][k % 10], 6));
    expect(fitEase(data, { lambda: 1.5, maxSize: 9 }).fittedItems).toBe(9);
  });
});
