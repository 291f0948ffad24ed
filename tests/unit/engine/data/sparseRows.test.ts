import { describe, expect, it } from 'vitest';
import { buildUserHistories, itemTrainingCounts, TrainingPositivesError, transposeRows } from '../../../../src/engine/data/sparseRows';
import { split } from '../baselines/tinySplit';

describe('training positives', () => {
  it("groups, sorts and de-duplicates each user's items, and transposes them", () => {
    const users = buildUserHistories(split);
    expect(Array.from(users.offsets)).toEqual([0, 2, 4, 5]);
    expect(Array.from(users.entries)).toEqual([1, 3, 1, 2, 1]);
    const items = transposeRows(users);
    expect(Array.from(items.offsets)).toEqual([0, 0, 3, 4, 5, 5]);
    expect(Array.from(items.entries)).toEqual([0, 1, 2, 1, 0]);
    expect(Array.from(itemTrainingCounts(users))).toEqual([0, 3, 1, 1, 0]);
  });

  it('refuses rows that are not grouped by user or name unknown ids', () => {
    expect(() => buildUserHistories({ ...split, trainUsers: Int32Array.from([0, 1, 0, 1, 1, 2]) })).toThrow(TrainingPositivesError);
    expect(() => buildUserHistories({ ...split, trainItems: Int32Array.from([3, 1, 5, 1, 2, 1]) })).toThrow(/item 5/);
  });
});
