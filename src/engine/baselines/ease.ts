/**
 * EASE (Steck, WWW 2019): an item-item linear model with a closed-form fit,
 *   P = (XᵀX + λI)⁻¹,   B = I − P·diag(1/diag(P)),   so B[i][j] = −P[i][j] / P[j][j] and diag(B) = 0,
 * and a person's scores are their 0/1 history row x times B: x·B = x − (x·P)·diag(1/diag(P)).
 * A new history needs no fitting at all.
 *
 * The fit inverts one dense matrix, whichever side is smaller (the same B either way):
 * - items form: P itself (items × items), and B is kept;
 * - users form, when there are fewer users than items: K = XXᵀ + λI (users × users) and, by
 *   Woodbury, x·P = (x − (x·Xᵀ)·K⁻¹·X) / λ and diag(P)_j = (1 − X_jᵀ·K⁻¹·X_j) / λ, so only K⁻¹,
 *   diag(P) and the training rows are kept (ml-latest-small: 610² instead of 9,724²).
 * Memory is 8·s² bytes during the fit for a matrix side s (12·s² at its peak), 4·s² after it.
 * When both sides exceed `maxSize`, the items form is fitted over the `maxSize` most popular
 * items (by training users; ties to the lower id). Items outside that set score below every
 * item inside it, ordered among themselves by popularity, and add nothing to anyone's scores.
 */
import type { CatalogueScorer, FitProgressHook } from './catalogueScorer';
import { checkScoresLength, FitCancelledError } from './catalogueScorer';
import type { EaseSettings } from './easeSettings';
import { resolveEaseSettings } from './easeSettings';
import type { InverseStep } from './spdInverse';
import { InverseCancelledError, invertSpdInPlace } from './spdInverse';
import type { SparseRows, TrainingPositives } from '../data/sparseRows';
import { buildUserHistories, itemTrainingCounts, rowOf, transposeRows } from '../data/sparseRows';
import type { SpdMatrix } from './wasm/tileDotsKernel';
import { allocateSpdMatrix } from './wasm/tileDotsKernel';

/** B over a set of fitted items. */
export interface EaseItemsParameters {
  kind: 'ease';
  form: 'items';
  numItems: number;
  lambda: number;
  /** The fitted items (ascending ids); `weights` is indexed by position in this list. */
  items: Int32Array;
  /** B, `items.length`² numbers, row-major: row p is what having item `items[p]` adds to every fitted item. */
  weights: Float32Array;
  /** Training users per catalogue item: the order of the items outside `items`. */
  counts: Int32Array;
}

/** K⁻¹ = (XXᵀ + λI)⁻¹ and diag(P): with the training rows X they give every score of B. */
export interface EaseUsersParameters {
  kind: 'ease';
  form: 'users';
  numItems: number;
  lambda: number;
  numUsers: number;
  /** K⁻¹, numUsers² numbers, row-major (symmetric). */
  userInverse: Float32Array;
  /** diag(P) per catalogue item. */
  itemDiagonal: Float64Array;
}

export type EaseParameters = EaseItemsParameters | EaseUsersParameters;

export type EaseStep = 'gram' | InverseStep | 'weights';

export interface EaseProgress {
  step: EaseStep;
  /** Of that step, by work, 0..1. */
  fraction: number;
}

/** Ascending distinct ids of `items` inside the catalogue. */
function distinctItems(items: Int32Array, numItems: number): Int32Array {
  const sorted = Int32Array.from(items.filter((i) => i >= 0 && i < numItems)).sort();
  let kept = 0;
  for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[kept++] = sorted[k];
  return sorted.subarray(0, kept);
}

export class EaseModel implements CatalogueScorer {
  readonly numItems: number;
  private readonly scorer: FormScorer;

  /**
   * `histories` are the training rows the model was fitted on (`buildUserHistories` of the same
   * data): `scoreUser` reads them, and the users form needs them for every score. They are data,
   * not parameters, so `exportParameters` leaves them out.
   */
  constructor(
    private readonly parameters: EaseParameters,
    private readonly histories: SparseRows | null,
  ) {
    this.numItems = parameters.numItems;
    if (parameters.form === 'items') {
      this.scorer = itemsFormScorer(parameters);
    } else {
      if (!histories || histories.rows !== parameters.numUsers || histories.columns !== parameters.numItems) {
        throw new RangeError(
          `This EASE model needs the training rows it was fitted on (${parameters.numUsers} users, ${parameters.numItems} items).`,
        );
      }
      this.scorer = usersFormScorer(parameters, histories);
    }
  }

  /** Items B covers: the fitted items, or the whole catalogue in the users form. */
  get fittedItems(): number {
    return this.parameters.form === 'items' ? this.parameters.items.length : this.numItems;
  }

  get form(): EaseParameters['form'] {
    return this.parameters.form;
  }

