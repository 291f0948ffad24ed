import { describe, expect, it } from 'vitest';
import { buildUserHistories, knownInteractions } from '../../../../src/engine/data/sparseRows';
import {
  hasSeen,
  NotEnoughNegativesError,
  sampleEvaluationCandidates,
  chunkBuffer,
  epochChunks,
  planTrainingEpoch,
  sampleEpochChunk,
  sampleTrainingEpoch,
  sampleTrainingRows,
} from '../../../../src/engine/sampling/negatives';
import { SeededRandom } from '../../../../src/shared/random';
import { plantedSplit } from '../fixtures';

describe('seen sets', () => {
  const split = plantedSplit();

  it('knownInteractions holds every train item and the validation and test item of each user, sorted', () => {
    const known = knownInteractions(split);
    for (let p = 0; p < split.trainUsers.length; p++) expect(hasSeen(known, split.trainUsers[p], split.trainItems[p])).toBe(true);
    for (let u = 0; u < split.numUsers; u++) {
      expect(hasSeen(known, u, split.testItems[u])).toBe(true);
      expect(hasSeen(known, u, split.validationItems[u])).toBe(true);
      const slice = Array.from(known.entries.subarray(known.offsets[u], known.offsets[u + 1]));
      expect(slice).toEqual([...slice].sort((a, b) => a - b));
      expect(slice.length).toBe(13);
    }
  });

  it('buildUserHistories holds the train items only: the held-out movies are not training positives', () => {
    const positives = buildUserHistories(split);
    for (let u = 0; u < split.numUsers; u++) {
      expect(positives.offsets[u + 1] - positives.offsets[u]).toBe(11);
      expect(hasSeen(positives, u, split.testItems[u])).toBe(false);
      expect(hasSeen(positives, u, split.validationItems[u])).toBe(false);
    }
  });
});

describe('sampleTrainingEpoch', () => {
  const split = plantedSplit();
  const seen = buildUserHistories(split);

  it('has every positive and exactly `ratio` unseen negatives per positive', () => {
    const epoch = sampleTrainingEpoch(split, seen, 4, 7);
    const positives = split.trainUsers.length;
    expect(epoch.users.length).toBe(positives * 5);
    let ones = 0;
    const positivePairs = new Set<string>();
    for (let r = 0; r < epoch.users.length; r++) {
      if (epoch.labels[r] === 1) {
        ones++;
        positivePairs.add(`${epoch.users[r]},${epoch.items[r]}`);
      } else {
        expect(epoch.labels[r]).toBe(0);
        expect(hasSeen(seen, epoch.users[r], epoch.items[r])).toBe(false);
      }
    }
    expect(ones).toBe(positives);
    expect(positivePairs.size).toBe(positives);
    // Negatives per user are ratio × the user's positives.
    const perUser = new Map<number, number>();
    for (let r = 0; r < epoch.users.length; r++)
      if (epoch.labels[r] === 0) perUser.set(epoch.users[r], (perUser.get(epoch.users[r]) ?? 0) + 1);
    for (const count of perUser.values()) expect(count).toBe(11 * 4);
  });

  it('is shuffled, and deterministic by seed', () => {
    const a = sampleTrainingEpoch(split, seen, 4, 7);
    const b = sampleTrainingEpoch(split, seen, 4, 7);
    const c = sampleTrainingEpoch(split, seen, 4, 8);
    expect(Array.from(a.items)).toEqual(Array.from(b.items));
    expect(Array.from(a.users)).toEqual(Array.from(b.users));
    expect(Array.from(a.items)).not.toEqual(Array.from(c.items));
    // Not grouped by user any more.
    let userChanges = 0;
    for (let r = 1; r < a.users.length; r++) if (a.users[r] !== a.users[r - 1]) userChanges++;
    expect(userChanges).toBeGreaterThan(a.users.length / 2);
  });

  it('draws the held-out movies as negatives like any movie the model was not shown (no leak of what is held out)', () => {
    // Every user's test and validation movie is in its group, from which 13 of 30 movies are the user's.
    let testDraws = 0;
    let validationDraws = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const epoch = sampleTrainingEpoch(split, seen, 4, seed);
      for (let r = 0; r < epoch.users.length; r++) {
        if (epoch.labels[r] !== 0) continue;
        if (epoch.items[r] === split.testItems[epoch.users[r]]) testDraws++;
        if (epoch.items[r] === split.validationItems[epoch.users[r]]) validationDraws++;
      }
    }
    // Uniform over 109 movies the user did not train on: about 60 users x 44 negatives x 5 epochs / 109 ≈ 121 draws of each.
    expect(testDraws).toBeGreaterThan(60);
    expect(validationDraws).toBeGreaterThan(60);
  });

  it('refuses a user who has seen every item instead of looping forever', () => {
    const full = {
      numUsers: 1,
      numItems: 2,
      trainUsers: Int32Array.of(0, 0),
      trainItems: Int32Array.of(0, 1),
      validationItems: Int32Array.of(-1),
      testItems: Int32Array.of(-1),
    };
    expect(() => sampleTrainingEpoch(full, buildUserHistories(full), 1, 1)).toThrow(NotEnoughNegativesError);
  });
});

