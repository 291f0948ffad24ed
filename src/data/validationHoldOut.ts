/**
 * The validation hold-out where a split has no usable time order: NCF files whose timestamps are
 * all the same (the rebuilt ml-1m train file) and data sets imported before validation existed.
 * The product's own import holds out each user's second-latest movie instead (`leaveLatestOut`).
 */
import { NO_ITEM, type InteractionSplit, type TrainTestSplit } from './interactions';
import { SeededRandom } from '../shared/random';

/** Seed of the random validation hold-out; fixed, so a data set's validation rows never change between runs. */
export const VALIDATION_SEED = 2017;

/** Users need this many training rows to give one to validation and still train on something. */
const MIN_TRAIN_ROWS_FOR_VALIDATION = 2;

/**
 * Moves one training row per user into validation: `pick(user, start, end)` names the row (an
 * index in `[start, end)` of the user's rows). Users with fewer than 2 training rows keep them all.
 */
export function holdOutValidation(split: TrainTestSplit, pick: (user: number, start: number, end: number) => number): InteractionSplit {
  const { numUsers, trainUsers, trainItems } = split;
  const validationItems = new Int32Array(numUsers).fill(NO_ITEM);
  const heldRow = new Uint8Array(trainUsers.length);
  let held = 0;
  for (let start = 0; start < trainUsers.length;) {
    const user = trainUsers[start];
    let end = start;
    while (end < trainUsers.length && trainUsers[end] === user) end++;
    if (end - start >= MIN_TRAIN_ROWS_FOR_VALIDATION) {
      const row = pick(user, start, end);
      if (row < start || row >= end) throw new RangeError(`Validation row ${row} is not one of user ${user}'s rows [${start}, ${end}).`);
      validationItems[user] = trainItems[row];
      heldRow[row] = 1;
      held++;
    }
    start = end;
  }
  const keptUsers = new Int32Array(trainUsers.length - held);
  const keptItems = new Int32Array(trainUsers.length - held);
  for (let p = 0, k = 0; p < trainUsers.length; p++) {
    if (heldRow[p]) continue;
    keptUsers[k] = trainUsers[p];
    keptItems[k++] = trainItems[p];
  }
  return { ...split, trainUsers: keptUsers, trainItems: keptItems, validationItems };
}

/** One seeded random training row per user (in user order), for splits without a time order. */
export function holdOutRandomValidation(split: TrainTestSplit, seed = VALIDATION_SEED): InteractionSplit {
  const rng = new SeededRandom(seed);
  return holdOutValidation(split, (_user, start, end) => start + rng.nextInt(end - start));
}
