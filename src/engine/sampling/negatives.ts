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
import { hash32Pair, SeededRandom } from '../../shared/random';
import type { SparseRows, TrainingPositives } from '../data/sparseRows';

/** Training rows: positives and their sampled negatives, shuffled. A whole epoch, or one chunk of one. */
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
export function sortedSliceHas(items: Int32Array, lo: number, hi: number, item: number): boolean {
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
 * One epoch's plan: the order positives are visited in, cut into chunks of `positivesPerChunk`.
 * A chunk is each of its positives with `ratio` fresh negatives, shuffled (`sampleEpochChunk`).
 *
 * Why chunks: the whole epoch at once costs 12 bytes a row (480 MB at 40M rows), while a chunk
 * buffer is a few MB and the plan 4 bytes a positive. What that changes statistically, against
 * building and shuffling the whole epoch (which is the one-chunk case, `sampleTrainingEpoch`):
 * every positive is still seen once per epoch with `ratio` negatives, and positives are still in
 * a uniformly random order over the whole epoch; but a positive's negatives now sit in the same
 * chunk as it (a window of `positivesPerChunk · (1 + ratio)` rows, ~70,000 in training)
 * rather than anywhere in the epoch. Within a chunk rows are fully shuffled.
 *
 * Each chunk draws from its own generator, seeded from (`seed`, chunk index): a chunk's rows do
 * not depend on which chunks were sampled before it, or by which thread (`trainingThreads.ts`).
 */
export interface EpochPlan {
  positives: TrainingPositives;
  seen: SparseRows;
  ratio: number;
  seed: number;
  /** Training positive indices in visiting order: a permutation of 0 .. positives - 1. */
  order: Int32Array;
  positivesPerChunk: number;
  chunks: number;
  /** Rows in the whole epoch: positives × (1 + ratio). */
  rows: number;
}

/** The seed of epoch `epoch`'s sampling in a run seeded `seed` (epochs count from 1). */
export function epochSeed(seed: number, epoch: number): number {
  return seed * 1000 + epoch;
}

/**
 * The plan of one epoch: positives in a seeded random order (written into `order` when it is given
 * and long enough, so the buffer can be reused from epoch to epoch), cut into chunks.
 */
export function planTrainingEpoch(
  positives: TrainingPositives,
  seen: SparseRows,
  ratio: number,
  seed: number,
  positivesPerChunk: number,
  order?: Int32Array,
): EpochPlan {
  if (!Number.isInteger(ratio) || ratio < 0) throw new RangeError(`Negative ratio must be a whole number ≥ 0, got ${ratio}.`);
  const count = positives.trainUsers.length;
  const visit = order && order.length >= count ? order.subarray(0, count) : new Int32Array(count);
  for (let p = 0; p < count; p++) visit[p] = p;
  new SeededRandom(seed).shuffle(visit);
  return epochPlanOver(positives, seen, ratio, seed, positivesPerChunk, visit);
}

/**
 * The plan whose visiting order was already drawn into `order` (the first `positives` entries):
 * how a helper thread sees the epoch thread 0 planned into shared memory.
 */
export function epochPlanOver(
  positives: TrainingPositives,
  seen: SparseRows,
  ratio: number,
  seed: number,
  positivesPerChunk: number,
  order: Int32Array,
): EpochPlan {
  const count = positives.trainUsers.length;
  const perChunk = Math.max(1, Math.floor(positivesPerChunk));
  return {
    positives,
    seen,
    ratio,
    seed,
    order: order.subarray(0, count),
    positivesPerChunk: perChunk,
    chunks: Math.ceil(count / perChunk),
    rows: count * (1 + ratio),
  };
}

/** A buffer for one chunk of `plan` (or of any plan with the same chunk size and ratio), to pass to `sampleEpochChunk`. */
export function chunkBuffer(plan: Pick<EpochPlan, 'positivesPerChunk' | 'ratio'>): TrainingEpoch {
  return rowsBuffer(plan.positivesPerChunk * (1 + plan.ratio));
}

/** Room for `rows` training rows (zeroed): what every chunk buffer is made of. */
export function rowsBuffer(rows: number): TrainingEpoch {
  return { users: new Int32Array(rows), items: new Int32Array(rows), labels: new Float32Array(rows) };
}

/**
 * Chunk `chunk` of `plan`: each of its positives followed by `ratio` uniform negatives, then
 * shuffled. Written into `buffer` when given (views of it are returned), else freshly allocated.
 * Negatives of a user may repeat across positives (sampling with replacement, as in He et al.);
 * none is ever one of the user's training positives (`plan.seen` = `buildUserHistories(split)`).
 */
export function sampleEpochChunk(plan: EpochPlan, chunk: number, buffer?: TrainingEpoch): TrainingEpoch {
  const { ratio, order, positivesPerChunk } = plan;
  const { trainUsers, trainItems, numItems } = plan.positives;
  const from = chunk * positivesPerChunk;
  const to = Math.min(order.length, from + positivesPerChunk);
  const rows = Math.max(0, to - from) * (1 + ratio);
  const target = buffer && buffer.users.length >= rows ? buffer : chunkBuffer({ positivesPerChunk: Math.max(0, to - from), ratio });
  const users = target.users.subarray(0, rows);
  const items = target.items.subarray(0, rows);
  const labels = target.labels.subarray(0, rows);
  const rng = new SeededRandom(hash32Pair(plan.seed, chunk));
  const seenItems = plan.seen.entries;
  const offsets = plan.seen.offsets;

  let r = 0;
  for (let q = from; q < to; q++) {
    const p = order[q];
    const u = trainUsers[p];
    const lo = offsets[u];
    const hi = offsets[u + 1];
    // Rejection sampling would never end for a user who has seen everything.
    if (ratio > 0 && unseenCount(plan.seen, u) === 0) throw new NotEnoughNegativesError(u, 0, ratio);
    users[r] = u;
    items[r] = trainItems[p];
    labels[r] = 1;
    r++;
    for (let n = 0; n < ratio; n++) {
      let j = rng.nextInt(numItems);
      while (sortedSliceHas(seenItems, lo, hi, j)) j = rng.nextInt(numItems);
      users[r] = u;
      items[r] = j;
      labels[r] = 0;
      r++;
    }
  }
  shuffleRows(users, items, labels, rng);
  return { users, items, labels };
}

/**
 * About `rows` training rows as an epoch's chunk holds them (positives drawn at random, with
 * replacement, each with `ratio` negatives, shuffled), without planning a whole epoch: what the
 * automatic choice of trainer probes on, so that each trainer is timed on this run's own rows.
 */
export function sampleTrainingRows(
  positives: TrainingPositives,
  seen: SparseRows,
  ratio: number,
  seed: number,
  rows: number,
): TrainingEpoch {
  const count = Math.max(1, Math.ceil(rows / (1 + ratio)));
  const rng = new SeededRandom(seed);
  const order = Int32Array.from({ length: count }, () => rng.nextInt(positives.trainUsers.length));
  return sampleEpochChunk(epochPlanOver(positives, seen, ratio, seed, count, order), 0);
}

/** Every chunk of `plan` in order, each written into the same `buffer` (read a chunk before asking for the next). */
export function* epochChunks(plan: EpochPlan, buffer: TrainingEpoch = chunkBuffer(plan)): Generator<TrainingEpoch> {
  for (let c = 0; c < plan.chunks; c++) yield sampleEpochChunk(plan, c, buffer);
}

/**
 * A whole epoch as one chunk: every training positive with `ratio` negatives, shuffled as a
 * whole. Same split, ratio and seed give the same epoch. For small data and tests; training runs
 * go chunk by chunk (`planTrainingEpoch`), which bounds their memory.
 */
export function sampleTrainingEpoch(positives: TrainingPositives, seen: SparseRows, ratio: number, seed: number): TrainingEpoch {
  const plan = planTrainingEpoch(positives, seen, ratio, seed, Math.max(1, positives.trainUsers.length));
  return sampleEpochChunk(plan, 0);
}

/** Fisher-Yates over three parallel arrays, so a row's user, item and label stay together. */
export function shuffleRows(users: Int32Array, items: Int32Array, labels: Float32Array, rng: SeededRandom): void {
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
