/**
 * What every fitted baseline offers the app and the benchmark: a score for every item of the
 * catalogue, higher = more relevant, for a user it was trained on or for a new history.
 *
 * Scores of different users are not comparable and are not probabilities; only their order
 * within one call means anything. The caller removes what the person has already seen.
 */
export interface CatalogueScorer {
  readonly numItems: number;
  /** Scores of every item for trained user `user` into `out[0 .. numItems)`. */
  scoreUser(user: number, out: Float32Array): void;
  /**
   * Scores of every item for a person known only by these positives (e.g. a profile edited after
   * fitting), in closed form: no retraining. Item ids outside `0 .. numItems-1` are ignored.
   */
  scoreHistory(items: Int32Array, out: Float32Array): void;
}

/** Told after each step of a fit; returning `false` stops the fit at that point. */
export type FitProgressHook<Progress> = (progress: Progress) => boolean | void;

/** A fit that the progress hook stopped; nothing is returned from it. */
export class FitCancelledError extends Error {
  constructor(what: string) {
    super(`${what} was cancelled.`);
    this.name = 'FitCancelledError';
  }
}

export function checkScoresLength(scorer: CatalogueScorer, out: Float32Array): void {
  if (out.length < scorer.numItems) throw new RangeError(`Scores need room for ${scorer.numItems} items, got ${out.length}.`);
}
