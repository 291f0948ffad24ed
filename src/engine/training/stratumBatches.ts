import { rowsBuffer, type TrainingEpoch } from '../sampling/negatives';

/** Trains rows [start, end) of `rows` as one batch (one optimizer step). */
export type TrainBatch = (rows: TrainingEpoch, start: number, end: number) => void;

/**
 * Full batches over the chunks a thread trains of one stratum (a user block against a movie block)
 * in a phase: the rows of a chunk that do not fill a last batch wait for the next chunk's (`add`),
 * and are trained as a smaller batch only at `flush`, when the thread leaves the stratum.
 *
 * Why: a stratum chunk keeps ~1/blocks of its positives' rows (those whose movie lies in the
 * round's block), and a round is cut into several phases of several chunks, so on small data a
 * chunk is smaller than a batch (~126 rows on 15 threads on ml-100k). Trained a batch a chunk, an
 * epoch took up to eight times the optimizer steps it takes on one thread, each a full Adam step
 * however few its rows, and the model trained (and over-fitted) that much faster than one thread's
 * (docs/BENCHMARKS.md, "Strata on 16 cores"). Rows are not carried across strata: another thread
 * may own the next stratum's rows.
 */
export class StratumBatches {
  private readonly held: TrainingEpoch;
  private heldRows = 0;

  constructor(
    private readonly batchSize: number,
    private readonly train: TrainBatch,
  ) {
    this.held = rowsBuffer(batchSize);
  }

  /** Trains the full batches that `chunk`'s rows complete, in order, and holds the rest. */
  add(chunk: TrainingEpoch): void {
    const rows = chunk.users.length;
    let start = 0;
    if (this.heldRows > 0) {
      start = Math.min(rows, this.batchSize - this.heldRows);
      this.hold(chunk, 0, start);
      if (this.heldRows < this.batchSize) return;
      this.flush();
    }
    for (; start + this.batchSize <= rows; start += this.batchSize) this.train(chunk, start, start + this.batchSize);
    this.hold(chunk, start, rows);
  }

  /** Trains the rows held back, if any, as one batch. */
  flush(): void {
    if (this.heldRows === 0) return;
    const rows = this.heldRows;
    this.heldRows = 0;
    this.train(this.held, 0, rows);
  }

  /** Forgets the rows held back (an epoch stopped in a phase leaves some that the next must not train). */
  discard(): void {
    this.heldRows = 0;
  }

  private hold(chunk: TrainingEpoch, start: number, end: number): void {
    this.held.users.set(chunk.users.subarray(start, end), this.heldRows);
    this.held.items.set(chunk.items.subarray(start, end), this.heldRows);
    this.held.labels.set(chunk.labels.subarray(start, end), this.heldRows);
    this.heldRows += end - start;
  }
}
