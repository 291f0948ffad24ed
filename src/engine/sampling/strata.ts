/**
 * An epoch in strata, for training on several threads (src/engine/training/trainingThreads.ts):
 * users (ranges) and movies (stripes) each cut into B blocks, and an epoch into B rounds; in round
 * s, block pair (user block k, movie block (k + s) mod B) is task k, and no two tasks share a
 * user row or a movie row. The rounds take turns a few chunks at a time (`strataPhases`). Threads on different tasks therefore never write the same embedding
 * rows, as in DSGD (Gemulla et al., KDD 2011) and LIBMF's block scheduling (Zhuang et al. 2013).
 *
 * Why: Hogwild over the whole catalogue let both threads write the same rows all the time, and
 * while the host placed the two cores on different caches every such row crossed between them:
 * two threads ran at ~0.7× of what two separate models manage at once (docs/BENCHMARKS.md, "Strata
 * in phases"). Taking only the movie rows (session 8) or only the user rows away from the
 * other thread left the slow epochs; taking both removed them.
 *
 * The same statistics as one thread's epoch (`sampleEpochChunk`), exactly: every positive once,
 * with exactly `ratio` negatives, each uniform over the movies its user has not trained on. A
 * positive is trained in the round whose movie block holds its movie; its negatives are spread
 * over the rounds: each negative's block is drawn first, with probability (unseen movies of the
 * user in the block) / (unseen movies of the user), then the movie uniformly among the user's
 * unseen ones in that block, which together is uniform over all of them. The block draws come
 * from a hash of (seed, positive, draw), so each round knows how many of a positive's negatives
 * fall in its block without any round's rows depending on another's. What differs: a positive
 * and its negatives are trained in different rounds (one phase after the other); a chunk holds
 * one task's users and movies, not any of them (shuffled within); and the epoch passes over each
 * block pair a few chunks at a time, in turn, rather than over all movies in every chunk.
 */
import { lowerBound } from '../../shared/lowerBound';
import { hash32, hash32Pair, SeededRandom } from '../../shared/random';
import type { SparseRows, TrainingPositives } from '../data/sparseRows';
import { NotEnoughNegativesError, rowsBuffer, shuffleRows, sortedSliceHas, type EpochPlan, type TrainingEpoch } from './negatives';

/**
 * Movies a stripe holds: movie blocks are dealt stripes in turn (stripe j to block j mod blocks).
 * Why stripes and not halves: movie ids follow the catalogue's history, and its low half holds
 * 87-88 % of the positives on ml-100k and ml-1m, so with halves one round was nearly all the
 * positives and the other nearly none, and each user's rows swung between them. Why not single
 * movies: a row is 288 bytes, so neighbouring rows share a cache line, and rows of another
 * thread's block next to each other would pass it between the cores again; at 16 rows a stripe
 * that is one line in 72.
 */
export const MOVIES_PER_STRIPE = 16;

/**
 * How many times, at most, a batch of a stratum meets each of its users and movies on average
 * (batch × blocks / users, and / movies) for the strata to train as far an epoch as one thread.
 * Why a bound: a stratum's batch holds only its block's users, each `blocks` times as often as in
 * one thread's batch over all users, and each batch is one Adam step; once a user fills a batch
 * several times over, it gets about 1/blocks of the steps it gets on one thread. On ml-100k
 * (943 users, batch 1,024) four blocks (4.3 a batch) kept one thread's chosen HR@10 over 16
 * seeds, eight (8.7) stayed 0.004-0.006 below it, fifteen (16) ~0.03 below, training visibly
 * slower; on ml-1m fifteen (2.5 for users, 4.1 for movies) stayed within 0.01 on two seeds
 * (docs/BENCHMARKS.md, "Strata on 16 cores"). 5 is a round number between 4.3 and 8.7, not fitted.
 */
export const STRATUM_ROW_REPEATS = 5;

/** Blocks (threads) these data can be cut into and keep one thread's statistics (`STRATUM_ROW_REPEATS`); at least 1. */
export function strataBlocksAtMost(numUsers: number, numItems: number, batchSize: number): number {
  return Math.max(1, Math.floor((STRATUM_ROW_REPEATS * Math.min(numUsers, numItems)) / batchSize));
}

/**
 * Blocks a run on `threads` threads cuts its epochs into: one per thread, and two for one thread,
 * at most as many as the data allow (`strataBlocksAtMost`; 1 means the plain epoch, no strata).
 * Why two for one thread: an epoch in strata trains the same numbers on any number of threads
 * for the same blocks (src/engine/training/trainingThreads.ts), so one thread and two train the
 * same model for a seed, and a one-thread run says what two would reach.
 */