  scoreUser(user: number, out: Float32Array): void {
    if (!this.histories) throw new Error('This EASE model was loaded without the training histories, so it can only score histories.');
    checkScoresLength(this, out);
    this.scorer.user(user, rowOf(this.histories, user), out);
  }

  scoreHistory(items: Int32Array, out: Float32Array): void {
    checkScoresLength(this, out);
    this.scorer.history(distinctItems(items, this.numItems), out);
  }

  /** The fitted parameters (shared, not copied: they can be a gigabyte). */
  exportParameters(): EaseParameters {
    return this.parameters;
  }

  /** A model from stored parameters and the training rows it was fitted on (see the constructor). */
  static fromParameters(parameters: EaseParameters, histories: SparseRows | null): EaseModel {
    return new EaseModel(parameters, histories);
  }
}

/** Scores from sorted distinct items; `user` also knows that they are training user `user`'s row. */
interface FormScorer {
  history(items: Int32Array, out: Float32Array): void;
  user(user: number, items: Int32Array, out: Float32Array): void;
}

function itemsFormScorer(parameters: EaseItemsParameters): FormScorer {
  const { numItems, items: fitted, weights, counts } = parameters;
  const m = fitted.length;
  if (weights.length !== m * m) throw new RangeError(`EASE weights need ${m}² numbers, got ${weights.length}.`);
  if (counts.length !== numItems) throw new RangeError(`EASE counts need ${numItems} numbers, got ${counts.length}.`);
  const position = new Int32Array(numItems).fill(-1);
  fitted.forEach((item, p) => (position[item] = p));
  const maxCount = counts.reduce((most, c) => Math.max(most, c), 0);
  const sums = new Float64Array(m);
  const history = (items: Int32Array, out: Float32Array): void => {
    sums.fill(0);
    for (const item of items) {
      const p = position[item];
      if (p < 0) continue;
      const row = p * m;
      for (let q = 0; q < m; q++) sums[q] += weights[row + q];
    }
    let lowest = Infinity;
    for (let q = 0; q < m; q++) {
      out[fitted[q]] = sums[q];
      if (out[fitted[q]] < lowest) lowest = out[fitted[q]];
    }
    if (m === numItems) return;
    // Outside items: in [lowest − 2, lowest − 1), more popular higher.
    const base = (m > 0 ? lowest : 0) - 2;
    for (let i = 0; i < numItems; i++) if (position[i] < 0) out[i] = base + counts[i] / (maxCount + 1);
  };
  return { history, user: (_user, items, out) => history(items, out) };
}

function usersFormScorer(parameters: EaseUsersParameters, histories: SparseRows): FormScorer {
  const { numUsers, numItems, userInverse, itemDiagonal, lambda } = parameters;
  if (userInverse.length !== numUsers * numUsers) throw new RangeError(`EASE K⁻¹ needs ${numUsers}² numbers, got ${userInverse.length}.`);
  if (itemDiagonal.length !== numItems) throw new RangeError(`EASE diag(P) needs ${numItems} numbers, got ${itemDiagonal.length}.`);
  const itemUsers = transposeRows(histories);
  const overlap = new Float64Array(numUsers);
  const mixed = new Float64Array(numUsers);
  const reach = new Float64Array(numItems);
  const mine = new Uint8Array(numItems);
  /** out_j = x_j − (x·P)_j / P_jj, with x (the 0/1 row of `items`) marked in `mine` while `xp` gives (x·P)_j. */
  const finish = (items: Int32Array, out: Float32Array, xp: (j: number) => number): void => {
    for (const item of items) mine[item] = 1;
    for (let j = 0; j < numItems; j++) out[j] = mine[j] - xp(j) / itemDiagonal[j];
    for (const item of items) mine[item] = 0;
  };
  /** reach = mixed·X over the training rows. */
  const spread = (): void => {
    reach.fill(0);
    for (let w = 0; w < numUsers; w++) {
      const t = mixed[w];
      if (t === 0) continue;
      for (let p = histories.offsets[w]; p < histories.offsets[w + 1]; p++) reach[histories.entries[p]] += t;
    }
  };
  return {
    // x·P = (x − (x·Xᵀ)·K⁻¹·X) / λ
    history(items, out) {
      overlap.fill(0);
      for (const item of items) for (let p = itemUsers.offsets[item]; p < itemUsers.offsets[item + 1]; p++) overlap[itemUsers.entries[p]]++;
      mixed.fill(0);
      for (let v = 0; v < numUsers; v++) {
        const o = overlap[v];
        if (o === 0) continue;
        const row = v * numUsers;
        for (let w = 0; w < numUsers; w++) mixed[w] += o * userInverse[row + w];
      }
      spread();
      finish(items, out, (j) => (mine[j] - reach[j]) / lambda);
    },
    // For a training row, x·P = X·P row u = (K⁻¹·X) row u (push-through), at the cost of one pass over X.
    user(user, items, out) {
      for (let w = 0; w < numUsers; w++) mixed[w] = userInverse[user * numUsers + w];
      spread();
      finish(items, out, (j) => reach[j]);
    },
  };
}

