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

/** A trainer whose steps read their loss asynchronously (tfjs: `TfjsNeuMFTrainer.trainBatchQueued`). */
export interface QueuedBatchTrainer {
  trainBatchQueued(users: Int32Array, items: Int32Array, labels: Float32Array, start: number, end: number): Promise<number>;
  /** Waits for the steps still queued on the device and reads their loss. */
  settleAsync(): Promise<number>;
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
 * window of 68 batches of 1024, while the buffer stays small beside the split. Threads
 * (`trainingThreads.ts`) meet after every chunk of their block pairs.
 */
const POSITIVES_PER_CHUNK = 4096;

/** Positives per chunk for `batchSize`: a whole number of batches' worth (each positive brings its negatives). */
export function positivesPerChunk(batchSize: number): number {
  return Math.max(1, Math.ceil(POSITIVES_PER_CHUNK / batchSize)) * batchSize;
}

/** The batches of an epoch in order: `batchSize` rows at a time, never spanning two chunks. */
function* batchesOf(epoch: TrainingEpoch | Iterable<TrainingEpoch>, batchSize: number): Generator<[TrainingEpoch, number, number]> {
  const chunks: Iterable<TrainingEpoch> = 'users' in epoch ? [epoch] : epoch;
  for (const chunk of chunks) {
    const rows = chunk.users.length;
    for (let start = 0; start < rows; start += batchSize) yield [chunk, start, Math.min(rows, start + batchSize)];
  }
}

/** An epoch's running figures: rows, the loss weighted by batch size, seconds since it started. */
class EpochTally {
  private readonly started = performance.now();
  rows = 0;
  private lossSum = 0;

  add(loss: number, rows: number): void {
    this.lossSum += loss * rows;
    this.rows += rows;
  }

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  result(): EpochResult {
    return { loss: this.rows > 0 ? this.lossSum / this.rows : 0, rows: this.rows, seconds: this.seconds };
  }
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
  const tally = new EpochTally();
  for (const [chunk, start, end] of batchesOf(epoch, batchSize)) {
    const loss = model.trainBatch(chunk.users, chunk.items, chunk.labels, start, end);
    tally.add(loss, end - start);
    onBatch?.(tally.rows, loss, tally.seconds);
  }
  model.settle?.(); // the epoch's time includes steps still queued on a device
  return tally.result();
}

/** `trainEpoch` for a trainer that reads its loss asynchronously: the loop awaits the reads, never blocking on the device. */
export async function trainEpochAsync(
  model: QueuedBatchTrainer,
  epoch: TrainingEpoch | Iterable<TrainingEpoch>,
  batchSize: number,
  onBatch?: (rowsDone: number, batchLoss: number, seconds: number) => void,
): Promise<EpochResult> {
  const tally = new EpochTally();
  for (const [chunk, start, end] of batchesOf(epoch, batchSize)) {
    const loss = await model.trainBatchQueued(chunk.users, chunk.items, chunk.labels, start, end);
    tally.add(loss, end - start);
    onBatch?.(tally.rows, loss, tally.seconds);
  }
  await model.settleAsync(); // the epoch's time includes steps still queued on a device
  return tally.result();
}
