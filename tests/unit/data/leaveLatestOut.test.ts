import { describe, expect, it } from 'vitest';
import { leaveLatestOut } from '../../../src/data/leaveLatestOut';
import { RatingsTable } from '../../../src/data/ratingsTable';

function table(rows: [number, number, number][]): RatingsTable {
  const t = new RatingsTable();
  for (const [u, m, ts] of rows) t.append(u, m, ts);
  return t;
}

describe('leaveLatestOut', () => {
  it('holds out each user\'s latest interaction by timestamp', () => {
    const split = leaveLatestOut(
      table([
        [7, 10, 300],
        [7, 20, 100],
        [7, 30, 200],
        [3, 20, 50],
        [3, 40, 60],
      ]),
      () => true,
    );
    expect(Array.from(split.userIds)).toEqual([3, 7]);
    // Training movies 20 and 30 are items 0 and 1; 10 and 40 are only ever held out and come after them.
    expect(Array.from(split.itemMovieIds)).toEqual([20, 30, 10, 40]);
    expect(split.numTrainItems).toBe(2);
    expect(Array.from(split.testItems)).toEqual([3, 2]);
    expect(Array.from(split.trainUsers)).toEqual([0, 1, 1]);
    expect(Array.from(split.trainItems)).toEqual([0, 0, 1]);
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
});
