import type { ProfileHistory } from '../data/profileInteractions';
import type { NeuMFSettings } from '../engine/model/neumfSettings';
import type { EpochMetrics } from '../storage/db';

export interface TrainingRequest {
  type: 'train';
  datasetId: number;
  settings: NeuMFSettings;
  /** Profiles whose histories join the training data (finished histories only). */
  profiles: ProfileHistory[];
  /** Candidates per held-out movie in the per-epoch evaluation: the held-out one plus 99 unseen. */
  evaluationNegatives: number;
}

export interface BatchProgress {
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
  | { type: 'started'; backend: string; users: number; items: number; rowsPerEpoch: number }
  | { type: 'batch'; progress: BatchProgress }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'saving' }
  | { type: 'done'; modelId: number; bestEpoch: number; metrics: EpochMetrics[] }
  | { type: 'failed'; message: string };
