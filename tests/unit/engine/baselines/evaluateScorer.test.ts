import { describe, expect, it } from 'vitest';
import { catalogueRank, evaluateCatalogueScorer } from '../../../../src/engine/baselines/evaluateScorer';
import { fitItemPop } from '../../../../src/engine/baselines/itemPop';
import { split } from './tinySplit';

describe('whole-catalogue rank', () => {
  it('counts ties against the model and skips the excluded items', () => {
    const scores = Float32Array.from([5, 1, 3, 3, 9]);
    expect(catalogueRank(scores, 5, 2, Int32Array.from([]))).toBe(3); // 5, 3 (tie), 9
    expect(catalogueRank(scores, 5, 2, Int32Array.from([0, 4]))).toBe(1); // only the tie
    expect(catalogueRank(Float32Array.from([Number.NaN, 0]), 2, 0, new Int32Array(0))).toBe(1);
  });

  it('evaluates ItemPop both ways', () => {
    // ItemPop scores items 0..4 as 0, 3, 1, 1, 0. Whole catalogue (outside the training items):
    // user 0 (seen 1, 3) holds out 2 (1) among 0, 4 (0, 0) → rank 0;
    // user 1 (seen 1, 2) holds out 4 (0) among 0, 3 (0 tie, 1) → rank 2;
    // user 2 (seen 1) holds out 0 (0) among 2, 3, 4 (1, 1, 0 tie) → rank 3.
    // Given negatives: user 0 [0, 4] → rank 0; user 1 [0, 3] → rank 2; user 2 [2, 4] → rank 2.
    const result = evaluateCatalogueScorer(split, fitItemPop(split), {
      kind: 'given',
      items: Int32Array.from([0, 4, 0, 3, 2, 4]),
      perUser: 2,
    });
    expect(result.users).toBe(3);
    expect(result.catalogue.hr10).toBe(1);
    expect(result.catalogue.ndcg10).toBeCloseTo((1 + 1 / Math.log2(4) + 1 / Math.log2(5)) / 3, 10);
    expect(result.sampled.ndcg10).toBeCloseTo((1 + 1 / Math.log2(4) + 1 / Math.log2(4)) / 3, 10);
  });
});