export function strataBlocksFor(threads: number, numUsers: number, numItems: number, batchSize: number): number {
  return Math.min(Math.max(2, threads), strataBlocksAtMost(numUsers, numItems, batchSize));
}

/** The threads a run that asks for `asked` trains on: as many as the data allow (`strataBlocksAtMost`), at most `asked`. */
export function threadsTheDataAllow(asked: number, numUsers: number, numItems: number, batchSize: number): number {
  return Math.min(asked, strataBlocksAtMost(numUsers, numItems, batchSize));
}

/** How users, movies and positives are cut into blocks for one run. Typed arrays, so threads can share them. */
export interface Strata {
  blocks: number;
  /** User block k is users [userStarts[k], userStarts[k + 1]). */
  userStarts: Int32Array;
  /** Movies of block k: `movieBlockOf` says which block a movie is in. */
  itemBlockSizes: Int32Array;
  /** User block k's positives are positive indices [positiveStarts[k], positiveStarts[k + 1]) (positives are grouped by user). */
  positiveStarts: Int32Array;
  /** Movies of block k user u has not trained on: [u * blocks + k]. */
  unseenInBlock: Int32Array;
}

/** The movie block movie `item` is in. */
export function movieBlockOf(strata: Strata, item: number): number {
  return Math.floor(item / MOVIES_PER_STRIPE) % strata.blocks;
}

/** The `index`-th movie of block `block` (0 ≤ index < its size): the block's stripes in order. */
function movieOfBlock(block: number, blocks: number, index: number): number {
  const stripe = block + blocks * Math.floor(index / MOVIES_PER_STRIPE);
  return stripe * MOVIES_PER_STRIPE + (index % MOVIES_PER_STRIPE);
}

/**
 * `blocks` user blocks of near-equal positives and `blocks` movie blocks of near-equal size
 * (a round's negatives follow the movie block's size, and they are most of its rows). Fewer
 * blocks when there are fewer users or stripes of movies than that.
 */
export function planStrata(positives: TrainingPositives, seen: SparseRows, blocks: number): Strata {
  const { numUsers, numItems, trainUsers } = positives;
  const b = Math.max(1, Math.min(blocks, numUsers, Math.ceil(numItems / MOVIES_PER_STRIPE)));
  const count = trainUsers.length;
  const userStarts = new Int32Array(b + 1);
  const positiveStarts = new Int32Array(b + 1);
  // Block k starts with the user of the (k/b · positives)-th positive: near-equal positives, whole users.
  for (let k = 1; k < b; k++) {
    const target = Math.round((count * k) / b);
    const user = target < count ? trainUsers[target] : numUsers;
    userStarts[k] = Math.min(Math.max(user, userStarts[k - 1] + 1), numUsers - (b - k));
    positiveStarts[k] = lowerBound(trainUsers, userStarts[k]); // positives are grouped by user, ascending
  }
  userStarts[b] = numUsers;
  positiveStarts[b] = count;
  const itemBlockSizes = new Int32Array(b);
  for (let i = 0; i < numItems; i++) itemBlockSizes[Math.floor(i / MOVIES_PER_STRIPE) % b]++;
  const unseenInBlock = new Int32Array(numUsers * b);
  for (let u = 0; u < numUsers; u++) {
    unseenInBlock.set(itemBlockSizes, u * b);
    for (let e = seen.offsets[u]; e < seen.offsets[u + 1]; e++)
      unseenInBlock[u * b + (Math.floor(seen.entries[e] / MOVIES_PER_STRIPE) % b)]--;
  }
  return { blocks: b, userStarts, itemBlockSizes, positiveStarts, unseenInBlock };
}

/** The movie block task `task` trains in round `round`. */
export function itemBlockOf(strata: Strata, task: number, round: number): number {
  return (task + round) % strata.blocks;
}

/**
 * An epoch's order, which every round passes over: each user block's positives in a seeded random
 * order, written into `order` (positives are grouped by user, so block k's are a range of indices).
 */
export function shuffleWithinUserBlocks(strata: Strata, seed: number, order: Int32Array): void {
  const { positiveStarts, blocks } = strata;
  for (let k = 0; k < blocks; k++) {
    const block = order.subarray(positiveStarts[k], positiveStarts[k + 1]);
    for (let q = 0; q < block.length; q++) block[q] = positiveStarts[k] + q;
    new SeededRandom(hash32Pair(seed, k)).shuffle(block);
  }
}

