import type { TrainingBackend } from '../engine/backends/chooseBackend';
import type { EaseSettings } from '../engine/baselines/easeSettings';
import type { IalsSettings } from '../engine/baselines/ialsSettings';
import type { NeuMFSettings } from '../engine/model/neumfSettings';

/**
 * What `npm run bench` asks the page to do. The bench script injects it before the page loads
 * (window.__REEL_BENCH__) and serves the data files itself under /__bench_data/.
 */
export interface BenchConfig {
  data:
    | { kind: 'ncf'; train: string; test: string; negative: string }
    /** maxUsers null: what the Data page keeps by default for files this size (`defaultMaxUsers`); 'all': every user. seed null: the import's. */
    | { kind: 'movielens'; files: { url: string; name: string; size: number }[]; maxUsers: number | 'all' | null; seed: number | null };
  /** What to train: NeuMF (settings over the defaults) or one baseline. */
  model:
    | { kind: 'neumf'; settings: Partial<NeuMFSettings>; paper: boolean; backend: TrainingBackend }
    | { kind: 'itempop' }
    | { kind: 'ease'; settings: Partial<EaseSettings>; lambdas: number[] | null }
    | { kind: 'ials'; settings: Partial<IalsSettings> };
  /** Most users ranked against the full catalogue per epoch; null: the product's default budget. */
  maxFullUsers: number | null;
}

/**
 * One printed line per epoch (or per fitted setting of EASE); the keys are the benchmark's contract
 * (docs/EVALUATION.md): hr10/ndcg10 are the test figures among 99 sampled or given movies;
 * val_* and full_* rank the validation and test movies among the full catalogue.
 */
export interface BenchEpochLine {
  epoch: number;
  model: string;
  backend: string;
  /** NeuMF's batch size; null for the baselines. */
  batch: number | null;
  /** Training threads NeuMF ran on (1 where the page is not cross-origin isolated); null for the baselines. */
  threads: number | null;
  /** The share of an epoch NeuMF's weights were averaged over (`NeuMFSettings.averageEpochs`, 0: none); null for the baselines. */
  average_epochs: number | null;
  /** EASE's λ of this step. */
  setting?: string;
  train_s: number;
  samples_per_s: number | null;
  loss: number | null;
  hr10: number;
  ndcg10: number;
  val_hr10: number | null;
  val_ndcg10: number | null;
  full_hr10: number | null;
  full_ndcg10: number | null;
  coverage10: number | null;
  top100_share10: number | null;
  /** Users ranked against the full catalogue (all, or a fixed seeded sample). */
  full_users: number | null;
  eval_s: number;
  /** Added by the bench script, not the page: the renderer processes' peak resident memory so far (MB), as `bench:import`. */
  peak_mb?: number;
}

/** The last line of a run: the test figures at the epoch chosen on validation. */
export interface BenchSummaryLine {
  summary: true;
  model: string;
  chosen_epoch: number;
  /** Epochs (or steps) run, and whether validation stopped NeuMF early. */
  epochs_run: number;
  stopped_early: boolean;
  hr10: number;
  ndcg10: number;
  full_hr10: number | null;
  full_ndcg10: number | null;
  coverage10: number | null;
  top100_share10: number | null;
  val_hr10: number | null;
  val_ndcg10: number | null;
  full_users: number | null;
  /** The best test HR@10 over all epochs: only to compare with papers that report it; optimistic by construction. */
  best_test_hr10: number;
}

export const BENCH_LINE_PREFIX = 'REEL_BENCH ';
export const BENCH_DONE = 'REEL_BENCH_DONE';
