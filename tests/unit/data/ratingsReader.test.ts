import { describe, expect, it } from 'vitest';
import { ImportError } from '../../../src/data/importError';
import { layoutOf, type FileLayout } from '../../../src/data/movieLensFormats';
import { RatingsReader } from '../../../src/data/ratingsReader';

describe('RatingsReader', () => {
  it('stops with a message, instead of running out of memory, past the most ratings it keeps', () => {
    const reader = new RatingsReader('ratings.dat', layoutOf('ratings.dat') as FileLayout, Infinity, 1, 10);
    const rows = Array.from({ length: 11 }, (_, i) => `1::${i + 1}::5::${i}`).join('\n');
    expect(() => reader.write(new TextEncoder().encode(`${rows}\n`))).toThrow(ImportError);
    expect(reader.table.length).toBe(10);
  });

  it('keeps ids past 2^31 − 1 exactly and counts badly written ones and ids an offset moves past the safe integers', () => {
    const reader = new RatingsReader('u.data', layoutOf('u.data') as FileLayout, Infinity, 1);
    reader.write(
      new TextEncoder().encode(
        '1\t2\t3\t4\n2147483648\t2\t3\t4\n1\t2147483647\t3\t4\n1\t0x2\t3\t4\n1\t9007199254740991\t3\t5\n9007199254740991\t4\t3\t5\n',
      ),
    );
    reader.end();
    // ml-100k's movie ids move up by 1,000,000 (movieLensFormats.ts), so movie 9007199254740991 no longer fits.
    expect(reader.skipped).toEqual({ fields: 0, spelling: 1, range: 1, quotes: 0 });
    const { users, movies } = reader.table;
    expect(reader.table.length).toBe(4);
    expect(Array.from(users.subarray(0, 4))).toEqual([1, 2147483648, 1, 9007199254740991]);
    expect(Array.from(movies.subarray(0, 4))).toEqual([1000002, 1000002, 2148483647, 1000004]);
  });
});
