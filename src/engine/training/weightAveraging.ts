/**
 * Polyak averaging of a training run's weights (Polyak & Juditsky 1992; as an exponential moving
 * average, as in TensorFlow's `ExponentialMovingAverage`): the model that is evaluated, chosen on
 * validation and kept is a running average of the trained weights over the latest `windowSteps`
 * Adam steps or so (its time constant), while training goes on from the trained weights themselves.
 *
 * Why: at a constant learning rate the last step's weights carry the noise of the last few
 * hundred mini-batches. On ml-100k one run's full-catalogue HR@10 moved by ~0.005 from one epoch
 * to the next, a chosen test HR@10 (99 sampled) spread with a standard deviation of ~0.009 over
 * seeds, and one thread against two, or one seed against another, landed within 0.01 of each
 * other on both test figures about half the time or less. The window is a share of an epoch
 * (`NeuMFSettings.averageEpochs`), not a number of steps: on one-thread runs of 8 ml-100k seeds
 * and ml-1m, validation NDCG@10 was best at ~250 steps (0.15 of an epoch) on ml-100k and
 * rose up to the longest window tried, 4,000 steps (0.24 of an epoch), on ml-1m, whose epochs
 * are ten times as long (docs/BENCHMARKS.md, "Averaged weights"). Longer windows (session 18,
 * "Longer averaging windows") go on gaining on ml-1m up to 2 epochs and lose on ml-100k, so no
 * one share of an epoch is best for both: 0.2 stays the default, and the setting says so.
 *
 * How often: a fold reads every weight once (the trainer's `foldIntoAverage`), so it comes every
 * `foldEverySteps` steps: often enough to sample the window 16 times, and rarely enough that on
 * large catalogues it costs a few per cent of the steps between two folds. A fold `d` steps after
 * the last one keeps (1 − 1/windowSteps)^d of the average, as that many single-step updates would
 * (the weights in between are not seen); until the run has trained `windowSteps` steps it keeps
 * less, making it the plain mean of the folds so far, so the first epochs are not dragged back to
 * the untrained weights.
 */

/** What a trainer does to keep an average of its weights (`FusedNeuMF`, `TfjsNeuMFTrainer`). */
export interface AveragingTrainer {
  /** average = keep · average + (1 − keep) · weights; `keep` 0 (and the first fold) copies them. */
  foldIntoAverage(keep: number): void;
  /** Exchanges the weights with their average in place; a second call restores both. */
  swapAverage(): void;
}

/**
 * Steps between two folds: 16 folds per window, and at least 4 · (users + items) / batch, where a
 * fold (3 reads and writes of every weight) costs at most ~4 % of the steps since the last one (a
 * step reads and writes ~10 numbers per weight of each of its batch × 2 rows).
 */
export function foldEverySteps(windowSteps: number, numUsers: number, numItems: number, batchSize: number): number {
  return Math.max(1, Math.ceil(windowSteps / 16), Math.ceil((4 * (numUsers + numItems)) / batchSize));
}

/** What a fold `stepsSinceFold` after the last one, `stepsBefore` into the run (at that last fold), keeps of the average. */
export function averageKeeps(windowSteps: number, stepsBefore: number, stepsSinceFold: number): number {
  if (stepsBefore <= 0) return 0;
  return Math.min(Math.pow(1 - 1 / windowSteps, stepsSinceFold), stepsBefore / (stepsBefore + stepsSinceFold));
}

/** One training stage's averaging: when to fold, and the average standing in for the weights while they are evaluated and read. */
export class WeightAveraging {
  private readonly every: number;
  /** Steps into the stage at the latest fold; -1 before the first. */
  private foldedAt = -1;

  /** `windowSteps`: the average's time constant in steps (at least 1). */
  constructor(
    private readonly trainer: AveragingTrainer,
    private readonly windowSteps: number,
    numUsers: number,
    numItems: number,
    batchSize: number,
  ) {
    if (!(windowSteps >= 1 && Number.isFinite(windowSteps)))
      throw new RangeError(`An average needs a window of at least one step, got ${windowSteps}.`);
    this.every = foldEverySteps(windowSteps, numUsers, numItems, batchSize);
  }

  /** After a step: `steps` into the stage so far (all threads'). Folds once `foldEverySteps` have passed since the last fold. */
  afterStep(steps: number): void {
    if (steps - Math.max(0, this.foldedAt) >= this.every) this.fold(steps);
  }

  /**
   * Runs `use` (evaluating, reading the weights) with the average standing in for the weights,
   * folding the latest ones in first; afterwards the trained weights are back. No thread may train meanwhile.
   */
  async standingIn<T>(steps: number, use: () => Promise<T>): Promise<T> {
    if (steps > this.foldedAt) this.fold(steps);
    this.trainer.swapAverage();
    try {
      return await use();
    } finally {
      this.trainer.swapAverage();
    }
  }

  private fold(steps: number): void {
    const before = Math.max(0, this.foldedAt);
    this.trainer.foldIntoAverage(this.foldedAt < 0 ? 0 : averageKeeps(this.windowSteps, before, steps - before));
    this.foldedAt = steps;
  }
}
