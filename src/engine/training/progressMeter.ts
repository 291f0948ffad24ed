/**
 * Training speed and time left for the progress line. The rate is the run's: every row trained so
 * far over the time spent training them (evaluation between epochs excluded), so it neither
 * restarts at each epoch nor jumps on a fast first batch; before a batch has finished there is none.
 */
export class ProgressMeter {
  #rowsBefore = 0;
  #secondsBefore = 0;
  #epoch = -1;
  #rowsInEpoch = 0;
  #secondsInEpoch = 0;

  /** A batch of epoch `epoch` ended: `rowsDone` rows of the epoch trained in `seconds` of training. */
  batchDone(epoch: number, rowsDone: number, seconds: number): void {
    if (epoch !== this.#epoch) {
      this.#rowsBefore += this.#rowsInEpoch;
      this.#secondsBefore += this.#secondsInEpoch;
      this.#epoch = epoch;
    }
    this.#rowsInEpoch = rowsDone;
    this.#secondsInEpoch = seconds;
  }

  /** Rows per second over the run so far; null before a batch has finished. */
  get samplesPerSecond(): number | null {
    const rows = this.#rowsBefore + this.#rowsInEpoch;
    const seconds = this.#secondsBefore + this.#secondsInEpoch;
    return rows > 0 && seconds > 0 ? rows / seconds : null;
  }

  /** Seconds to train `rowsLeft` more rows at the run's rate; null without a rate. */
  secondsFor(rowsLeft: number): number | null {
    const rate = this.samplesPerSecond;
    return rate === null ? null : rowsLeft / rate;
  }
}
