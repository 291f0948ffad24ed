/**
 * Figures over several training seeds, as the benches print them: means and sample standard
 * deviations of the chosen test figures. One seed's figure moves with its schedule (ml-100k's
 * full-catalogue HR@10 by ~0.007 from seed to seed), so a change is judged on the mean of seeds.
 */
import type { BenchSummaryLine } from './benchConfig';
import { round } from './benchLines';
import type { StageRun } from './threadPairs';

export function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** The sample standard deviation (n − 1); 0 for fewer than two values. */
export function standardDeviation(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

/** The chosen figures averaged over every seed run on one thread count. */
export interface SeedMeansLine {
  seeds_summary: true;
  threads: number;
  seeds: number;
  val_ndcg10: number;
  hr10: number;
  hr10_sd: number;
  full_hr10: number;
  full_hr10_sd: number;
  full_ndcg10: number;
  coverage10: number;
  top100_share10: number;
}

const FIGURES = ['val_ndcg10', 'hr10', 'full_hr10', 'full_ndcg10', 'coverage10', 'top100_share10'] as const;

/** One line per thread count: the means (and, for the two HR@10s, standard deviations) of its runs' chosen figures. */
export function seedMeansLines(runs: Pick<StageRun, 'threads' | 'summary'>[]): SeedMeansLine[] {
  return [...new Set(runs.map((r) => r.threads))].map((threads) => {
    const these = runs.filter((r) => r.threads === threads).map((r) => r.summary);
    const column = (key: (typeof FIGURES)[number]) => these.map((s: BenchSummaryLine) => s[key] ?? NaN);
    const means = Object.fromEntries(FIGURES.map((key) => [key, round(mean(column(key)), 4)])) as Record<(typeof FIGURES)[number], number>;
    return {
      seeds_summary: true,
      threads,
      seeds: these.length,
      ...means,
      hr10_sd: round(standardDeviation(column('hr10')), 4),
      full_hr10_sd: round(standardDeviation(column('full_hr10')), 4),
    };
  });
}
