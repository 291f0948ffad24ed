import type { TrainingBackend } from '../engine/backends/chooseBackend';
import type { NeuMFSettings } from '../engine/model/neumfSettings';

/**
 * What `npm run bench` asks the page to do. The bench script injects it before the page loads
 * (window.__REEL_BENCH__) and serves the data files itself under /__bench_data/.
 */
export interface BenchConfig {
  data:
    | { kind: 'ncf'; train: string; test: string; negative: string }
    /** null: the import's default (every user; defaultImportSettings' seed). */
    | { kind: 'movielens'; files: { url: string; name: string; size: number }[]; maxUsers: number | null; seed: number | null };
  settings: Partial<NeuMFSettings>;
  backend: TrainingBackend;
}

/** One printed line per epoch; the keys are the benchmark's contract. */
export interface BenchEpochLine {
  epoch: number;
  backend: string;
  batch: number;
  train_s: number;
  samples_per_s: number | null;
  loss: number | null;
  hr10: number;
  ndcg10: number;
  eval_s: number;
}

export const BENCH_LINE_PREFIX = 'REEL_BENCH ';
export const BENCH_DONE = 'REEL_BENCH_DONE';
