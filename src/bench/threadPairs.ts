/**
 * Issue 12's target for threads, as one bench prints it: each seed trained on one thread and on
 * N, in one run, and compared — the speed-up (median samples/s of N threads' epochs over one
 * thread's) and the validation-chosen test HR@10s (sampled and full-catalogue), which should be
 * within `PAIR_TOLERANCE` of one thread's. `npm run bench:threads-node -- --stage --threads 1,2`
 * prints these after its runs' own lines.
 */
import type { BenchEpochLine, BenchSummaryLine } from './benchConfig';
import { round } from './benchLines';

/** How far a chosen test HR@10 on several threads may be from one thread's: issue 12's target. */
export const PAIR_TOLERANCE = 0.01;

/**
 * Two runs' chosen test figures within `PAIR_TOLERANCE` of each other on both HR@10s (sampled and
 * full-catalogue). The figures are printed to 4 digits, so their difference is too: 0.61 − 0.6 is
 * within, though in floating point it is 0.010000000000000009.
 */
export function withinPairTolerance(
  a: Pick<BenchSummaryLine, 'hr10' | 'full_hr10'>,
  b: Pick<BenchSummaryLine, 'hr10' | 'full_hr10'>,
): boolean {
  const within = (x: number | null, y: number | null) => x !== null && y !== null && Math.abs(round(x - y, 4)) <= PAIR_TOLERANCE;
  return within(a.hr10, b.hr10) && within(a.full_hr10, b.full_hr10);
}

/** One training stage as the bench printed it: its epochs' lines and its summary, for a seed and thread count. */
export interface StageRun {
  seed: number;
  threads: number;
  epochs: Pick<BenchEpochLine, 'epoch' | 'samples_per_s'>[];
  summary: BenchSummaryLine;
}

/** N threads against one for a seed. */
export interface ThreadPairLine {
  pair: true;
  seed: number;
  threads: number;
  speed_up: number;
  hr10_diff: number;
  full_hr10_diff: number;
  within_tolerance: boolean;
}

/** Every seed's pair for one thread count, counted. */
export interface ThreadPairsSummaryLine {
  pairs_summary: true;
  threads: number;
  pairs: number;
  within_tolerance: number;
  sampled_within: number;
  full_within: number;
  speed_up_min: number;
  speed_up_max: number;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A stage's speed: the median of its trained epochs' samples/s (epoch 0 trains nothing). */
export function medianSamplesPerSecond(run: Pick<StageRun, 'epochs'>): number {
  return median(run.epochs.flatMap((e) => (e.epoch > 0 && e.samples_per_s !== null ? [e.samples_per_s] : [])));
}

/**
 * Each seed's runs on more than one thread against its one-thread run (seeds without one are
 * left out), then a count per thread count. Differences are N threads' figure minus one thread's.
 */
export function threadPairLines(runs: StageRun[]): (ThreadPairLine | ThreadPairsSummaryLine)[] {
  const pairs: ThreadPairLine[] = [];
  for (const one of runs.filter((r) => r.threads === 1)) {
    for (const several of runs.filter((r) => r.seed === one.seed && r.threads > 1)) {
      const fullDiff = (several.summary.full_hr10 ?? NaN) - (one.summary.full_hr10 ?? NaN);
      pairs.push({
        pair: true,
        seed: one.seed,
        threads: several.threads,
        speed_up: round(medianSamplesPerSecond(several) / medianSamplesPerSecond(one), 2),
        hr10_diff: round(several.summary.hr10 - one.summary.hr10, 4),
        full_hr10_diff: round(fullDiff, 4),
        within_tolerance: withinPairTolerance(several.summary, one.summary),
      });
    }
  }
  const summaries = [...new Set(pairs.map((p) => p.threads))].map((threads): ThreadPairsSummaryLine => {
    const these = pairs.filter((p) => p.threads === threads);
    return {
      pairs_summary: true,
      threads,
      pairs: these.length,
      within_tolerance: these.filter((p) => p.within_tolerance).length,
      sampled_within: these.filter((p) => Math.abs(p.hr10_diff) <= PAIR_TOLERANCE).length,
      full_within: these.filter((p) => Math.abs(p.full_hr10_diff) <= PAIR_TOLERANCE).length,
      speed_up_min: Math.min(...these.map((p) => p.speed_up)),
      speed_up_max: Math.max(...these.map((p) => p.speed_up)),
    };
  });
  return [...pairs, ...summaries];
}