/** Chunks of task `task` (every round passes over all of its user block's positives, `positivesPerChunk` at a time). */
export function chunksOfTask(strata: Strata, task: number, positivesPerChunk: number): number {
  return Math.ceil((strata.positiveStarts[task + 1] - strata.positiveStarts[task]) / positivesPerChunk);
}

/**
 * Chunks of each task one phase of an epoch trains. The rounds take turns a group of chunks at a
 * time (round 0 on every task's chunks 0-7, round 1 on the same chunks, round 0 on chunks 8-15,
 * ...) instead of one whole round after the other: whole rounds showed each user only half the
 * movies for half an epoch, which at the 25M set's 20,000 users left the epoch's loss 9 % above
 * one thread's (docs/BENCHMARKS.md, "Strata in phases"). Eight: chosen (session 10) when a thread
 * done with its own task's chunks helped with another's, where four chunks of twice the size ran
 * ~10 % slower; since session 19 the threads meet after every chunk instead (src/engine/training/trainingThreads.ts).
 */
export const CHUNKS_PER_PHASE = 8;

/**
 * Phases a round is cut into at least: half as many as there are blocks (one on 2 or 3 blocks, four
 * on 8), by making chunks smaller where a task is short of positives for that many phases of
 * `CHUNKS_PER_PHASE` plain chunks. Until session 11 a round was at least one phase, so on small
 * data (ml-100k, ml-latest-small) every round was one phase, that is whole rounds again: on 2
 * blocks that did no harm, on 8 it lowered ml-100k's chosen HR@10 by 0.017, and four phases a
 * round took most of that back. Why not four on 2 blocks too: there it kept the mean of the test
 * figures but spread each run's full-catalogue HR@10 twice as far from one thread's
 * (docs/BENCHMARKS.md, "Four and eight threads in strata").
 */
export function phasesPerRound(blocks: number): number {
  return Math.max(1, Math.floor(blocks / 2));
}

/**
 * Positives a stratum chunk passes over: a plain chunk's (`positivesPerChunk`), whatever the
 * number of blocks, and fewer where the data is small beside the blocks, so that a round has at
 * least `phasesPerRound` phases of `CHUNKS_PER_PHASE` chunks. Why not more with more blocks, though a
 * round keeps only ~1/blocks of each positive's rows: a fixed number of positives a chunk keeps
 * each user's run of rows against one movie block as short on 15 threads as on 2; the price is
 * smaller chunks on more threads (~35,000 rows on 2 threads, ~4,600 on 15, at 16 negatives), which
 * the threads still train in whole batches (`StratumBatches`, src/engine/training/stratumBatches.ts).
 */
export function stratumPositivesPerChunk(strata: Strata, positivesPerChunk: number): number {
  const perTask = Math.ceil(strata.positiveStarts[strata.blocks] / strata.blocks);
  return Math.max(1, Math.min(positivesPerChunk, Math.ceil(perTask / (phasesPerRound(strata.blocks) * CHUNKS_PER_PHASE))));
}

/** One phase of an epoch in strata: round `round` over chunks [firstChunk, endChunk) of every task (fewer where a task has fewer). */
export interface StrataPhase {
  round: number;
  firstChunk: number;
  endChunk: number;
}

/** An epoch's phases in the order they are trained: for each group of `CHUNKS_PER_PHASE` chunks, every round in turn. */
export function strataPhases(strata: Strata, positivesPerChunk: number): StrataPhase[] {
  let chunks = 0;
  for (let task = 0; task < strata.blocks; task++) chunks = Math.max(chunks, chunksOfTask(strata, task, positivesPerChunk));
  const phases: StrataPhase[] = [];
  for (let firstChunk = 0; firstChunk < chunks; firstChunk += CHUNKS_PER_PHASE) {
    for (let round = 0; round < strata.blocks; round++) phases.push({ round, firstChunk, endChunk: firstChunk + CHUNKS_PER_PHASE });
  }
  return phases;
}

/** What a stratum chunk is sampled from: an epoch's order (`shuffleWithinUserBlocks`), its seed, and the strata. */
export type StratifiedEpoch = Pick<EpochPlan, 'positives' | 'seen' | 'ratio' | 'seed' | 'order' | 'positivesPerChunk'> & { strata: Strata };

/**
 * Chunk `chunk` of task `task` in round `round`: the chunk's positives whose movie lies in the
 * round's movie block, and those of their negatives drawn into that block, shuffled. Written into
 * `buffer` (views of it are returned), whose arrays are replaced by larger ones when the chunk's rows
 * do not fit (sized at twice a chunk's expected rows, that is rare).
 */
