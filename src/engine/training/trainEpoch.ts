/**
 * One pass over a sampled epoch in mini-batches: the loop the training worker and the
 * benchmark share, so both train the same way.
 */
import type { TrainingEpoch } from '../sampling/negatives';

/** Anything that takes one optimiser step on rows [start, end) and returns their mean loss. */
export interface BatchTrainer {
  trainBatch(users: Int32Array, items: Int32Array, labels: Float32Array, start: number, end: number): number;
}

export interface EpochResult {
  /** Mean training loss over all rows (batch losses weighted by batch size). */
  loss: number;
  rows: number;
  seconds: number;
}

/**
 * Trains on every row of `epoch` in order, `batchSize` rows per step. `onBatch` (optional) is
 * told the rows done so far and the seconds they took, e.g. to report progress.
 */
export function trainEpoch(
  model: BatchTrainer,
  epoch: TrainingEpoch,
  batchSize: number,
  onBatch?: (rowsDone: number, batchLoss: number, seconds: number) => void,
): EpochResult {
  const started = performance.now();
  const rows = epoch.users.length;
  let lossSum = 0;
  for (let start = 0; start < rows; start += batchSize) {
    const end = Math.min(rows, start + batchSize);
    const loss = model.trainBatch(epoch.users, epoch.items, epoch.labels, start, end);
    lossSum += loss * (end - start);
    onBatch?.(end, loss, (performance.now() - started) / 1000);
  }
  return { loss: rows > 0 ? lossSum / rows : 0, rows, seconds: (performance.now() - started) / 1000 };
}
