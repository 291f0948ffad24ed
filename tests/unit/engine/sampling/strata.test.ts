import { describe, expect, it } from 'vitest';
import type { InteractionSplit } from '../../../../src/data/interactions';
import { buildUserHistories } from '../../../../src/engine/data/sparseRows';
import { hasSeen, type TrainingEpoch } from '../../../../src/engine/sampling/negatives';
import {
  chunksOfTask,
  CHUNKS_PER_PHASE,
  itemBlockOf,
  movieBlockOf,
  MOVIES_PER_STRIPE,
  phasesPerRound,
  planStrata,
  sampleStratumChunk,
  shuffleWithinUserBlocks,
  strataBlocksAtMost,
  strataBlocksFor,
  strataPhases,
  threadsTheDataAllow,
  STRATUM_ROW_REPEATS,
  stratumChunkBuffer,
  stratumPositivesPerChunk,
  type StratifiedEpoch,
} from '../../../../src/engine/sampling/strata';
import { plantedSplit } from '../fixtures';

// 60 users in 4 taste clusters of 30 movies, each user having seen 11 of its cluster's.
const split = plantedSplit(60, 120, 4, 12, 3);
const RATIO = 4;
const PER_CHUNK = 50;

function stratifiedEpoch(blocks: number, seed: number, data: InteractionSplit = split): StratifiedEpoch {
  const seen = buildUserHistories(data);
  const strata = planStrata(data, seen, blocks);
  const order = new Int32Array(data.trainUsers.length);
  shuffleWithinUserBlocks(strata, seed, order);
  return { positives: data, seen, ratio: RATIO, seed, order, positivesPerChunk: PER_CHUNK, strata };
}

interface Row {
  user: number;
  item: number;
  label: number;
}

const rowsOf = ({ users, items, labels }: TrainingEpoch): Row[] =>
  Array.from(users, (user, r) => ({ user, item: items[r], label: labels[r] }));

/** Every chunk of every task in round `round`, by task. */
function roundRows(epoch: StratifiedEpoch, round: number): Row[][] {
  const buffer = stratumChunkBuffer(epoch.strata, epoch.positivesPerChunk, epoch.ratio);
  return Array.from({ length: epoch.strata.blocks }, (_, task) =>
    Array.from({ length: chunksOfTask(epoch.strata, task, epoch.positivesPerChunk) }, (_, chunk) =>
      rowsOf(sampleStratumChunk(epoch, task, round, chunk, buffer)),
    ).flat(),
  );
}

const allRows = (epoch: StratifiedEpoch) =>
  Array.from({ length: epoch.strata.blocks }, (_, round) => roundRows(epoch, round).flat()).flat();

describe('planStrata', () => {
  it('cuts users into ranges of whole users with near-equal positives, and deals stripes of movies to the blocks in turn', () => {
    const { strata } = stratifiedEpoch(3, 1);
    expect(strata.blocks).toBe(3);
    expect(Array.from(strata.userStarts)).toEqual([0, 20, 40, 60]);
    // 11 positives a user: block k's positives are those of its users, a range of positive indices.
    expect(Array.from(strata.positiveStarts)).toEqual([0, 220, 440, 660]);
    // 120 movies: stripes of 16 (the last of 8), dealt 0, 1, 2, 0, 1, 2, 0, 1.
    expect(MOVIES_PER_STRIPE).toBe(16);
    expect(Array.from(strata.itemBlockSizes)).toEqual([48, 40, 32]);
    expect([0, 15, 16, 47, 48, 111, 112, 119].map((item) => movieBlockOf(strata, item))).toEqual([0, 0, 1, 2, 0, 0, 1, 1]);
  });

  it('counts each user’s unseen movies in each block', () => {
    const { strata, seen } = stratifiedEpoch(3, 1);
    for (let u = 0; u < split.numUsers; u++) {
      const unseen = [0, 0, 0];
      for (let i = 0; i < split.numItems; i++) if (!hasSeen(seen, u, i)) unseen[movieBlockOf(strata, i)]++;
      expect(Array.from(strata.unseenInBlock.subarray(u * 3, u * 3 + 3))).toEqual(unseen);
    }
  });

  it('balances positives when users have different numbers of them, and never leaves a block without users or movies', () => {
    // Users 0-9 with 1 positive each, user 10 with 30: half the positives belong to one user.
    const trainUsers = Int32Array.from([...Array.from({ length: 10 }, (_, u) => u), ...Array(30).fill(10)]);
    const trainItems = Int32Array.from({ length: trainUsers.length }, (_, p) => (p < 10 ? p : p - 10));
    const positives = { numUsers: 11, numItems: 400, trainUsers, trainItems };
    const strata = planStrata(positives, buildUserHistories(positives), 2);
    expect(Array.from(strata.userStarts)).toEqual([0, 10, 11]);
    expect(Array.from(strata.positiveStarts)).toEqual([0, 10, 40]);
    const crowded = planStrata(positives, buildUserHistories(positives), 16);
    expect(crowded.blocks).toBe(11); // no more blocks than users
    for (let k = 0; k < crowded.blocks; k++) expect(crowded.userStarts[k + 1]).toBeGreaterThan(crowded.userStarts[k]);
    expect(planStrata({ ...positives, numItems: 40 }, buildUserHistories(positives), 16).blocks).toBe(3); // nor than stripes
  });
});

