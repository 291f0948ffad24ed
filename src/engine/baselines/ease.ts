/**
 * EASE (Steck, WWW 2019): an item-item linear model with a closed-form fit,
 *   P = (XᵀX + λI)⁻¹,   B = I − P·diag(1/diag(P)),   so B[i][j] = −P[i][j] / P[j][j] and diag(B) = 0,
 * and a person's scores are their 0/1 history row times B. A new history needs no fitting at all.
 *
 * Items² memory: B is n×n. The fit is limited to `maxItems` items, the most popular (by training
 * users; ties to the lower id) when the catalogue is larger. Items outside that set score below
 * every item inside it, ordered among themselves by popularity; items of a history that fall
 * outside add nothing to the scores.
 */
import type { CatalogueScorer, FitProgressHook } from './catalogueScorer';
import { checkScoresLength, FitCancelledError } from './catalogueScorer';
import type { EaseSettings } from './easeSettings';
import { resolveEaseSettings } from './easeSettings';
import type { InverseStep } from './spdInverse';
import { InverseCancelledError, invertSpdInPlace } from './spdInverse';
import type { SparseRows, TrainingPositives } from './trainingPositives';
import { buildUserHistories, itemTrainingCounts, rowOf } from './trainingPositives';

export interface EaseParameters {
  kind: 'ease';
  numItems: number;
  /** The fitted items (ascending ids); `weights` is indexed by position in this list. */
  items: Int32Array;
  /** B, `items.length`² numbers, row-major: row p is what having item `items[p]` adds to every fitted item. */
  weights: Float32Array;
  /** Training users per catalogue item: the order of the items outside `items`. */
  counts: Int32Array;
  lambda: number;
}

export type EaseStep = 'gram' | InverseStep | 'weights';

export interface EaseProgress {
  step: EaseStep;
  /** Of that step, by work, 0..1. */
  fraction: number;
}

export class EaseModel implements CatalogueScorer {
  readonly numItems: number;
  /** Position of each catalogue item in `items`, or -1 outside the fitted set. */
  private readonly position: Int32Array;
  private readonly sums: Float64Array;
  private readonly maxCount: number;

  /** `histories` (from `buildUserHistories` of the training data) serve `scoreUser`; they are not parameters. */
  constructor(
    private readonly parameters: EaseParameters,
    private readonly histories: SparseRows | null,
  ) {
    const { numItems, items, weights, counts } = parameters;
    if (weights.length !== items.length * items.length) throw new RangeError(`EASE weights need ${items.length}² numbers, got ${weights.length}.`);
    if (counts.length !== numItems) throw new RangeError(`EASE counts need ${numItems} numbers, got ${counts.length}.`);
    this.numItems = numItems;
    this.position = new Int32Array(numItems).fill(-1);
    items.forEach((item, p) => (this.position[item] = p));
    this.sums = new Float64Array(items.length);
    this.maxCount = counts.reduce((m, c) => Math.max(m, c), 0);
  }

  get fittedItems(): number {
    return this.parameters.items.length;
  }

  scoreUser(user: number, out: Float32Array): void {
    if (!this.histories) throw new Error('This EASE model was loaded without the training histories, so it can only score histories.');
    this.scoreDistinctHistory(rowOf(this.histories, user), out);
  }

  scoreHistory(items: Int32Array, out: Float32Array): void {
    const distinct = Int32Array.from(items.filter((i) => i >= 0 && i < this.numItems)).sort();
    let kept = 0;
    for (let k = 0; k < distinct.length; k++) if (k === 0 || distinct[k] !== distinct[k - 1]) distinct[kept++] = distinct[k];
    this.scoreDistinctHistory(distinct.subarray(0, kept), out);
  }

  private scoreDistinctHistory(items: Int32Array, out: Float32Array): void {
    checkScoresLength(this, out);
    const { weights, items: fitted, counts } = this.parameters;
    const m = fitted.length;
    const sums = this.sums.fill(0);
    for (const item of items) {
      const p = this.position[item];
      if (p < 0) continue;
      const row = p * m;
      for (let q = 0; q < m; q++) sums[q] += weights[row + q];
    }
    let lowest = Infinity;
    for (let q = 0; q < m; q++) {
      out[fitted[q]] = sums[q];
      if (out[fitted[q]] < lowest) lowest = out[fitted[q]];
    }
    if (m === this.numItems) return;
    // Outside items: in (lowest − 2, lowest − 1), more popular higher.
    const base = (m > 0 ? lowest : 0) - 2;
    for (let i = 0; i < this.numItems; i++) {
      if (this.position[i] < 0) out[i] = base + counts[i] / (this.maxCount + 1);
    }
  }

  /** The fitted parameters (shared, not copied: the weights can be a gigabyte). */
  exportParameters(): EaseParameters {
    return this.parameters;
  }
}

/** The `maxItems` most popular items (ties: lower id), ascending; every item when the catalogue fits. */
export function chooseEaseItems(counts: Int32Array, maxItems: number): Int32Array {
  const numItems = counts.length;
  if (numItems <= maxItems) return Int32Array.from({ length: numItems }, (_, i) => i);
  const order = Int32Array.from({ length: numItems }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  return order.slice(0, maxItems).sort();
}

/**
 * Fits EASE on the training positives. `onProgress` hears each step's fraction done every few
 * hundred rows; returning false throws `FitCancelledError` (there is no partial model).
 */
export function fitEase(
  data: TrainingPositives,
  overrides: Partial<EaseSettings> = {},
  onProgress?: FitProgressHook<EaseProgress>,
): EaseModel {
  const settings = resolveEaseSettings(overrides);
  const histories = buildUserHistories(data);
  const counts = itemTrainingCounts(histories);
  const items = chooseEaseItems(counts, settings.maxItems);
  const m = items.length;
  const position = new Int32Array(data.numItems).fill(-1);
  items.forEach((item, p) => (position[item] = p));
  const tell = (step: EaseStep, fraction: number): void => {
    if (onProgress?.({ step, fraction }) === false) throw new FitCancelledError('The EASE fit');
  };

  // XᵀX + λI, lower triangle (all the inverse reads): co-occurrence counts of fitted items.
  const gram = new Float64Array(m * m);
  const positions = new Int32Array(histories.columns);
  for (let u = 0; u < histories.rows; u++) {
    if (u % 1024 === 0) tell('gram', u / histories.rows);
    let length = 0;
    for (const item of rowOf(histories, u)) if (position[item] >= 0) positions[length++] = position[item];
    // Histories are sorted and positions follow item order, so y ≤ x is the lower triangle.
    for (let x = 0; x < length; x++) {
      const row = positions[x] * m;
      for (let y = 0; y <= x; y++) gram[row + positions[y]]++;
    }
  }
  for (let p = 0; p < m; p++) gram[p * m + p] += settings.lambda;

  try {
    invertSpdInPlace(gram, m, (step, fraction) => tell(step, fraction));
  } catch (error) {
    if (error instanceof InverseCancelledError) throw new FitCancelledError('The EASE fit');
    throw error;
  }

  const weights = new Float32Array(m * m);
  for (let p = 0; p < m; p++) {
    if (p % 1024 === 0) tell('weights', p / m);
    const row = p * m;
    for (let q = 0; q < m; q++) weights[row + q] = p === q ? 0 : -gram[row + q] / gram[q * m + q];
  }
  tell('weights', 1);
  return new EaseModel({ kind: 'ease', numItems: data.numItems, items, weights, counts, lambda: settings.lambda }, histories);
}
