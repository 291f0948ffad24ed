/**
 * Reader for the leave-one-out benchmark files of He et al. (the NCF format), so the engine can
 * be measured on exactly the splits other NCF implementations use:
 * - `<name>.train.rating`: `user\titem\trating\ttimestamp`, 0-based ids, any line order;
 * - `<name>.test.rating`: one line per user, the held-out interaction;
 * - `<name>.test.negative`: `(user,item)\tneg1\t...\tneg99`, the fixed evaluation negatives.
 *
 * The files have no validation part, so one is held out of train.rating as the product does it
 * (docs/EVALUATION.md): each user's latest training row by timestamp (on a tie, the larger item),
 * or, where the file has no timestamps (all equal, as in the rebuilt ml-1m file), one seeded
 * random training row per user.
 */
import type { InteractionSplit } from '../../data/interactions';
import { holdOutRandomValidation, holdOutValidation } from '../../data/validationHoldOut';

export interface NcfSplit {
  split: InteractionSplit;
  /** How the validation rows were chosen. */
  validation: 'latest' | 'random';
  /** `negatives[u * negativesPerUser + k]` is user u's k-th given negative. */
  negatives: Int32Array;
  negativesPerUser: number;
}

export interface NcfFiles {
  trainRating: string;
  testRating: string;
  testNegative: string;
}

/** A file that does not follow the NCF format; the message names the file and line. */
export class NcfFormatError extends Error {
  constructor(file: string, line: number, problem: string) {
    super(`${file}, line ${line}: ${problem}`);
    this.name = 'NcfFormatError';
  }
}

function parseId(text: string, file: string, line: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new NcfFormatError(file, line, `"${text}" is not a 0-based id.`);
  return value;
}

function nonEmptyLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

export function parseNcfSplit(files: NcfFiles): NcfSplit {
  const trainLines = nonEmptyLines(files.trainRating);
  const rawUsers = new Int32Array(trainLines.length);
  const rawItems = new Int32Array(trainLines.length);
  const rawTimes = new Float64Array(trainLines.length);
  let maxUser = -1;
  let maxItem = -1;
  trainLines.forEach((text, p) => {
    const cols = text.split('\t');
    if (cols.length < 2) throw new NcfFormatError('train.rating', p + 1, 'expected user<TAB>item<TAB>rating<TAB>timestamp.');
    rawUsers[p] = parseId(cols[0], 'train.rating', p + 1);
    rawItems[p] = parseId(cols[1], 'train.rating', p + 1);
    rawTimes[p] = cols.length >= 4 ? parseId(cols[3], 'train.rating', p + 1) : 0;
    if (rawUsers[p] > maxUser) maxUser = rawUsers[p];
    if (rawItems[p] > maxItem) maxItem = rawItems[p];
  });

  const testLines = nonEmptyLines(files.testRating);
  const testPairs = testLines.map((text, p) => {
    const cols = text.split('\t');
    if (cols.length < 2) throw new NcfFormatError('test.rating', p + 1, 'expected user<TAB>item<TAB>rating<TAB>timestamp.');
    const user = parseId(cols[0], 'test.rating', p + 1);
    const item = parseId(cols[1], 'test.rating', p + 1);
    maxUser = Math.max(maxUser, user);
    maxItem = Math.max(maxItem, item);
    return { user, item };
  });

  const negativeLines = nonEmptyLines(files.testNegative);
  const negativeRows = negativeLines.map((text, p) => {
    const cols = text.split('\t');
    const head = /^\((\d+),(\d+)\)$/.exec(cols[0]);
    if (!head) throw new NcfFormatError('test.negative', p + 1, 'expected "(user,item)" then the negatives.');
    const user = Number(head[1]);
    const negs = cols.slice(1).map((c) => parseId(c, 'test.negative', p + 1));
    for (const n of negs) maxItem = Math.max(maxItem, n);
    return { user, negs };
  });

  const numUsers = maxUser + 1;
  const numItems = maxItem + 1;
  const testItems = new Int32Array(numUsers).fill(-1);
  for (const { user, item } of testPairs) testItems[user] = item;
  for (let u = 0; u < numUsers; u++) {
    if (testItems[u] < 0) throw new NcfFormatError('test.rating', testLines.length, `user ${u} has no test item.`);
  }

  // Group training rows by user, ascending, keeping each user's file order (counting sort).
  const starts = new Int32Array(numUsers + 1);
  for (let p = 0; p < rawUsers.length; p++) starts[rawUsers[p] + 1]++;
  for (let u = 0; u < numUsers; u++) starts[u + 1] += starts[u];
  const trainUsers = new Int32Array(rawUsers.length);
  const trainItems = new Int32Array(rawUsers.length);
  const trainTimes = new Float64Array(rawUsers.length);
  for (let p = 0; p < rawUsers.length; p++) {
    const at = starts[rawUsers[p]]++;
    trainUsers[at] = rawUsers[p];
    trainItems[at] = rawItems[p];
    trainTimes[at] = rawTimes[p];
  }

  const negativesPerUser = negativeRows.length > 0 ? negativeRows[0].negs.length : 0;
  const negatives = new Int32Array(numUsers * negativesPerUser);
  const covered = new Uint8Array(numUsers);
  negativeRows.forEach(({ user, negs }, p) => {
    if (negs.length !== negativesPerUser) {
      throw new NcfFormatError('test.negative', p + 1, `expected ${negativesPerUser} negatives, found ${negs.length}.`);
    }
    if (user >= numUsers) throw new NcfFormatError('test.negative', p + 1, `user ${user} has no test item.`);
    negatives.set(negs, user * negativesPerUser);
    covered[user] = 1;
  });
  if (negativeRows.length > 0 && covered.includes(0)) {
    throw new NcfFormatError('test.negative', negativeRows.length, `user ${covered.indexOf(0)} has no negatives.`);
  }

  const trainTest = { numUsers, numItems, trainUsers, trainItems, testItems };
  const timed = trainTimes.some((t) => t !== trainTimes[0]);
  const split = timed
    ? holdOutValidation(trainTest, (_user, start, end) => {
        let latest = start;
        for (let p = start + 1; p < end; p++) {
          const later = trainTimes[p] > trainTimes[latest] || (trainTimes[p] === trainTimes[latest] && trainItems[p] > trainItems[latest]);
          if (later) latest = p;
        }
        return latest;
      })
    : holdOutRandomValidation(trainTest);
  return { split, validation: timed ? 'latest' : 'random', negatives, negativesPerUser };
}
