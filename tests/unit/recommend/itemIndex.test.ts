import { describe, expect, it } from 'vitest';
import { candidateItems, historyItems, itemOfMovieMap } from '../../../src/recommend/itemIndex';

const itemOfMovie = itemOfMovieMap(Int32Array.from([50, 10, 30]));

describe('item index', () => {
  it('maps each movie of a stored split to its item', () => {
    expect([...itemOfMovie]).toEqual([
      [50, 0],
      [10, 1],
      [30, 2],
    ]);
  });

  it('takes the distinct known items of a history, in the order first seen', () => {
    expect(Array.from(historyItems(itemOfMovie, [30, 99, 50, 30]))).toEqual([2, 0]);
    expect(historyItems(itemOfMovie, [1, 2])).toHaveLength(0);
  });

  it('maps candidates in order and refuses one the data set does not have', () => {
    expect(Array.from(candidateItems(itemOfMovie, Int32Array.from([10, 50, 10])))).toEqual([1, 0, 1]);
    expect(() => candidateItems(itemOfMovie, [10, 77])).toThrow('Movie 77 is not in the data set the model was trained on.');
  });
});
