import { describe, expect, it } from 'vitest';
import type { BenchSummaryLine } from '../../../src/bench/benchConfig';
import { medianSamplesPerSecond, threadPairLines, withinPairTolerance, type StageRun } from '../../../src/bench/threadPairs';

function summary(hr10: number, fullHr10: number): BenchSummaryLine {
  return {
    summary: true,
    model: 'neumf',
    chosen_epoch: 3,
    epochs_run: 8,
    stopped_early: true,
    hr10,
    ndcg10: hr10 / 2,
    full_hr10: fullHr10,
    full_ndcg10: fullHr10 / 2,
    coverage10: 0.4,
    top100_share10: 0.5,
    val_hr10: 0.1,
    val_ndcg10: 0.05,
    full_users: 943,
    best_test_hr10: hr10,
  };
}

/** A stage whose trained epochs ran at `rates` samples/s (epoch 0, untrained, has none). */
function stage(seed: number, threads: number, rates: number[], hr10: number, fullHr10: number): StageRun {
  return {
    seed,
    threads,
    epochs: [{ epoch: 0, samples_per_s: null }, ...rates.map((r, k) => ({ epoch: k + 1, samples_per_s: r }))],
    summary: summary(hr10, fullHr10),
  };
}

describe('thread pairs (issue 12: N threads against one, per seed)', () => {
  it('holds a pair within the tolerance only when both HR@10s are, edges included', () => {
    expect(withinPairTolerance({ hr10: 0.6, full_hr10: 0.09 }, { hr10: 0.61, full_hr10: 0.08 })).toBe(true);
    expect(withinPairTolerance({ hr10: 0.6, full_hr10: 0.09 }, { hr10: 0.6106, full_hr10: 0.09 })).toBe(false);
    expect(withinPairTolerance({ hr10: 0.6, full_hr10: 0.09 }, { hr10: 0.6, full_hr10: 0.1006 })).toBe(false);
    // A run without a full-catalogue figure cannot meet a target on it.
    expect(withinPairTolerance({ hr10: 0.6, full_hr10: null }, { hr10: 0.6, full_hr10: 0.09 })).toBe(false);
  });

  it("measures a stage's speed as the median of its trained epochs, leaving the untrained epoch out", () => {
    expect(medianSamplesPerSecond(stage(1, 1, [300, 100, 200], 0.6, 0.09))).toBe(200);
    expect(medianSamplesPerSecond(stage(1, 1, [100, 400, 200, 300], 0.6, 0.09))).toBe(250);
  });

  it("compares each seed's runs on several threads with its one-thread run, then counts per thread count", () => {
    const lines = threadPairLines([
      stage(2017, 1, [500, 520, 510], 0.6161, 0.0838),
      stage(2017, 2, [1000, 990, 1040], 0.6055, 0.0997),
      stage(1, 1, [600, 600], 0.5992, 0.0976),
      stage(1, 2, [1200, 1140], 0.6055, 0.1007),
      // No one-thread run of seed 3: nothing to compare it with.
      stage(3, 2, [1000], 0.6, 0.09),
    ]);
    expect(lines).toEqual([
      { pair: true, seed: 2017, threads: 2, speed_up: 1.96, hr10_diff: -0.0106, full_hr10_diff: 0.0159, within_tolerance: false },
      { pair: true, seed: 1, threads: 2, speed_up: 1.95, hr10_diff: 0.0063, full_hr10_diff: 0.0031, within_tolerance: true },
      {
        pairs_summary: true,
        threads: 2,
        pairs: 2,
        within_tolerance: 1,
        sampled_within: 1,
        full_within: 1,
        speed_up_min: 1.95,
        speed_up_max: 1.96,
      },
    ]);
  });
});
