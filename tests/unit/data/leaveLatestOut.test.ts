import { describe, expect, it } from 'vitest';
import { leaveLatestOut } from '../../../src/data/leaveLatestOut';
import { RatingsTable } from '../../../src/data/ratingsTable';

function table(rows: [number, number, number][]): RatingsTable {
  const t = new RatingsTable();
  for (const [u, m, ts] of rows) t.append(u, m, ts);
  return t;
}

describe('leaveLatestOut', () => {
  it("holds out each user's latest interaction for test and the second-latest for validation", () => {
    const split = leaveLatestOut(
      table([
        [7, 10, 300],
        [7, 20, 100],
        [7, 30, 200],
        [7, 50, 50],
        [3, 20, 50],
        [3, 40, 60],
      ]),
      () => true,
    );
    expect(Array.from(split.userIds)).toEqual([3, 7]);
    // Training and validation movies 20, 30 and 50 are items 0 to 2; 10 and 40 are only ever test movies and come after them.
    expect(Array.from(split.itemMovieIds)).toEqual([20, 30, 50, 10, 40]);
    expect(split.numTrainItems).toBe(3);
    expect(Array.from(split.testItems)).toEqual([4, 3]);
    // User 3 has 2 movies: one to test, one to train on, none for validation.
    expect(Array.from(split.validationItems)).toEqual([-1, 1]);
    expect(Array.from(split.trainUsers)).toEqual([0, 1, 1]);
    expect(Array.from(split.trainItems)).toEqual([0, 0, 2]);
  });

  it("counts a movie that only someone's validation holds as part of the catalogue", () => {
    const split = leaveLatestOut(
      table([
        [1, 5, 1],
        [1, 6, 2],
        [1, 7, 3],
      ]),
      () => true,
    );
    expect(split.numTrainItems).toBe(2);
    expect(split.itemMovieIds[split.validationItems[0]]).toBe(6);
    expect(split.itemMovieIds[split.testItems[0]]).toBe(7);
    expect(Array.from(split.trainItems).map((i) => split.itemMovieIds[i])).toEqual([5]);
  });

  it('breaks a tie on the latest timestamp by the larger movieId, whatever the row order', () => {
    const rows: [number, number, number][] = [
      [1, 5, 100],
      [1, 9, 100],
      [1, 2, 50],
    ];
    const forward = leaveLatestOut(table(rows), () => true);
    const backward = leaveLatestOut(table([...rows].reverse()), () => true);
    expect(forward.itemMovieIds[forward.testItems[0]]).toBe(9);
    expect(backward.itemMovieIds[backward.testItems[0]]).toBe(9);
    expect(forward.itemMovieIds[forward.validationItems[0]]).toBe(5);
    expect(backward.itemMovieIds[backward.validationItems[0]]).toBe(5);
  });

  it('drops users with fewer than 2 distinct movies and merges repeated ratings', () => {
    const split = leaveLatestOut(
      table([
        [1, 5, 100],
        [2, 5, 10],
        [2, 5, 20],
        [3, 5, 1],
        [3, 6, 2],
      ]),
      () => true,
    );
    expect(split.droppedUsers).toBe(2);
    expect(split.duplicateRows).toBe(1);
    expect(Array.from(split.userIds)).toEqual([3]);
    expect(split.trainItems.length + split.testItems.length).toBe(2);
  });

  it('only uses the rows it is told to keep', () => {
    const split = leaveLatestOut(
      table([
        [1, 5, 1],
        [1, 6, 2],
        [2, 5, 1],
        [2, 7, 2],
      ]),
      (row) => row < 2,
    );
    expect(Array.from(split.userIds)).toEqual([1]);
    expect(split.numItems).toBe(2);
  });

  it('holds out the latest movie whatever the ids and timestamps (ids past 2^21, timestamps past 2^32 and in milliseconds)', () => {
    const big = 2_000_000_000;
    const split = leaveLatestOut(
      table([
        // A later-rated smaller id must beat an earlier-rated larger one (a packed key lost the second apart).
        [1, big + 1, 964982703],
        [1, big, 964982704],
        [1, 5, 1],
        [2, 3_000_000, 4_102_444_801],
        [2, 3_000_001, 4_102_444_800],
        [2, 5, 1],
        [3, 7, 1_700_000_000_001],
        [3, 8, 1_700_000_000_000],
        [3, 5, 1],
      ]),
      () => true,
    );
    const movieOf = (item: number): number => split.itemMovieIds[item];
    expect(Array.from(split.testItems, movieOf)).toEqual([big, 3_000_000, 7]);
    expect(Array.from(split.validationItems, movieOf)).toEqual([big + 1, 3_000_001, 8]);
  });

  it('keeps user and movie ids past 2^31 − 1 exact, up to the largest safe integer', () => {
    const top = Number.MAX_SAFE_INTEGER;
    const split = leaveLatestOut(
      table([
        [top, 2 ** 31, 3],
        [top, top, 2],
        [top, 5, 1],
        [2 ** 31 + 1, 5, 1],
        [2 ** 31 + 1, 2 ** 31, 2],
      ]),
      () => true,
    );
    expect(Array.from(split.userIds)).toEqual([2 ** 31 + 1, top]);
    expect(Array.from(split.itemMovieIds)).toEqual([5, top, 2 ** 31]);
    const movieOf = (item: number): number => split.itemMovieIds[item];
    expect(Array.from(split.testItems, movieOf)).toEqual([2 ** 31, 2 ** 31]);
    expect(Array.from(split.validationItems, movieOf)).toEqual([undefined, top]);
  });
});
