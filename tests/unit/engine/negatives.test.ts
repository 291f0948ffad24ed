import { describe, expect, it } from 'vitest';
import {
  buildSeenSets,
  hasSeen,
  NotEnoughNegativesError,
  sampleEvaluationCandidates,
  sampleTrainingEpoch,
} from '../../../src/engine/sampling/negatives';
import { SeededRandom } from '../../../src/shared/random';
import { plantedSplit } from './fixtures';

describe('buildSeenSets', () => {
  it('holds every train item and the test item of each user, sorted', () => {
    const split = plantedSplit();
    const seen = buildSeenSets(split);
    for (let p = 0; p < split.trainUsers.length; p++) expect(hasSeen(seen, split.trainUsers[p], split.trainItems[p])).toBe(true);
    for (let u = 0; u < split.numUsers; u++) {
      expect(hasSeen(seen, u, split.testItems[u])).toBe(true);
      const slice = Array.from(seen.items.subarray(seen.offsets[u], seen.offsets[u + 1]));
      expect(slice).toEqual([...slice].sort((a, b) => a - b));
      expect(slice.length).toBe(13);
    }
  });
});

describe('sampleTrainingEpoch', () => {
  const split = plantedSplit();
  const seen = buildSeenSets(split);

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
        expect(epoch.items[r]).not.toBe(split.testItems[epoch.users[r]]);
      }
    }
    expect(ones).toBe(positives);
    expect(positivePairs.size).toBe(positives);
    // Negatives per user are ratio × the user's positives.
    const perUser = new Map<number, number>();
    for (let r = 0; r < epoch.users.length; r++) if (epoch.labels[r] === 0) perUser.set(epoch.users[r], (perUser.get(epoch.users[r]) ?? 0) + 1);
    for (const count of perUser.values()) expect(count).toBe(12 * 4);
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

  it('refuses a user who has seen every item instead of looping forever', () => {
    const full = { numUsers: 1, numItems: 3, trainUsers: Int32Array.of(0, 0), trainItems: Int32Array.of(0, 1), testItems: Int32Array.of(2) };
    expect(() => sampleTrainingEpoch(full, buildSeenSets(full), 1, 1)).toThrow(NotEnoughNegativesError);
  });
});

describe('sampleEvaluationCandidates', () => {
  it('draws distinct items the user never interacted with', () => {
    const split = plantedSplit();
    const seen = buildSeenSets(split);
    const rng = new SeededRandom(3);
    for (let u = 0; u < split.numUsers; u++) {
      const candidates = sampleEvaluationCandidates(seen, u, split.testItems[u], 99, rng);
      expect(candidates.length).toBe(99);
      expect(new Set(candidates).size).toBe(99);
      for (const item of candidates) {
        expect(hasSeen(seen, u, item)).toBe(false);
        expect(item).not.toBe(split.testItems[u]);
      }
    }
  });

  it('says so when fewer than `count` unseen items exist', () => {
    const split = plantedSplit(4, 20, 1, 12);
    expect(() => sampleEvaluationCandidates(buildSeenSets(split), 0, split.testItems[0], 99, new SeededRandom(1))).toThrow(
      NotEnoughNegativesError,
    );
  });
});
