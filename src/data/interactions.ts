/**
 * The in-memory shape of an imported data set's interactions: dense 0-based user and item
 * indices in typed arrays, as stored in IndexedDB and handed to the workers.
 *
 * Every interaction is in exactly one of three parts (docs/EVALUATION.md):
 * - test: each user's latest movie, held out; the product's figures are measured on it once;
 * - validation: each user's second-latest movie (users with at least 3 movies), held out too;
 *   epochs, settings and the model a profile is recommended from are chosen on it, never on test;
 * - train: everything else; the only interactions a model learns from.
 *
 * Items are numbered so that every movie with a training or validation interaction comes first
 * (`0 .. numTrainItems-1`, the recommendable catalogue); movies that occur only as a held-out
 * test item follow. Negative sampling draws from all `numItems`.
 */
export interface InteractionSplit {
  numUsers: number;
  numItems: number;
  /** Training positives, grouped by user in ascending user order. */
  trainUsers: Int32Array;
  trainItems: Int32Array;
  /** `validationItems[u]` is user u's validation movie, or -1 when the user has none (fewer than 3 movies, or a profile). */
  validationItems: Int32Array;
  /** `testItems[u]` is user u's held-out test movie, or -1 for a user without one (a profile). */
  testItems: Int32Array;
}

/** A split before its validation hold-out: train still holds every non-test interaction. */
export type TrainTestSplit = Omit<InteractionSplit, 'validationItems'>;

/** "No held-out movie" in `validationItems` and `testItems`. */
export const NO_ITEM = -1;
