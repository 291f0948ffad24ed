import { describe, expect, it } from 'vitest';
import { holdOutRandomValidation, holdOutValidation } from '../../../src/data/validationHoldOut';

const trainTest = {
  numUsers: 3,
  numItems: 6,
  trainUsers: Int32Array.of(0, 0, 0, 1, 2, 2),
  trainItems: Int32Array.of(0, 1, 2, 3, 4, 5),
  testItems: Int32Array.of(5, 0, 1),
};

describe('holdOutValidation', () => {
  it('moves the picked training row of each user with at least 2 into validation', () => {
    const split = holdOutValidation(trainTest, (_u, _start, end) => end - 1);
    expect(Array.from(split.validationItems)).toEqual([2, -1, 5]);
    expect(Array.from(split.trainUsers)).toEqual([0, 0, 1, 2]);
    expect(Array.from(split.trainItems)).toEqual([0, 1, 3, 4]);
    expect(split.testItems).toBe(trainTest.testItems);
  });

  it("refuses a pick outside the user's rows", () => {
    expect(() => holdOutValidation(trainTest, () => 0)).toThrow(RangeError);
  });

  it('holds out the same random rows for the same seed', () => {
    const a = holdOutRandomValidation(trainTest, 5);
    const b = holdOutRandomValidation(trainTest, 5);
    expect(Array.from(a.validationItems)).toEqual(Array.from(b.validationItems));
    expect(a.trainItems.length).toBe(4);
    expect(a.validationItems[1]).toBe(-1);
    expect([0, 1, 2]).toContain(a.validationItems[0]);
  });
});