describe('an epoch in strata', () => {
  it('trains every positive once and exactly `ratio` negatives per positive, none of them seen', () => {
    const epoch = stratifiedEpoch(3, 11);
    const rows = allRows(epoch);
    expect(rows.length).toBe(split.trainUsers.length * (1 + RATIO));
    const positives = rows.filter((r) => r.label === 1).map((r) => `${r.user},${r.item}`);
    const expected = Array.from(split.trainUsers, (u, p) => `${u},${split.trainItems[p]}`);
    expect(positives.sort()).toEqual(expected.sort());
    const negativesOf = new Int32Array(split.numUsers);
    for (const r of rows.filter((r) => r.label === 0)) {
      expect(hasSeen(epoch.seen, r.user, r.item)).toBe(false);
      negativesOf[r.user]++;
    }
    for (let u = 0; u < split.numUsers; u++) expect(negativesOf[u]).toBe(11 * RATIO);
  });

  it('gives the tasks of one round disjoint users and movies: each task its own user block and movie block', () => {
    const epoch = stratifiedEpoch(3, 11);
    const { strata } = epoch;
    for (let round = 0; round < 3; round++) {
      roundRows(epoch, round).forEach((rows, task) => {
        expect(rows.length).toBeGreaterThan(0);
        for (const r of rows) {
          expect(r.user >= strata.userStarts[task] && r.user < strata.userStarts[task + 1]).toBe(true);
          expect(movieBlockOf(strata, r.item)).toBe(itemBlockOf(strata, task, round));
        }
      });
      expect(new Set([0, 1, 2].map((task) => itemBlockOf(strata, task, round))).size).toBe(3);
    }
  });

  it('draws negatives uniformly over each user’s unseen movies, not evenly over the blocks', () => {
    // 8 taste clusters of 16 movies, one stripe each, dealt to two blocks of 64: each user has seen 11
    // movies of one block (its taste's), so 53 of its 117 unseen movies lie there: 45 % of its
    // negatives belong in that block; even blocks would give 50 %.
    const striped = plantedSplit(64, 128, 8, 12, 5);
    let inOwnBlock = 0;
    let expected = 0;
    let negatives = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const epoch = stratifiedEpoch(2, seed, striped);
      for (const r of allRows(epoch).filter((r) => r.label === 0)) {
        const unseen = [0, 1].map((k) => epoch.strata.unseenInBlock[r.user * 2 + k]);
        const own = unseen[0] < unseen[1] ? 0 : 1;
        expected += unseen[own] / (unseen[0] + unseen[1]);
        if (movieBlockOf(epoch.strata, r.item) === own) inOwnBlock++;
        negatives++;
      }
    }
    expect(expected / negatives).toBeCloseTo(53 / 117, 6);
    // 56,320 negatives: the share's standard error is ~0.002.
    expect(Math.abs(inOwnBlock / negatives - expected / negatives)).toBeLessThan(0.01);
  });

  it('samples a chunk the same whatever was sampled before it, and whatever its buffer’s size', () => {
    const epoch = stratifiedEpoch(2, 5);
    const big = stratumChunkBuffer(epoch.strata, PER_CHUNK, RATIO);
    const first = rowsOf(sampleStratumChunk(epoch, 1, 1, 2, big));
    sampleStratumChunk(epoch, 0, 0, 0, big);
    expect(rowsOf(sampleStratumChunk(epoch, 1, 1, 2, big))).toEqual(first);
    const tiny = { users: new Int32Array(1), items: new Int32Array(1), labels: new Float32Array(1) };
    expect(rowsOf(sampleStratumChunk(epoch, 1, 1, 2, tiny))).toEqual(first);
    expect(tiny.users.length).toBeGreaterThanOrEqual(first.length); // grown to hold the chunk
  });

  it('orders each user block’s positives at random, a new order each epoch', () => {
    const a = stratifiedEpoch(2, 1);
    const b = stratifiedEpoch(2, 2);
    const { positiveStarts } = a.strata;
    for (const epoch of [a, b]) {
      for (let k = 0; k < 2; k++) {
        const block = Array.from(epoch.order.subarray(positiveStarts[k], positiveStarts[k + 1])).sort((x, y) => x - y);
        expect(block).toEqual(Array.from({ length: positiveStarts[k + 1] - positiveStarts[k] }, (_, q) => positiveStarts[k] + q));
      }
    }
    expect(Array.from(a.order)).not.toEqual(Array.from(b.order));
  });
});

