import { describe, expect, it } from 'vitest';
import { NcfFormatError, parseNcfSplit } from '../../../../src/engine/data/ncfSplit';

const trainRating = ['1\t3\t4\t100', '0\t0\t5\t90', '0\t2\t3\t91', '1\t1\t2\t80', ''].join('\n');
const testRating = ['0\t4\t4\t95', '1\t0\t5\t120'].join('\n');
const testNegative = ['(0,4)\t1\t3\t5', '(1,0)\t2\t4\t5'].join('\n');

describe('parseNcfSplit', () => {
  it("groups train by user, holds out each user's latest training row, and reads the test items and given negatives", () => {
    const { split, validation, negatives, negativesPerUser } = parseNcfSplit({ trainRating, testRating, testNegative });
    expect(split.numUsers).toBe(2);
    expect(split.numItems).toBe(6); // item 5 occurs only as a negative
    expect(validation).toBe('latest');
    expect(Array.from(split.validationItems)).toEqual([2, 3]);
    expect(Array.from(split.trainUsers)).toEqual([0, 1]);
    expect(Array.from(split.trainItems)).toEqual([0, 1]);
    expect(Array.from(split.testItems)).toEqual([4, 0]);
    expect(negativesPerUser).toBe(3);
    expect(Array.from(negatives)).toEqual([1, 3, 5, 2, 4, 5]);
  });

  it('holds out a seeded random training row per user where the file has no timestamps', () => {
    const untimed = ['0\t0\t1\t0', '0\t1\t1\t0', '0\t2\t1\t0', '1\t3\t1\t0', '1\t1\t1\t0'].join('\n');
    const a = parseNcfSplit({ trainRating: untimed, testRating, testNegative });
    const b = parseNcfSplit({ trainRating: untimed, testRating, testNegative });
    expect(a.validation).toBe('random');
    expect(Array.from(a.split.validationItems)).toEqual(Array.from(b.split.validationItems));
    expect(a.split.trainItems.length).toBe(3);
    for (let u = 0; u < 2; u++) {
      const train = Array.from(a.split.trainItems).filter((_, p) => a.split.trainUsers[p] === u);
      expect(train).not.toContain(a.split.validationItems[u]);
    }
  });

  it('names the file and line of a malformed row', () => {
    expect(() => parseNcfSplit({ trainRating: '0\tx\t1\t0', testRating, testNegative })).toThrow(NcfFormatError);
    expect(() => parseNcfSplit({ trainRating, testRating, testNegative: '0,4\t1' })).toThrow(/test.negative, line 1/);
  });
});
