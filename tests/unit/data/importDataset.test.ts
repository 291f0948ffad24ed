import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importDataset, type ByteSource } from '../../../src/data/importDataset';
import { ImportError } from '../../../src/data/importError';
import { ML100K_MOVIE_ID_OFFSET } from '../../../src/data/movieLensFormats';

function source(name: string, content: string | Uint8Array): ByteSource {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return new File([bytes as BlobPart], name);
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const options = { maxUsers: Infinity, seed: 1 };

const ratingsCsv = [
  'userId,movieId,rating,timestamp',
  '1,1,4.0,964982703',
  '1,3,4.0,964981247',
  '1,6,4.0,964982224',
  '2,1,3.5,1445714835',
  '2,6,4.0,1445714830',
  '3,3,1.0,1306463544',
].join('\n');
const moviesCsv = [
  'movieId,title,genres',
  '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy',
  '3,"City of Lost Children, The (Cité des enfants perdus, La) (1995)",Adventure|Drama',
  '6,Heat (1995),(no genres listed)',
].join('\n');
const linksCsv = ['movieId,imdbId,tmdbId', '1,0114709,862', '3,0112682,902', '6,0113277,949'].join('\n');

async function expectImportError(sources: ByteSource[], pattern: RegExp): Promise<void> {
  const failure = await importDataset(sources, options).catch((e: unknown) => e);
  expect(failure).toBeInstanceOf(ImportError);
  expect((failure as ImportError).message).toMatch(pattern);
}

describe('importDataset: formats', () => {
  it('reads GroupLens CSV with quoted titles, links and renamed genres', async () => {
    const result = await importDataset(
      [source('ratings.csv', ratingsCsv), source('movies.csv', moviesCsv), source('links.csv', linksCsv)],
      options,
    );
    expect(result.counts).toMatchObject({
      format: 'grouplens-csv',
      rows: 6,
      skippedRows: 0,
      users: 2,
      droppedUsers: 1,
      train: 2,
      validation: 1,
      test: 2,
    });
    // User 1 holds out movie 1 (latest), user 2 holds out movie 1 too; training movies are 3 and 6.
    expect(result.catalogue.map((m) => m.movieId)).toEqual([3, 6]);
    const city = result.catalogue[0];
    expect(city.title).toBe('City of Lost Children, The (Cité des enfants perdus, La)');
    expect(city.year).toBe(1995);
    expect(city.imdbId).toBe('0112682');
    expect(result.catalogue[1].genres).toEqual(['Unknown']);
    expect(result.catalogue[1].popularity).toBe(2);
  });

  it('reads ml-1m .dat files (:: separated, Latin-1)', async () => {
    const ratings = ['1::1193::5::978300760', '1::661::3::978302109', '2::1193::4::978298413', '2::661::5::978299000'].join('\n');
    const movies = [
      "1193::One Flew Over the Cuckoo's Nest (1975)::Drama",
      "661::James and the Giant Peach (1996)::Animation|Children's|Musical",
    ].join('\n');
    const result = await importDataset([source('ratings.dat', latin1(ratings)), source('movies.dat', latin1(movies))], options);
    expect(result.counts).toMatchObject({ format: 'ml-1m', users: 2, train: 2, test: 2 });
    // Both users saw 661 last, so it is only held out and the catalogue is the one training movie.
    expect(result.catalogue.map((m) => m.title)).toEqual(["One Flew Over the Cuckoo's Nest"]);
    expect(Array.from(result.split.testItems, (item) => result.split.itemMovieIds[item])).toEqual([661, 661]);
  });

  it('decodes Latin-1 titles in ml-1m', async () => {
    const ratings = ['1::1::5::1', '1::2::3::2'].join('\n');
    const movies = ['1::Café Olé (1999)::Comedy', '2::"Great Performances" Cats (1998)::Musical'].join('\n');
    const result = await importDataset([source('ratings.dat', latin1(ratings)), source('movies.dat', latin1(movies))], options);
    expect(result.catalogue[0].title).toBe('Café Olé');
    expect(result.counts.test).toBe(1);
  });

  it('reads ml-100k u.data / u.item with genre flags', async () => {
    const data = ['196\t242\t3\t881250949', '196\t302\t3\t891717742', '186\t302\t3\t891717742', '186\t242\t3\t891717000'].join('\n');
    const flags = (on: number[]) => Array.from({ length: 19 }, (_, g) => (on.includes(g) ? '1' : '0')).join('|');
    const item = [
      `242|Kolya (1996)|24-Jan-1997||http://us.imdb.com/M/title-exact?Kolya%20(1996)|${flags([5])}`,
      `302|L.A. Confidential (1997)|01-Jan-1997||http://us.imdb.com/x|${flags([6, 10, 13, 16])}`,
    ].join('\n');
    const result = await importDataset([source('u.data', latin1(data)), source('u.item', latin1(item))], options);
    expect(result.counts).toMatchObject({ format: 'ml-100k', users: 2, test: 2, train: 2 });
    // ml-100k's own movie ids live apart from GroupLens's (its 242 is not their 242).
    expect(result.catalogue.find((m) => m.movieId === ML100K_MOVIE_ID_OFFSET + 242)?.genres).toEqual(['Comedy']);
    expect(result.catalogue.some((m) => m.movieId === 242)).toBe(false);
  });

  it('reads a zip with the files in a folder, in any entry order', async () => {
    const zip = zipSync({
      'ml-latest-small/README.txt': strToU8('readme'),
      'ml-latest-small/ratings.csv': strToU8(ratingsCsv),
      'ml-latest-small/movies.csv': strToU8(moviesCsv),
    });
    const result = await importDataset([source('ml-latest-small.zip', zip)], options);
    expect(result.counts).toMatchObject({ format: 'grouplens-csv', users: 2, train: 2, validation: 1, test: 2 });
  });
});

describe('importDataset: user subset', () => {
  const many = ['userId,movieId,rating,timestamp'];
  for (let u = 1; u <= 200; u++) for (let m = 1; m <= 3; m++) many.push(`${u},${m},4,${u * 10 + m}`);
  const movies = ['movieId,title,genres', '1,A (2000),Drama', '2,B (2001),Drama', '3,C (2002),Drama'].join('\n');

  it('keeps exactly the requested number of users, the same ones for the same seed, whatever the row order', async () => {
    const shuffled = [many[0], ...many.slice(1).reverse()];
    const a = await importDataset([source('ratings.csv', many.join('\n')), source('movies.csv', movies)], { maxUsers: 50, seed: 7 });
    const b = await importDataset([source('ratings.csv', shuffled.join('\n')), source('movies.csv', movies)], { maxUsers: 50, seed: 7 });
    const c = await importDataset([source('ratings.csv', many.join('\n')), source('movies.csv', movies)], { maxUsers: 50, seed: 8 });
    expect(a.counts.users).toBe(50);
    expect(a.counts.usersInFile).toBe(200);
    expect(Array.from(b.split.userIds)).toEqual(Array.from(a.split.userIds));
    expect(Array.from(c.split.userIds)).not.toEqual(Array.from(a.split.userIds));
  });
});

describe('importDataset: bad input', () => {
  it('counts and skips broken rows', async () => {
    const broken = ratingsCsv + '\nx,1,4,5\n4,,3,1\n5,1';
    const result = await importDataset([source('ratings.csv', broken), source('movies.csv', moviesCsv)], options);
    expect(result.counts.skippedRows).toBe(3);
    expect(result.counts.rows).toBe(9);
  });

  it('refuses a file that is not MovieLens, naming it', async () => {
    await expectImportError(
      [source('ratings.csv', 'name,price\napple,3'), source('movies.csv', moviesCsv)],
      /ratings\.csv has the wrong columns/,
    );
  });

  it('refuses a file whose rows are mostly broken', async () => {
    const rows = ['1::a::b', 'hello', 'x::y::z::w', '1::2::3::4'].join('\n');
    await expectImportError(
      [source('ratings.dat', rows), source('movies.dat', '1::A (1990)::Drama')],
      /ratings\.dat does not look like a MovieLens ratings file/,
    );
  });

  it('refuses a zip without a ratings file', async () => {
    const zip = zipSync({ 'photos/cat.jpg': new Uint8Array([1, 2, 3]) });
    await expectImportError([source('holiday.zip', zip)], /archive contains no MovieLens ratings file/);
  });

  it('refuses something named .zip that is not one', async () => {
    await expectImportError([source('ml-latest-small.zip', 'hello')], /is not a zip archive/);
  });

  it('refuses ratings whose movies the movies file does not list', async () => {
    const other = ['movieId,title,genres', '100,X (1990),Drama'].join('\n');
    await expectImportError([source('ratings.csv', ratingsCsv), source('movies.csv', other)], /does not list/);
  });

  it('refuses an empty ratings file', async () => {
    await expectImportError([source('ratings.csv', ''), source('movies.csv', moviesCsv)], /ratings\.csv is empty/);
  });

  it('asks for the movies file when it is missing', async () => {
    await expectImportError([source('ratings.csv', ratingsCsv)], /movies\.csv is missing/);
  });

  it('refuses files of two different formats', async () => {
    await expectImportError([source('ratings.csv', ratingsCsv), source('u.item', '1|A (1990)|x')], /different MovieLens format/);
  });

  it('names what it expects when no file is recognised', async () => {
    await expectImportError([source('notes.txt', 'hi')], /Expected ratings\.csv \+ movies\.csv/);
  });
});
