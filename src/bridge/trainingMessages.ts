import type { InteractionSplit } from '../data/interactions';
import type { ProfileHistory } from '../data/profileInteractions';
import type { TrainingBackend } from '../engine/backends/chooseBackend';
import type { NeuMFSettings } from '../engine/model/neumfSettings';
import type { BaselineSpec } from '../engine/training/baselineRun';
import type { RecommenderKind } from '../storage/db';
import type { EpochReport } from '../engine/training/trainingRun';

/** What to train on: a stored data set with the profiles, or a split handed over whole (benchmarks). */
export type TrainingData =
  | {
      kind: 'dataset';
      datasetId: number;
      /** Profiles whose histories join the training data (finished histories only). */
      profiles: ProfileHistory[];
    }
  | {
      kind: 'split';
      split: InteractionSplit;
      /** Fixed evaluation candidates (e.g. an NCF test.negative file), `perUser` per user; null: sample them. */
      negatives: Int32Array | null;
    };

/** One model to train: NeuMF with its settings and where to train it, or a baseline. */
export type ModelSpec = { kind: 'neumf'; settings: NeuMFSettings; backend: TrainingBackend } | BaselineSpec;

/** One training job: its events are `TrainingEvent`s, its result a `TrainingResult`. */
export interface TrainingRequest {
  data: TrainingData;
  /** The models to train on the same split, in this order; each is saved as the data set's model of its kind. */
  models: ModelSpec[];
  /** Unseen movies each test movie is ranked among in the seed's metric (EVALUATION_NEGATIVES). */
  evaluationNegatives: number;
  /** Most users ranked against the full catalogue per epoch; null: as many as FULL_CATALOGUE_PAIRS allows. */
  maxFullUsers: number | null;
  /** Save each model's chosen epoch as the data set's model of its kind (the app) or not (benchmarks). */
  save: boolean;
  /**
   * Only measure how long the run would take: NeuMF trains for about this many seconds and the
   * untrained model is evaluated once; nothing is saved, and the result is an estimate.
   */
  estimateSeconds?: number;
}

/** How long a training run is expected to take, measured on this device (`estimateSeconds`). */
export interface TrainingEstimate {
  samplesPerSecond: number;
  rowsPerEpoch: number;
  /** One evaluation of the held-out movies. */
  evalSeconds: number;
  /** NeuMF's most epochs, and its seconds per epoch (sampling, training and evaluation). */
  maxEpochs: number;
  secondsPerEpoch: number;
}

/** The names the pages give the models. */
export const RECOMMENDER_NAMES: Record<RecommenderKind, string> = {
  neumf: 'NeuMF',
  ials: 'iALS',
  ease: 'EASE',
  itempop: 'Most popular',
};

/**
 * The choices the Train page offers, with what each is. Short enough (≤ 26 characters) that the
 * chosen one shows whole in a settings column at desktop width; the hint below the field says more.
 */
export const BACKEND_CHOICES: { id: TrainingBackend; label: string }[] = [
  { id: 'auto', label: 'Automatic (fastest here)' },
  { id: 'fused', label: 'Fused CPU (WASM SIMD)' },
  { id: 'webgpu', label: 'TensorFlow.js WebGPU' },
  { id: 'webgl', label: 'TensorFlow.js WebGL' },
  { id: 'wasm', label: 'TensorFlow.js WASM' },
  { id: 'cpu', label: 'TensorFlow.js CPU (slow)' },
];

/** The stage whose epochs are the run's curve; pre-training stages of pre-trained NeuMF only report progress. */
export const TRAINING_STAGE = 'Training';

export interface BatchProgress {
  /** TRAINING_STAGE, or a pre-training stage of pre-trained NeuMF. */
  stage: string;
  epoch: number;
  epochs: number;
  rowsDone: number;
  rowsPerEpoch: number;
  loss: number;
  /** Over the run so far (`ProgressMeter`); null before a batch has finished. */
  samplesPerSecond: number | null;
  /** Seconds left for the whole run, from the speed so far. */
  etaSeconds: number | null;
}

export type TrainingEvent =
  /** A model's training begins: NeuMF says where it trains and why; baselines train in this worker's JavaScript and WebAssembly. */
  /** threads: the threads training runs on (NeuMF on the fused kernels may use several; everything else 1). */
  | {
      type: 'started';
      model: RecommenderKind;
      backend: string;
      reason: string;
      threads: number;
      users: number;
      items: number;
      rowsPerEpoch: number;
    }
  | { type: 'batch'; model: 'neumf'; progress: BatchProgress }
  /** A baseline's fit: the share of its work done, 0..1. */
  | { type: 'fitting'; model: RecommenderKind; fraction: number }
  | { type: 'epoch'; model: RecommenderKind; metrics: EpochReport }
  | { type: 'saving'; model: RecommenderKind };

/** What came of one model of the request. */
export interface ModelRun {
  model: RecommenderKind;
  /** The saved model; null when the request did not ask to save. */
  modelId: number | null;
  /** The epoch (or step) chosen on validation. */
  bestEpoch: number;
  metrics: EpochReport[];
  /** NeuMF: whether it stopped before its last epoch because validation stopped improving. */
  stoppedEarly: boolean;
}

export interface TrainingResult {
  runs: ModelRun[];
  /** Only for a request with `estimateSeconds`. */
  estimate?: TrainingEstimate;
}
