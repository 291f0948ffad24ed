import { describe, expect, it } from 'vitest';
import { drawRandomCandidates, excludedMovies, popularityAdjustedScores, topK } from '../../../src/recommend/candidates';

describe('recommendation candidates', () => {
  const catalogue = Array.from({ length: 500 }, (_, i) => i + 1);

  it('draws 100 distinct movies, none seen or on the watch-list, the same for the same seed', () => {
    const excluded = excludedMovies([1, 2, 3], [4, 5]);
    const a = drawRandomCandidates(catalogue, excluded, 100, 42);
    expect(a).toHaveLength(100);
    expect(new Set(a).size).toBe(100);
    expect(a.some((m) => excluded.has(m))).toBe(false);
    expect(drawRandomCandidates(catalogue, excluded, 100, 42)).toEqual(a);
    expect(drawRandomCandidates(catalogue, excluded, 100, 43)).not.toEqual(a);
  });

  it('returns what there is when fewer than asked remain', () => {
    expect(drawRandomCandidates([1, 2, 3], new Set([2]), 100, 1).sort()).toEqual([1, 3]);
  });

  it('keeps the top k by score, best first, ties by movieId', () => {
    expect(topK([10, 20, 30, 40], [0.1, 0.9, 0.5, 0.9], 3)).toEqual([
      { movieId: 20, score: 0.9 },
      { movieId: 40, score: 0.9 },
      { movieId: 30, score: 0.5 },
    ]);
  });
});

describe('popularityAdjustedScores', () => {
  it('keeps the order at strength 0 and lets a lesser-known movie overtake a blockbuster when asked', () => {
    const scores = [0.9, 0.8];
    const popularity = [300, 5];
    const plain = popularityAdjustedScores(scores, popularity, 0);
    expect(plain[0]).toBeGreaterThan(plain[1]);
    const discover = popularityAdjustedScores(scores, popularity, 0.5);
    expect(discover[1]).toBeGreaterThan(discover[0]);
  });
});
