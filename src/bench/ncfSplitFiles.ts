/** The Node benchmarks' reader of an NCF split from disk (the page fetches the same files instead). */
import { readFileSync } from 'node:fs';
import { parseNcfSplit, type NcfSplit } from '../engine/data/ncfSplit';

/** The split whose files are `<base>.train.rating`, `<base>.test.rating` and `<base>.test.negative`. */
export function readNcfSplitFiles(base: string): NcfSplit {
  return parseNcfSplit({
    trainRating: readFileSync(`${base}.train.rating`, 'utf8'),
    testRating: readFileSync(`${base}.test.rating`, 'utf8'),
    testNegative: readFileSync(`${base}.test.negative`, 'utf8'),
  });
}
