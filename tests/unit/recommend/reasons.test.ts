import { describe, expect, it } from 'vitest';
import { buildUserHistories, transposeRows } from '../../../src/engine/data/sparseRows';
import { becauseYouWatched } from '../../../src/recommend/reasons';

/** Users 0-3 watched items 0 and 1; users 2-5 items 2 and 3; user 3 also 4. */
const histories = buildUserHistories({
  numUsers: 6,
  numItems: 6,
  trainUsers: Int32Array.of(0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 4, 4, 5, 5),
  trainItems: Int32Array.of(0, 1, 0, 1, 0, 1, 2, 3, 0, 1, 2, 3, 4, 2, 3, 2, 3),
});
const itemUsers = transposeRows(histories);

describe('becauseYouWatched', () => {
  it('names the history movies most watched by the same people, best first', () => {
    // Item 1's watchers are item 0's exactly; item 2 shares two of four; item 4 one.
    expect(becauseYouWatched(itemUsers, 1, [4, 2, 0])).toEqual([0, 2]);
    expect(becauseYouWatched(itemUsers, 3, [0, 2, 4], 3)).toEqual([2, 0, 4]);
  });

  it('leaves out movies nobody watched with it, and the movie itself', () => {
    expect(becauseYouWatched(itemUsers, 4, [4, 5])).toEqual([]);
    expect(becauseYouWatched(itemUsers, 5, [0, 1])).toEqual([]);
  });
});
