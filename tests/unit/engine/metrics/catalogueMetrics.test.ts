import { describe, expect, it } from 'vitest';
import { popularHead, TopListAccumulator } from '../../../../src/engine/metrics/catalogueMetrics';

describe('catalogue metrics', () => {
  it('marks the most popular items, the smaller item first on ties', () => {
    const popularity = Int32Array.of(1, 2, 0, 1, 2);
    expect(Array.from(popularHead(popularity, 3))).toEqual([1, 1, 0, 0, 1]);
  });

  it('coverage is distinct recommended items over the catalogue; the share counts slots of popular items', () => {
    const lists = new TopListAccumulator(
      20,
      popularHead(
        Int32Array.from({ length: 20 }, (_, i) => 20 - i),
        2,
      ),
    );
    lists.addList([0, 1, 2, 3]);
    lists.addList([0, 5, 6, 7]);
    // Distinct 0, 1, 2, 3, 5, 6, 7 of 20; slots with items 0 or 1: 3 of 8.
    expect(lists.coverage10).toBeCloseTo(7 / 20, 10);
    expect(lists.top100Share10).toBeCloseTo(3 / 8, 10);
  });

  it('counts at most 10 items of a list', () => {
    const lists = new TopListAccumulator(20, new Uint8Array(20));
    lists.addList(Array.from({ length: 15 }, (_, i) => i));
    expect(lists.coverage10).toBeCloseTo(10 / 20, 10);
  });
});