describe('chunked epochs (planTrainingEpoch, sampleEpochChunk)', () => {
  const split = plantedSplit();
  const seen = buildUserHistories(split);
  const positives = split.trainUsers.length; // 660
  const rowsOf = (plan: ReturnType<typeof planTrainingEpoch>) => {
    const users: number[] = [];
    const items: number[] = [];
    const labels: number[] = [];
    for (const chunk of epochChunks(plan)) {
      users.push(...chunk.users);
      items.push(...chunk.items);
      labels.push(...chunk.labels);
    }
    return { users, items, labels };
  };

  it('visits every positive exactly once per epoch, each with `ratio` negatives outside the training positives', () => {
    const plan = planTrainingEpoch(split, seen, 4, 7, 64);
    expect(plan.chunks).toBe(Math.ceil(positives / 64));
    expect(plan.rows).toBe(positives * 5);
    expect(Array.from(plan.order).sort((a, b) => a - b)).toEqual(Array.from({ length: positives }, (_, p) => p));
    const { users, items, labels } = rowsOf(plan);
    expect(users.length).toBe(positives * 5);
    const positivePairs = new Set<string>();
    const negativesPerUser = new Map<number, number>();
    for (let r = 0; r < users.length; r++) {
      if (labels[r] === 1) positivePairs.add(`${users[r]},${items[r]}`);
      else {
        expect(labels[r]).toBe(0);
        expect(hasSeen(seen, users[r], items[r])).toBe(false);
        negativesPerUser.set(users[r], (negativesPerUser.get(users[r]) ?? 0) + 1);
      }
    }
    expect(positivePairs.size).toBe(positives);
    for (const count of negativesPerUser.values()) expect(count).toBe(11 * 4);
  });

  it('keeps each chunk to its positives and their negatives, and a reused buffer gives the same rows as fresh ones', () => {
    const plan = planTrainingEpoch(split, seen, 3, 9, 100);
    const buffer = chunkBuffer(plan);
    for (let c = 0; c < plan.chunks; c++) {
      const fresh = sampleEpochChunk(plan, c);
      const reused = sampleEpochChunk(plan, c, buffer);
      expect(Array.from(reused.items)).toEqual(Array.from(fresh.items));
      const own = new Set(Array.from(plan.order.subarray(c * 100, (c + 1) * 100), (p) => split.trainUsers[p]));
      expect(fresh.users.length).toBe(own.size > 0 ? Math.min(100, positives - c * 100) * 4 : 0);
      for (const u of fresh.users) expect(own.has(u)).toBe(true);
    }
    expect(buffer.users.length).toBe(100 * 4);
  });

  it('is deterministic by seed, whatever order the chunks are sampled in', () => {
    const a = planTrainingEpoch(split, seen, 4, 7, 64);
    const b = planTrainingEpoch(split, seen, 4, 7, 64, new Int32Array(positives + 10));
    expect(rowsOf(a)).toEqual(rowsOf(b));
    // Chunk 5 alone, before any other: the same rows as in the full pass (each chunk has its own generator).
    const late = sampleEpochChunk(b, 5);
    expect(Array.from(late.items)).toEqual(rowsOf(a).items.slice(5 * 64 * 5, 6 * 64 * 5));
    expect(rowsOf(planTrainingEpoch(split, seen, 4, 8, 64)).items).not.toEqual(rowsOf(a).items);
  });

  it('shuffles positives across the whole epoch, not within users or chunks', () => {
    const plan = planTrainingEpoch(split, seen, 4, 7, 64);
    // The first chunk's positives come from all over the split (it is grouped by user).
    const firstChunk = Array.from(plan.order.subarray(0, 64));
    expect(Math.max(...firstChunk)).toBeGreaterThan(positives / 2);
    expect(Math.min(...firstChunk)).toBeLessThan(positives / 2);
    const { users } = rowsOf(plan);
    let userChanges = 0;
    for (let r = 1; r < users.length; r++) if (users[r] !== users[r - 1]) userChanges++;
    expect(userChanges).toBeGreaterThan(users.length / 2);
  });
});

