import { describe, expect, it } from 'vitest';
import { hitRateAt10, ndcgAt10, rankOfHeldOut, RankingAccumulator } from '../../../../src/engine/metrics/rankingMetrics';

describe('rankOfHeldOut', () => {
  it('counts the candidates scoring at least as high as the held-out item', () => {
    expect(rankOfHeldOut([0.9, 0.1, 0.2, 0.3], 0)).toBe(0);
    expect(rankOfHeldOut([0.25, 0.1, 0.2, 0.3], 0)).toBe(1);
    expect(rankOfHeldOut([0.1, 0.2, 0.5, 0.3], 0)).toBe(3);
    expect(rankOfHeldOut([0.2, 0.9, 0.3, 0.1], 3)).toBe(3);
  });

  it('counts ties against the model', () => {
    expect(rankOfHeldOut([0.5, 0.5, 0.1, 0.1], 0)).toBe(1);
    expect(rankOfHeldOut([0.5, 0.5, 0.5, 0.5], 0)).toBe(3);
    // A constant model over 100 candidates gets rank 99: no hit.
    expect(hitRateAt10(rankOfHeldOut(new Float32Array(100).fill(0.3), 0))).toBe(0);
  });

  it('treats a NaN held-out score as the worst rank', () => {
    expect(rankOfHeldOut([NaN, 0.1, 0.2], 0)).toBe(2);
  });

  it('ranks within a window of a longer score array', () => {
    const scores = [9, 9, 9, /* window: */ 0.4, 0.5, 0.1, /* after: */ 9];
    expect(rankOfHeldOut(scores, 3, 3, 6)).toBe(1);
  });
});

describe('hitRateAt10 and ndcgAt10', () => {
  it('follow the leave-one-out definitions', () => {
    expect(hitRateAt10(0)).toBe(1);
    expect(hitRateAt10(9)).toBe(1);
    expect(hitRateAt10(10)).toBe(0);
    expect(ndcgAt10(0)).toBe(1);
    expect(ndcgAt10(1)).toBeCloseTo(1 / Math.log2(3), 12);
    expect(ndcgAt10(9)).toBeCloseTo(1 / Math.log2(11), 12);
    expect(ndcgAt10(10)).toBe(0);
  });
});

describe('RankingAccumulator', () => {
  it('averages over users, including a tie table', () => {
    const table = [
      [0.9, 0.1, 0.2], // rank 0
      [0.5, 0.5, 0.2], // tie: rank 1
      ...Array.from({ length: 2 }, () => [0.1, ...new Array(12).fill(0.5)]), // rank 12: miss
    ];
    const acc = new RankingAccumulator();
    for (const scores of table) acc.addRank(rankOfHeldOut(scores, 0));
    expect(acc.count).toBe(4);
    expect(acc.hr10).toBeCloseTo(0.5, 12);
    expect(acc.ndcg10).toBeCloseTo((1 + 1 / Math.log2(3)) / 4, 12);
    expect(new RankingAccumulator().hr10).toBe(0);
  });
});
