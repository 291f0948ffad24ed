import { describe, expect, it } from 'vitest';
import { describeHitRates } from '../../../src/recommend/modelDescription';

describe('describeHitRates', () => {
  it('says both hit rates per hundred people, with the figures after them', () => {
    expect(describeHitRates({ hr10: 0.614, fullHr10: 0.0923 })).toBe(
      'In a test, for 61 of every 100 people here, the movie they watched last makes its top 10 when mixed with 99 random movies they had not seen (HR@10 0.614); among every movie, for 9 of 100 (0.092).',
    );
  });

  it('leaves out the whole-catalogue rate of a model saved before it was measured', () => {
    expect(describeHitRates({ hr10: 0.7049, fullHr10: null })).toBe(
      'In a test, for 70 of every 100 people here, the movie they watched last makes its top 10 when mixed with 99 random movies they had not seen (HR@10 0.705).',
    );
  });
});
