import type { InteractionSplit } from '../data/interactions';
import type { ProfileHistory } from '../data/profileInteractions';
import type { TrainingBackend } from '../engine/backends/chooseBackend';
import type { NeuMFSettings } from '../engine/model/neumfSettings';
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

/** One training job: its events are `TrainingEvent`s, its result a `TrainingResult`. */
export interface TrainingRequest {
  data: TrainingData;
  settings: NeuMFSettings;
  /** Unseen movies each held-out movie is ranked among in the per-epoch evaluation (EVALUATION_NEGATIVES: the product's HR@10). */
  evaluationNegatives: number;
  /** Save the best epoch's model as the data set's model (the app) or not (benchmarks). */
  save: boolean;
  /** Where to train: 'auto' picks the fastest that works here (the fused CPU kernels without a GPU). */
  backend: TrainingBackend;
}

/** The choices the Train page offers, with what each is. */
export const BACKEND_CHOICES: { id: TrainingBackend; label: string }[] = [
  { id: 'auto', label: 'Automatic (fastest that works here)' },
  { id: 'fused', label: 'Fused CPU kernels (WebAssembly SIMD)' },
  { id: 'webgpu', label: 'TensorFlow.js WebGPU' },
  { id: 'webgl', label: 'TensorFlow.js WebGL' },
  { id: 'wasm', label: 'TensorFlow.js WebAssembly' },
  { id: 'cpu', label: 'TensorFlow.js CPU (slowest)' },
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
  samplesPerSecond: number;
  /** Seconds left for the whole run, from the speed so far. */
  etaSeconds: number;
}

export type TrainingEvent =
  | { type: 'started'; backend: string; reason: string; users: number; items: number; rowsPerEpoch: number }
  | { type: 'batch'; progress: BatchProgress }
  | { type: 'epoch'; metrics: EpochReport }
  | { type: 'saving' };

export interface TrainingResult {
  /** The saved model; null when the request did not ask to save. */
  modelId: number | null;
  bestEpoch: number;
  metrics: EpochReport[];
}
