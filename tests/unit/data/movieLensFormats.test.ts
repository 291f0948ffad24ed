import { describe, expect, it } from 'vitest';
import { importDataset, type ByteSource } from '../../../src/data/importDataset';
import { EXPECTED_FILES, missingFilesIn, unreadFilesIn } from '../../../src/data/movieLensFormats';

const source = (name: string, text: string): ByteSource => new File([text], name);

describe('unreadFilesIn', () => {
  it('names the loose files the import does not read, by base name, and no zip or file it reads', () => {
    expect(
      unreadFilesIn([
        'ml-latest-small/ratings.csv',
        'ml-latest-small/movies.csv',
        'ml-latest-small/links.csv',
        'ml-latest-small/tags.csv',
        'ml-latest-small/README.txt',
      ]),
    ).toEqual(['tags.csv', 'README.txt']);
    expect(unreadFilesIn(['u.data', 'u.item', 'u1.base'])).toEqual(['u1.base']);
    expect(unreadFilesIn(['ml-25m.zip', 'ratings.dat', 'movies.dat'])).toEqual([]);
  });
});

describe('missingFilesIn', () => {
  it('finds nothing missing in each format’s files, with or without extra ones, nor in a zip or no files', () => {
    expect(missingFilesIn(['ratings.csv', 'movies.csv', 'links.csv', 'tags.csv'])).toBeNull();
    expect(missingFilesIn(['ml-1m/ratings.dat', 'ml-1m/movies.dat', 'ml-1m/users.dat'])).toBeNull();
    expect(missingFilesIn(['u.data', 'u.item', 'README'])).toBeNull();
    expect(missingFilesIn(['holiday.zip'])).toBeNull();
    expect(missingFilesIn([])).toBeNull();
  });

  it('says a ratings file is missing, or the movies file of the ratings file’s format', () => {
    expect(missingFilesIn(['notes.txt'])).toBe(`No ratings file found in notes.txt. Expected ${EXPECTED_FILES}.`);
    expect(missingFilesIn(['movies.csv', 'links.csv'])).toBe(`No ratings file found in movies.csv, links.csv. Expected ${EXPECTED_FILES}.`);
    expect(missingFilesIn(['ratings.csv'])).toBe('movies.csv is missing: it is needed beside ratings.csv for the movie titles.');
    expect(missingFilesIn(['data/ratings.dat', 'movies.csv'])).toBe(
      'movies.dat is missing: it is needed beside ratings.dat for the movie titles.',
    );
    expect(missingFilesIn(['u.data'])).toBe('u.item is missing: it is needed beside u.data for the movie titles.');
  });

  it('says what the import itself says of the same files', async () => {
    for (const names of [['notes.txt'], ['ratings.csv']]) {
      const failure = await importDataset(
        names.map((name) => source(name, 'userId,movieId,rating,timestamp\n1,1,4,1000\n')),
        { maxUsers: Infinity, seed: 1, minMovies: 1 },
      ).catch((error: unknown) => error);
      expect((failure as Error).message).toBe(missingFilesIn(names));
    }
  });
});
