/**
 * Negative sampling: the product's definitions of the items a user's negatives come from
 * (docs/EVALUATION.md).
 *
 * - Training negatives come from outside the user's TRAINING positives only (`buildUserHistories`),
 *   as in He et al.'s code: the held-out validation and test movies may be drawn as negatives like
 *   any other movie the model has not been shown. Excluding them would tell the model which movies
 *   are held out (it would never push them down while their competitors are), and inflate every
 *   held-out figure.
 * - Evaluation candidates come from outside everything the user is known to have seen
 *   (`knownInteractions`: train, validation and test), so a candidate is never a hidden positive.
 * Both are `SparseRows` (src/engine/data/sparseRows.ts): each user's sorted, distinct items.
 *
 * Lookups are a binary search in the user's sorted slice of a CSR layout: O(log n) per draw,
 * no per-user hash sets, no quadratic scans, one allocation for the whole data set.
 */
import type { InteractionSplit } from '../../data/interactions';
import { SeededRandom } from '../../shared/random';
import type { SparseRows } from '../data/sparseRows';

/** One epoch of training rows: every train positive plus `ratio` negatives per positive, shuffled. */
export interface TrainingEpoch {
  users: Int32Array;
  items: Int32Array;
  /** 1 for a positive, 0 for a sampled negative. */
  labels: Float32Array;
}

/** Raised when a user has seen so much of the catalogue that the requested negatives cannot exist. */
export class NotEnoughNegativesError extends Error {
  constructor(user: number, unseen: number, wanted: number) {
    super(`User ${user} has only ${unseen} unseen items, but ${wanted} negatives are needed.`);
    this.name = 'NotEnoughNegativesError';
  }
}

/** Whether `item` is in the sorted slice `items[lo, hi)`. */
function sortedSliceHas(items: Int32Array, lo: number, hi: number, item: number): boolean {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = items[mid];
    if (v === item) return true;
    if (v < item) lo = mid + 1;
    else hi = mid;
  }
  return false;
}

export function hasSeen(seen: SparseRows, user: number, item: number): boolean {
  return sortedSliceHas(seen.entries, seen.offsets[user], seen.offsets[user + 1], item);
}

/** Number of items user `user` has not seen. */
function unseenCount(seen: SparseRows, user: number): number {
  return seen.columns - (seen.offsets[user + 1] - seen.offsets[user]);
}

/**
 * Every training positive followed by `ratio` uniform negatives, then shuffled as a whole.
 * Same split, ratio and seed give the same epoch. Negatives of a user may repeat across
 * positives (sampling with replacement, as in He et al.); none is ever one of the user's
 * training positives (`seen` = `buildUserHistories(split)`).
 */
export function sampleTrainingEpoch(split: InteractionSplit, seen: SparseRows, ratio: number, seed: number): TrainingEpoch {
  if (!Number.isInteger(ratio) || ratio < 0) throw new RangeError(`Negative ratio must be a whole number ≥ 0, got ${ratio}.`);
  const { trainUsers, trainItems, numItems } = split;
  const positives = trainUsers.length;
  const rows = positives * (1 + ratio);
  const users = new Int32Array(rows);
  const items = new Int32Array(rows);
  const labels = new Float32Array(rows);
  const rng = new SeededRandom(seed);
  const seenItems = seen.entries;
  const offsets = seen.offsets;

  let r = 0;
  let checkedUser = -1;
  for (let p = 0; p < positives; p++) {
    const u = trainUsers[p];
    const lo = offsets[u];
    const hi = offsets[u + 1];
    if (u !== checkedUser && ratio > 0) {
      // Rejection sampling would never end for a user who has seen everything.
      if (unseenCount(seen, u) === 0) throw new NotEnoughNegativesError(u, 0, ratio);
      checkedUser = u;
    }
    users[r] = u;
    items[r] = trainItems[p];
    labels[r] = 1;
    r++;
    for (let n = 0; n < ratio; n++) {
      let j = rng.nextInt(numItems);
      while (sortedSliceHas(seenItems, lo, hi, j)) j = rng.nextInt(numItems);
      users[r] = u;
      items[r] = j;
      r++; // labels are already 0
    }
  }
  shuffleRows(users, items, labels, rng);
  return { users, items, labels };
}

/** Fisher-Yates over three parallel arrays, so a row's user, item and label stay together. */
function shuffleRows(users: Int32Array, items: Int32Array, labels: Float32Array, rng: SeededRandom): void {
  for (let i = users.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const u = users[i];
    users[i] = users[j];
    users[j] = u;
    const it = items[i];
    items[i] = items[j];
    items[j] = it;
    const l = labels[i];
    labels[i] = labels[j];
    labels[j] = l;
  }
}

/**
 * `count` distinct items that `user` never interacted with (`known` = `knownInteractions(split)`)
 * and that are not `heldOutItem`, for ranking the held-out item against. Uniform without replacement.
 */
export function sampleEvaluationCandidates(
  known: SparseRows,
  user: number,
  heldOutItem: number,
  count = 99,
  rng: SeededRandom,
): Int32Array {
  const unseen = unseenCount(known, user) - (heldOutItem >= 0 && !hasSeen(known, user, heldOutItem) ? 1 : 0);
  if (unseen < count) throw new NotEnoughNegativesError(user, unseen, count);
  const out = new Int32Array(count);
  const lo = known.offsets[user];
  const hi = known.offsets[user + 1];
  for (let c = 0; c < count; c++) {
    let j: number;
    do {
      j = rng.nextInt(known.columns);
    } while (j === heldOutItem || sortedSliceHas(known.entries, lo, hi, j) || alreadyChosen(out, c, j));
    out[c] = j;
  }
  return out;
}

function alreadyChosen(chosen: Int32Array, length: number, item: number): boolean {
  for (let k = 0; k < length; k++) if (chosen[k] === item) return true;
  return false;
}
