/**
 * One pass over a sampled epoch in mini-batches: the loop the training worker and the
 * benchmark share, so both train the same way.
 */
import type { TrainingEpoch } from '../sampling/negatives';

/** Anything that takes one optimiser step on rows [start, end) and returns their mean loss. */
export interface BatchTrainer {
  trainBatch(users: Int32Array, items: Int32Array, labels: Float32Array, start: number, end: number): number;
  /** Waits for steps still queued on a device (trainers that read their loss every few batches). */
  settle?(): void;
}

export interface EpochResult {
  /** Mean training loss over all rows (batch losses weighted by batch size). */
  loss: number;
  rows: number;
  seconds: number;
}

/**
 * About this many positives per sampled chunk (`planTrainingEpoch`), rounded up to whole batches
 * so that no batch straddles two chunks: with 16 negatives ~70,000 rows (0.8 MB), a shuffle
 * window of 68 batches of 1024, while the buffer stays small beside the split. Small enough that
 * threads claiming chunks (`trainingThreads.ts`) finish an epoch within a chunk of each other.
 */
const POSITIVES_PER_CHUNK = 4096;

/** Positives per chunk for `batchSize`: a whole number of batches' worth (each positive brings its negatives). */
export function positivesPerChunk(batchSize: number): number {
  return Math.max(1, Math.ceil(POSITIVES_PER_CHUNK / batchSize)) * batchSize;
}

/**
 * Trains on every row of `epoch` (one sampled block, or the chunks of one epoch in turn) in order,
 * `batchSize` rows per step; a batch never spans two chunks. `onBatch` (optional) is told the rows
 * done so far and the seconds they took, e.g. to report progress.
 */
export function trainEpoch(
  model: BatchTrainer,
  epoch: TrainingEpoch | Iterable<TrainingEpoch>,
  batchSize: number,
  onBatch?: (rowsDone: number, batchLoss: number, seconds: number) => void,
): EpochResult {
  const started = performance.now();
  const chunks: Iterable<TrainingEpoch> = 'users' in epoch ? [epoch] : epoch;
  let rowsDone = 0;
  let lossSum = 0;
  for (const chunk of chunks) {
    const rows = chunk.users.length;
    for (let start = 0; start < rows; start += batchSize) {
      const end = Math.min(rows, start + batchSize);
      const loss = model.trainBatch(chunk.users, chunk.items, chunk.labels, start, end);
      lossSum += loss * (end - start);
      rowsDone += end - start;
      onBatch?.(rowsDone, loss, (performance.now() - started) / 1000);
    }
  }
  model.settle?.(); // the epoch's time includes steps still queued on a device
  return { loss: rowsDone > 0 ? lossSum / rowsDone : 0, rows: rowsDone, seconds: (performance.now() - started) / 1000 };
}