describe('sampleTrainingRows', () => {
  const split = plantedSplit();
  const seen = buildUserHistories(split);

  it('draws about the rows asked for as training draws them: training positives, each with `ratio` unseen negatives', () => {
    const rows = sampleTrainingRows(split, seen, 4, 11, 102);
    expect(rows.users.length).toBe(105); // 21 positives with 4 negatives each: whole positives, at least 102 rows
    const positives = new Set(Array.from(split.trainUsers, (u, p) => `${u},${split.trainItems[p]}`));
    const negativesPerUser = new Map<number, number>();
    const positivesPerUser = new Map<number, number>();
    for (let r = 0; r < rows.users.length; r++) {
      const [u, i] = [rows.users[r], rows.items[r]];
      const counts = rows.labels[r] === 1 ? positivesPerUser : negativesPerUser;
      counts.set(u, (counts.get(u) ?? 0) + 1);
      if (rows.labels[r] === 1) expect(positives.has(`${u},${i}`)).toBe(true);
      else expect(hasSeen(seen, u, i)).toBe(false);
    }
    for (const [u, n] of positivesPerUser) expect(negativesPerUser.get(u)).toBe(4 * n);
  });

  it('gives the same rows for the same seed, other rows for another', () => {
    const a = sampleTrainingRows(split, seen, 4, 11, 100);
    expect(sampleTrainingRows(split, seen, 4, 11, 100)).toEqual(a);
    expect(sampleTrainingRows(split, seen, 4, 12, 100).items).not.toEqual(a.items);
  });
});

describe('sampleEvaluationCandidates', () => {
  it('draws distinct items the user never interacted with, neither in train nor held out', () => {
    const split = plantedSplit();
    const known = knownInteractions(split);
    const rng = new SeededRandom(3);
    for (let u = 0; u < split.numUsers; u++) {
      const candidates = sampleEvaluationCandidates(known, u, split.testItems[u], 99, rng);
      expect(candidates.length).toBe(99);
      expect(new Set(candidates).size).toBe(99);
      for (const item of candidates) {
        expect(hasSeen(known, u, item)).toBe(false);
        expect(item).not.toBe(split.testItems[u]);
        expect(item).not.toBe(split.validationItems[u]);
      }
    }
  });

  it('says so when fewer than `count` unseen items exist', () => {
    const split = plantedSplit(4, 20, 1, 12);
    expect(() => sampleEvaluationCandidates(knownInteractions(split), 0, split.testItems[0], 99, new SeededRandom(1))).toThrow(
      NotEnoughNegativesError,
    );
  });
});
