import { describe, expect, it } from 'vitest';
import { DISCOVERY_PENALTY, matchScores, popularityPenalties, shownPoints } from '../../../src/recommend/matchScore';

describe('matchScores', () => {
  it('puts the best candidate at 100 and the average at 0, below it at 0, whatever the scale of the scores', () => {
    // Mean 2.5: the scores 4, 3, 2, 1 are 100, 33, 0 and 0.
    expect(Array.from(matchScores([4, 3, 2, 1])).map(Math.round)).toEqual([100, 33, 0, 0]);
    expect(Array.from(matchScores([400, 300, 200, 100])).map(Math.round)).toEqual([100, 33, 0, 0]);
  });

  it('gives 100 to all when every score is the same', () => {
    expect(Array.from(matchScores([2, 2]))).toEqual([100, 100]);
  });
});

describe('shownPoints', () => {
  it('rounds to whole points, but only the best match itself reads 100', () => {
    expect([100, 99.6, 99.4, 50.5, 0.2, 0].map(shownPoints)).toEqual([100, 99, 99, 51, 0, 0]);
  });
});

describe('popularityPenalties', () => {
  it('costs the most popular film the whole penalty and an unseen one nothing, on a log scale', () => {
    const [top, middle, none] = popularityPenalties([1023, 31, 0]);
    expect(top).toBeCloseTo(DISCOVERY_PENALTY, 5);
    expect(middle).toBeCloseTo(DISCOVERY_PENALTY / 2, 5);
    expect(none).toBe(0);
  });
});
