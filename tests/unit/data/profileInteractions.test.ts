import { describe, expect, it } from 'vitest';
import { appendProfiles } from '../../../src/data/profileInteractions';

describe('appendProfiles', () => {
  it('adds one user per profile after the data set users, with their catalogue movies as training data', () => {
    const split = {
      numUsers: 2,
      numItems: 3,
      trainUsers: Int32Array.from([0, 1]),
      trainItems: Int32Array.from([0, 1]),
      validationItems: Int32Array.from([-1, 2]),
      testItems: Int32Array.from([2, 0]),
    };
    const itemOfMovie = new Map([
      [10, 0],
      [20, 1],
      [30, 2],
    ]);
    const { split: joined, profileUsers } = appendProfiles(split, itemOfMovie, [
      { profileId: 7, movieIds: [30, 10, 999, 10], historyChangedAt: 5 },
      { profileId: 8, movieIds: [20], historyChangedAt: 6 },
    ]);
    expect(joined.numUsers).toBe(4);
    expect(Array.from(joined.trainUsers)).toEqual([0, 1, 2, 2, 3]);
    expect(Array.from(joined.trainItems)).toEqual([0, 1, 0, 2, 1]);
    // Profiles have nothing held out: the evaluation stays on the data set's users.
    expect(Array.from(joined.testItems)).toEqual([2, 0, -1, -1]);
    expect(Array.from(joined.validationItems)).toEqual([-1, 2, -1, -1]);
    expect(profileUsers).toEqual([
      { profileId: 7, user: 2, historyChangedAt: 5, movies: 2 },
      { profileId: 8, user: 3, historyChangedAt: 6, movies: 1 },
    ]);
  });
});
