/** Three users, five items; rows grouped by user, with a repeat (user 0, item 3). */
import type { InteractionSplit } from '../../../../src/data/interactions';

export const split: InteractionSplit = {
  numUsers: 3,
  numItems: 5,
  trainUsers: Int32Array.from([0, 0, 0, 1, 1, 2]),
  trainItems: Int32Array.from([3, 1, 3, 1, 2, 1]),
  validationItems: Int32Array.from([-1, -1, -1]),
  testItems: Int32Array.from([2, 4, 0]),
};
