import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importDataset, type ByteSource } from '../../../src/data/importDataset';
import { splitFingerprint } from '../../../src/data/splitFingerprint';

const source = (name: string, bytes: Uint8Array): ByteSource => new File([bytes as BlobPart], name);
const options = { maxUsers: Infinity, seed: 1, minMovies: 1 };

const ratings = ['userId,movieId,rating,timestamp'];
for (let u = 1; u <= 40; u++) for (let m = 1; m <= 4; m++) ratings.push(`${u},${((u + m) % 6) + 1},4,${u * 10 + m}`);
const ratingsCsv = ratings.join('\n');
const moviesCsv = ['movieId,title,genres', ...Array.from({ length: 6 }, (_, k) => `${k + 1},Movie ${k + 1} (2000),Drama`)].join('\n');

async function fingerprintOf(sources: ByteSource[], settings = options): Promise<string> {
  return splitFingerprint((await importDataset(sources, settings)).split);
}

describe('splitFingerprint', () => {
  it('is the same for the same ratings, loose or zipped, and 64 hex digits', async () => {
    const loose = await fingerprintOf([source('ratings.csv', strToU8(ratingsCsv)), source('movies.csv', strToU8(moviesCsv))]);
    const zip = zipSync({ 'ml-latest-small/ratings.csv': strToU8(ratingsCsv), 'ml-latest-small/movies.csv': strToU8(moviesCsv) });
    expect(await fingerprintOf([source('ml-latest-small.zip', zip)])).toBe(loose);
    expect(loose).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with one rating, or with another subset of users', async () => {
    const movies = source('movies.csv', strToU8(moviesCsv));
    const all = await fingerprintOf([source('ratings.csv', strToU8(ratingsCsv)), movies]);
    const oneMore = await fingerprintOf([source('ratings.csv', strToU8(`${ratingsCsv}\n1,1,4,5`)), movies]);
    const subset = (seed: number) =>
      fingerprintOf([source('ratings.csv', strToU8(ratingsCsv)), movies], { ...options, maxUsers: 20, seed });
    expect(oneMore).not.toBe(all);
    expect(await subset(1)).not.toBe(all);
    expect(await subset(1)).toBe(await subset(1));
    expect(await subset(2)).not.toBe(await subset(1));
  });

  it('reads a split whose columns live in shared memory', async () => {
    const { split } = await importDataset([source('ratings.csv', strToU8(ratingsCsv)), source('movies.csv', strToU8(moviesCsv))], options);
    const shared = new Int32Array(new SharedArrayBuffer(split.trainItems.byteLength));
    shared.set(split.trainItems);
    expect(await splitFingerprint({ ...split, trainItems: shared })).toBe(await splitFingerprint(split));
  });

  it('covers every piece of a column longer than one piece', async () => {
    const { split } = await importDataset([source('ratings.csv', strToU8(ratingsCsv)), source('movies.csv', strToU8(moviesCsv))], options);
    const last = split.trainItems.length - 1;
    const changed = split.trainItems.slice();
    changed[last] = (changed[last] + 1) % split.numItems;
    expect(split.trainItems.length).toBeGreaterThan(3 * 8);
    expect(await splitFingerprint({ ...split, trainItems: changed }, 8)).not.toBe(await splitFingerprint(split, 8));
    expect(await splitFingerprint(split, 8)).toBe(await splitFingerprint({ ...split }, 8));
  });
});
