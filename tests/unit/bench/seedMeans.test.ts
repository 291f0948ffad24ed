import { describe, expect, it } from 'vitest';
import type { BenchSummaryLine } from '../../../src/bench/benchConfig';
import { mean, seedMeansLines, standardDeviation } from '../../../src/bench/seedMeans';

const summary = (hr10: number, full_hr10: number | null, val_ndcg10: number): BenchSummaryLine => ({
  summary: true,
  model: 'neumf',
  chosen_epoch: 5,
  epochs_run: 10,
  stopped_early: true,
  hr10,
  ndcg10: 0.3,
  full_hr10,
  full_ndcg10: 0.04,
  coverage10: 0.4,
  top100_share10: 0.5,
  val_hr10: 0.13,
  val_ndcg10,
  full_users: 943,
  best_test_hr10: hr10,
});

describe('seedMeans', () => {
  it('takes means and sample standard deviations', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(standardDeviation([1, 2, 3, 6])).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(standardDeviation([0.5])).toBe(0);
  });

  it('prints one line per thread count with the means of its seeds’ chosen figures, rounded as the bench lines', () => {
    const lines = seedMeansLines([
      { threads: 1, summary: summary(0.6, 0.09, 0.066) },
      { threads: 1, summary: summary(0.62, 0.1, 0.068) },
      { threads: 2, summary: summary(0.61, 0.095, 0.067) },
    ]);
    expect(lines).toEqual([
      {
        seeds_summary: true,
        threads: 1,
        seeds: 2,
        val_ndcg10: 0.067,
        hr10: 0.61,
        hr10_sd: 0.0141,
        full_hr10: 0.095,
        full_hr10_sd: 0.0071,
        full_ndcg10: 0.04,
        coverage10: 0.4,
        top100_share10: 0.5,
      },
      {
        seeds_summary: true,
        threads: 2,
        seeds: 1,
        val_ndcg10: 0.067,
        hr10: 0.61,
        hr10_sd: 0,
        full_hr10: 0.095,
        full_hr10_sd: 0,
        full_ndcg10: 0.04,
        coverage10: 0.4,
        top100_share10: 0.5,
      },
    ]);
  });

  it('says NaN where a figure was not measured, rather than averaging it as zero', () => {
    const [line] = seedMeansLines([{ threads: 1, summary: summary(0.6, null, 0.066) }]);
    expect(line.full_hr10).toBeNaN();
  });
});
