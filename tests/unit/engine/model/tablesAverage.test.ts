import { describe, expect, it } from 'vitest';
import { TablesAverage } from '../../../../src/engine/model/tablesAverage';

const tables = (...rows: number[][]) => rows.map((values) => Float32Array.from(values));

describe('TablesAverage', () => {
  it('copies the tables at the first fold and then keeps the share asked of itself', () => {
    const average = new TablesAverage();
    const live = tables([1, 2, 3], [10]);
    average.fold(live, 0.9);
    live[0].set([3, 4, 5]);
    live[1][0] = 20;
    average.fold(live, 0.75);
    average.swap(live);
    expect(live.map((t) => Array.from(t))).toEqual([[1.5, 2.5, 3.5], [12.5]]);
  });

  it('swaps in place, and a second swap brings back both the trained tables and the average', () => {
    const average = new TablesAverage();
    const live = tables([1, 2], [3]);
    average.fold(live, 0);
    live[0].set([5, 6]);
    const views = [...live];
    average.swap(live);
    expect(live[0]).toBe(views[0]);
    expect(Array.from(live[0])).toEqual([1, 2]);
    average.swap(live);
    expect(Array.from(live[0])).toEqual([5, 6]);
    average.fold(live, 0.5);
    average.swap(live);
    expect(Array.from(live[0])).toEqual([3, 4]);
  });

  it('starts afresh with keep 0, and refuses other tables or a share outside [0, 1)', () => {
    const average = new TablesAverage();
    average.fold(tables([1, 2]), 0);
    average.fold(tables([7, 8]), 0);
    const live = tables([0, 0]);
    average.swap(live);
    expect(Array.from(live[0])).toEqual([7, 8]);
    expect(() => average.fold(tables([1, 2, 3]), 0.5)).toThrow(/not the ones averaged/);
    expect(() => average.swap(tables([1]))).toThrow(/not the ones averaged/);
    expect(() => average.fold(tables([1, 2]), 1)).toThrow(RangeError);
    expect(() => new TablesAverage().swap(tables([1]))).toThrow(/Nothing has been averaged/);
  });
});