export function sampleStratumChunk(
  epoch: StratifiedEpoch,
  task: number,
  round: number,
  chunk: number,
  buffer: TrainingEpoch,
): TrainingEpoch {
  const { positives, seen, ratio, seed, order, positivesPerChunk, strata } = epoch;
  const { trainUsers, trainItems } = positives;
  const b = strata.blocks;
  const block = itemBlockOf(strata, task, round);
  const blockSize = strata.itemBlockSizes[block];
  const from = strata.positiveStarts[task] + chunk * positivesPerChunk;
  const to = Math.min(strata.positiveStarts[task + 1], from + positivesPerChunk);
  const rng = new SeededRandom(hash32Pair(hash32Pair(seed, chunk), task * b + block));
  const { entries, offsets } = seen;
  let r = 0;
  for (let q = from; q < to; q++) {
    // A chunk's negatives fall in its block by chance: room for one more positive's rows, at worst all of them.
    if (buffer.users.length < r + 1 + ratio) growRows(buffer, r, 2 * (r + 1 + ratio));
    const { users, items, labels } = buffer;
    const p = order[q];
    const u = trainUsers[p];
    const item = trainItems[p];
    if (movieBlockOf(strata, item) === block) {
      users[r] = u;
      items[r] = item;
      labels[r] = 1;
      r++;
    }
    if (ratio === 0) continue;
    const negatives = negativesInBlock(strata, seed, p, u, block, ratio);
    if (negatives === -1) throw new NotEnoughNegativesError(u, 0, ratio);
    const lo = offsets[u];
    const hi = offsets[u + 1];
    for (let n = 0; n < negatives; n++) {
      let j = movieOfBlock(block, b, rng.nextInt(blockSize));
      while (sortedSliceHas(entries, lo, hi, j)) j = movieOfBlock(block, b, rng.nextInt(blockSize));
      users[r] = u;
      items[r] = j;
      labels[r] = 0;
      r++;
    }
  }
  const rows = { users: buffer.users.subarray(0, r), items: buffer.items.subarray(0, r), labels: buffer.labels.subarray(0, r) };
  shuffleRows(rows.users, rows.items, rows.labels, rng);
  return rows;
}

/**
 * How many of positive `p`'s `ratio` negatives fall in movie block `block`: each draw picks a block
 * with probability (user's unseen movies there) / (user's unseen movies), from a hash of
 * (seed, p, draw), so every round counts the same draws. -1 when the user has no unseen movie.
 */
function negativesInBlock(strata: Strata, seed: number, p: number, u: number, block: number, ratio: number): number {
  const b = strata.blocks;
  const base = u * b;
  let unseen = 0;
  for (let k = 0; k < b; k++) unseen += strata.unseenInBlock[base + k];
  if (unseen === 0) return -1;
  const before = blockStartIn(strata.unseenInBlock, base, block);
  const inBlock = strata.unseenInBlock[base + block];
  const positive = hash32Pair(seed ^ 0x5bd1e995, p);
  let count = 0;
  for (let n = 0; n < ratio; n++) {
    // A uniform position among the user's unseen movies, by block: [before, before + inBlock) is this block.
    const at = Math.floor((hash32(positive ^ Math.imul(n + 1, 0x9e3779b1)) / 4294967296) * unseen);
    if (at >= before && at < before + inBlock) count++;
  }
  return count;
}

function blockStartIn(unseenInBlock: Int32Array, base: number, block: number): number {
  let sum = 0;
  for (let k = 0; k < block; k++) sum += unseenInBlock[base + k];
  return sum;
}

/** Replaces `buffer`'s arrays by ones of `capacity` rows holding its first `rows` rows. */
function growRows(buffer: TrainingEpoch, rows: number, capacity: number): void {
  const grown = rowsBuffer(capacity);
  grown.users.set(buffer.users.subarray(0, rows));
  grown.items.set(buffer.items.subarray(0, rows));
  grown.labels.set(buffer.labels.subarray(0, rows));
  Object.assign(buffer, grown);
}

/** A buffer for stratum chunks of `positivesPerChunk` positives: twice the rows one is expected to hold. */
export function stratumChunkBuffer(strata: Strata, positivesPerChunk: number, ratio: number): TrainingEpoch {
  return rowsBuffer(Math.ceil((2 * positivesPerChunk * (1 + ratio)) / strata.blocks));
}
