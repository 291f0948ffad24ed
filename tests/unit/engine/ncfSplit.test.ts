import { describe, expect, it } from 'vitest';
import { NcfFormatError, parseNcfSplit } from '../../../src/engine/data/ncfSplit';

const trainRating = ['1\t3\t4\t100', '0\t0\t5\t90', '0\t2\t3\t91', '1\t1\t2\t80', ''].join('\n');
const testRating = ['0\t4\t4\t95', '1\t0\t5\t120'].join('\n');
const testNegative = ['(0,4)\t1\t3\t5', '(1,0)\t2\t4\t5'].join('\n');

describe('parseNcfSplit', () => {
  it('groups train by user and reads the test items and given negatives', () => {
    const { split, negatives, negativesPerUser } = parseNcfSplit({ trainRating, testRating, testNegative });
    expect(split.numUsers).toBe(2);
    expect(split.numItems).toBe(6); // item 5 occurs only as a negative
    expect(Array.from(split.trainUsers)).toEqual([0, 0, 1, 1]);
    expect(Array.from(split.trainItems)).toEqual([0, 2, 3, 1]);
    expect(Array.from(split.testItems)).toEqual([4, 0]);
    expect(negativesPerUser).toBe(3);
    expect(Array.from(negatives)).toEqual([1, 3, 5, 2, 4, 5]);
  });

  it('names the file and line of a malformed row', () => {
    expect(() => parseNcfSplit({ trainRating: '0\tx\t1\t0', testRating, testNegative })).toThrow(NcfFormatError);
    expect(() => parseNcfSplit({ trainRating, testRating, testNegative: '0,4\t1' })).toThrow(/test.negative, line 1/);
  });
});
