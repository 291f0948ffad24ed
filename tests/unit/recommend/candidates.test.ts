import { describe, expect, it } from 'vitest';
import { drawRandomCandidates, excludedMovies } from '../../../src/recommend/candidates';

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

  it('leaves out what was seen, listed or dismissed', () => {
    expect([...excludedMovies([1], [2], [3])].sort()).toEqual([1, 2, 3]);
  });
});