/** The `maxItems` most popular items (ties: lower id), ascending; every item when the catalogue fits. */
export function chooseEaseItems(counts: Int32Array, maxItems: number): Int32Array {
  const numItems = counts.length;
  if (numItems <= maxItems) return Int32Array.from({ length: numItems }, (_, i) => i);
  const order = Int32Array.from({ length: numItems }, (_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
  return order.slice(0, maxItems).sort();
}

/**
 * The lower triangle of the co-occurrence matrix of `rows` (entries restricted to those with a
 * position ≥ 0, renumbered by it) plus λ on the diagonal: XᵀX + λI from user rows, XXᵀ + λI from
 * item rows.
 */
function gramPlusLambda(
  rows: SparseRows,
  position: Int32Array | null,
  size: number,
  lambda: number,
  tell: (fraction: number) => void,
): SpdMatrix {
  const spd = allocateSpdMatrix(size);
  const gram = spd.matrix;
  const positions = new Int32Array(rows.columns);
  for (let r = 0; r < rows.rows; r++) {
    if (r % 1024 === 0) tell(r / rows.rows);
    let length = 0;
    for (let p = rows.offsets[r]; p < rows.offsets[r + 1]; p++) {
      const at = position ? position[rows.entries[p]] : rows.entries[p];
      if (at >= 0) positions[length++] = at;
    }
    // Rows are sorted and positions follow id order, so y ≤ x is the lower triangle.
    for (let x = 0; x < length; x++) {
      const row = positions[x] * size;
      for (let y = 0; y <= x; y++) gram[row + positions[y]]++;
    }
  }
  for (let p = 0; p < size; p++) gram[p * size + p] += lambda;
  return spd;
}

/** Inverts in place, on the SIMD kernel where there is one. */
function invert({ matrix, tileDots }: SpdMatrix, size: number, tell: (step: EaseStep, fraction: number) => void): Float64Array {
  try {
    invertSpdInPlace(matrix, size, (step, fraction) => tell(step, fraction), tileDots);
    return matrix;
  } catch (error) {
    if (error instanceof InverseCancelledError) throw new FitCancelledError('The EASE fit');
    throw error;
  }
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
  const { numUsers, numItems } = data;
  const { lambda, maxSize } = settings;
  const histories = buildUserHistories(data);
  const tell = (step: EaseStep, fraction: number): void => {
    if (onProgress?.({ step, fraction }) === false) throw new FitCancelledError('The EASE fit');
  };

  if (numUsers < numItems && numUsers <= maxSize) {
    const itemUsers = transposeRows(histories);
    const k = invert(
      gramPlusLambda(itemUsers, null, numUsers, lambda, (f) => tell('gram', f)),
      numUsers,
      tell,
    );
    // diag(P)_j = (1 − Σ_{v,w ∈ U_j} K⁻¹[v][w]) / λ
    const itemDiagonal = new Float64Array(numItems);
    for (let j = 0; j < numItems; j++) {
      if (j % 1024 === 0) tell('weights', j / numItems);
      const lo = itemUsers.offsets[j];
      const hi = itemUsers.offsets[j + 1];
      let quadratic = 0;
      for (let a = lo; a < hi; a++) {
        const row = itemUsers.entries[a] * numUsers;
        for (let b = lo; b < hi; b++) quadratic += k[row + itemUsers.entries[b]];
      }
      itemDiagonal[j] = (1 - quadratic) / lambda;
    }
    tell('weights', 1);
    const userInverse = Float32Array.from(k);
    return new EaseModel({ kind: 'ease', form: 'users', numItems, lambda, numUsers, userInverse, itemDiagonal }, histories);
  }

  const counts = itemTrainingCounts(histories);
  const items = chooseEaseItems(counts, maxSize);
  const m = items.length;
  const position = new Int32Array(numItems).fill(-1);
  items.forEach((item, p) => (position[item] = p));
  const p = invert(
    gramPlusLambda(histories, position, m, lambda, (f) => tell('gram', f)),
    m,
    tell,
  );
  const weights = new Float32Array(m * m);
  for (let a = 0; a < m; a++) {
    if (a % 1024 === 0) tell('weights', a / m);
    const row = a * m;
    for (let b = 0; b < m; b++) weights[row + b] = a === b ? 0 : -p[row + b] / p[b * m + b];
  }
  tell('weights', 1);
  return new EaseModel({ kind: 'ease', form: 'items', numItems, lambda, items, weights, counts }, histories);
}