describe('strataPhases', () => {
  it('trains every round of every task’s chunks exactly once, the rounds taking turns a few chunks at a time', () => {
    const epoch = stratifiedEpoch(2, 1, plantedSplit(600, 120, 4, 12, 3));
    const { strata, positivesPerChunk } = epoch;
    const phases = strataPhases(strata, positivesPerChunk);
    const trained = new Map<string, number>();
    for (const { round, firstChunk, endChunk } of phases) {
      for (let task = 0; task < strata.blocks; task++) {
        for (let chunk = firstChunk; chunk < Math.min(endChunk, chunksOfTask(strata, task, positivesPerChunk)); chunk++) {
          const key = `${task}/${round}/${chunk}`;
          trained.set(key, (trained.get(key) ?? 0) + 1);
        }
      }
    }
    let expected = 0;
    for (let task = 0; task < strata.blocks; task++) expected += chunksOfTask(strata, task, positivesPerChunk) * strata.blocks;
    expect(trained.size).toBe(expected);
    expect([...trained.values()].every((times) => times === 1)).toBe(true);
    // Not whole rounds one after the other: both rounds come before the epoch's second group of chunks.
    expect(chunksOfTask(strata, 0, positivesPerChunk)).toBeGreaterThan(2 * CHUNKS_PER_PHASE);
    expect(phases.slice(0, 3).map(({ round, firstChunk }) => [round, firstChunk])).toEqual([
      [0, 0],
      [1, 0],
      [0, CHUNKS_PER_PHASE],
    ]);
  });
});

describe('stratumPositivesPerChunk', () => {
  const { strata } = stratifiedEpoch(8, 1, plantedSplit(600, 120, 4, 12, 3));
  const perTask = strata.positiveStarts[strata.blocks] / strata.blocks;

  it('keeps a plain chunk’s positives where every round has room for its phases', () => {
    const plain = Math.floor(perTask / (2 * phasesPerRound(strata.blocks) * CHUNKS_PER_PHASE));
    expect(stratumPositivesPerChunk(strata, plain)).toBe(plain);
  });

  it('cuts chunks smaller on small data, so that a round on many blocks is never one whole phase', () => {
    expect(strata.blocks).toBe(8);
    expect(phasesPerRound(strata.blocks)).toBe(4);
    const perChunk = stratumPositivesPerChunk(strata, 4096);
    expect(perChunk).toBeLessThan(perTask);
    const phasesOfRound0 = strataPhases(strata, perChunk).filter(({ round }) => round === 0);
    expect(phasesOfRound0.length).toBeGreaterThanOrEqual(4);
  });

  it('leaves two blocks as they were: a task of eight chunks, one phase a round', () => {
    const two = stratifiedEpoch(2, 1, plantedSplit(600, 120, 4, 12, 3)).strata;
    const perTaskOfTwo = two.positiveStarts[two.blocks] / two.blocks;
    expect(phasesPerRound(two.blocks)).toBe(1);
    expect(stratumPositivesPerChunk(two, 4096)).toBe(Math.ceil(Math.ceil(perTaskOfTwo) / CHUNKS_PER_PHASE));
  });
});

describe('strataBlocksAtMost', () => {
  it('allows as many blocks as keep a batch meeting each user and movie at most STRATUM_ROW_REPEATS times', () => {
    expect(STRATUM_ROW_REPEATS).toBe(5);
    // ml-100k (943 users, 1,682 movies), batch 1,024: four blocks meet a user 4.3 times a batch, five would 5.4.
    expect(strataBlocksAtMost(943, 1682, 1024)).toBe(4);
    // ml-1m (6,040 users, 3,706 movies): the movies bound it, at 18; fifteen threads (a 16-core machine's default) fit.
    expect(strataBlocksAtMost(6040, 3706, 1024)).toBe(18);
    // ml-latest-small with a profile (611 users, 9,724 movies): two.
    expect(strataBlocksAtMost(611, 9724, 1024)).toBe(2);
  });

  it('is one block, never none, where even two would repeat rows: tiny data, or a batch as large as the users', () => {
    expect(strataBlocksAtMost(40, 300, 1024)).toBe(1);
    expect(strataBlocksAtMost(943, 1682, 8192)).toBe(1);
  });

  it('allows more blocks as the batch gets smaller, since a smaller batch meets each row fewer times', () => {
    expect(strataBlocksAtMost(943, 1682, 256)).toBe(18);
  });

  it('gives a run the threads it asks for up to that bound (threadsTheDataAllow), never more', () => {
    expect(threadsTheDataAllow(15, 943, 1682, 1024)).toBe(4);
    expect(threadsTheDataAllow(2, 943, 1682, 1024)).toBe(2);
    expect(threadsTheDataAllow(15, 6040, 3706, 1024)).toBe(15);
    expect(threadsTheDataAllow(8, 40, 300, 1024)).toBe(1);
  });

  it('cuts a run into a block a thread, and one thread into two blocks (as two threads), within that bound (strataBlocksFor)', () => {
    expect(strataBlocksFor(1, 943, 1682, 1024)).toBe(2);
    expect(strataBlocksFor(2, 943, 1682, 1024)).toBe(2);
    expect(strataBlocksFor(3, 943, 1682, 1024)).toBe(3);
    expect(strataBlocksFor(15, 943, 1682, 1024)).toBe(4);
    // Data too small for two blocks: one, the plain epoch.
    expect(strataBlocksFor(1, 40, 300, 1024)).toBe(1);
  });
});
