/**
 * The in-memory shape of an imported data set's interactions: dense 0-based user and item
 * indices in typed arrays, as stored in IndexedDB and handed to the workers.
 *
 * Items are numbered so that every movie with a training interaction comes first
 * (`0 .. numTrainItems-1`, the recommendable catalogue); movies that occur only as a held-out
 * test item follow. Negative sampling draws from all `numItems`.
 */
export interface InteractionSplit {
  numUsers: number;
  numItems: number;
  /** Training positives, grouped by user in ascending user order. */
  trainUsers: Int32Array;
  trainItems: Int32Array;
  /** Exactly one held-out interaction per user: `testItems[u]` is user u's latest movie. */
  testItems: Int32Array;
}
