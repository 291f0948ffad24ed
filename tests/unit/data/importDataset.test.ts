import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importDataset, inflateZip, ZIP_PUSH_BYTES, type ByteSource } from '../../../src/data/importDataset';
import { ImportError } from '../../../src/data/importError';
import { ML100K_MOVIE_ID_OFFSET } from '../../../src/data/movieLensFormats';
import { declaringSize } from '../../zipArchives';

function source(name: string, content: string | Uint8Array): ByteSource {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return new File([bytes as BlobPart], name);
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** These fixtures are far smaller than a data set the app accepts (MIN_MOVIES): the size rule has its own tests. */
const options = { maxUsers: Infinity, seed: 1, minMovies: 1 };

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
    const a = await importDataset([source('ratings.csv', many.join('\n')), source('movies.csv', movies)], {
      ...options,
      maxUsers: 50,
      seed: 7,
    });
    const b = await importDataset([source('ratings.csv', shuffled.join('\n')), source('movies.csv', movies)], {
      ...options,
      maxUsers: 50,
      seed: 7,
    });
    const c = await importDataset([source('ratings.csv', many.join('\n')), source('movies.csv', movies)], {
      ...options,
      maxUsers: 50,
      seed: 8,
    });
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

/** `users` users rating movies 1..`movies` in turn, one row each, with growing timestamps. */
function ratingRows(users: number, perUser: number, separator = ','): string[] {
  const rows: string[] = [];
  for (let u = 1; u <= users; u++) for (let m = 1; m <= perUser; m++) rows.push([u, m, 4, 1000 + u * 100 + m].join(separator));
  return rows;
}
const threeMovies = ['movieId,title,genres', '1,A (2000),Drama', '2,B (2001),Drama', '3,C (2002),Drama'].join('\n');

describe('importDataset: one bad row costs one row', () => {
  it('reads every other row of ratings.csv around a stray quote, and counts the one', async () => {
    const rows = ratingRows(40, 3);
    rows[20] = rows[20].replace(',', ',"');
    const result = await importDataset(
      [source('ratings.csv', ['userId,movieId,rating,timestamp', ...rows].join('\n')), source('movies.csv', threeMovies)],
      options,
    );
    expect(result.counts).toMatchObject({ rows: 120, skippedRows: 1, users: 40, train: 40 * 3 - 40 * 2 - 1 + 1 });
    expect(result.counts.skippedReasons).toMatchObject({ spelling: 1 });
  });

  it('reads every other row of ratings.dat around a NUL byte', async () => {
    const rows = ratingRows(20, 2, '::');
    rows[5] = rows[5].replace('::', '\u0000::');
    const movies = ['1::A (2000)::Drama', '2::B (2001)::Drama'].join('\n');
    const result = await importDataset([source('ratings.dat', latin1(rows.join('\n'))), source('movies.dat', latin1(movies))], options);
    expect(result.counts).toMatchObject({ rows: 40, skippedRows: 1 });
  });

  it('keeps the other movies of movies.csv when a quote opens a title and never closes', async () => {
    const movies = ['movieId,title,genres', '1,A (2000),Drama', '2,"B (2001),Drama', '3,C (2002),Drama'].join('\n');
    const result = await importDataset(
      [source('ratings.csv', ['userId,movieId,rating,timestamp', ...ratingRows(40, 3)].join('\n')), source('movies.csv', movies)],
      options,
    );
    expect(result.catalogue.map((m) => m.title)).toEqual(['A']);
    // Movie 2's ratings are the only ones lost: counted as rows of an unlisted movie.
    expect(result.counts).toMatchObject({ unknownMovieRows: 40, users: 40 });
  });

  it('does not blame the ratings file for a NUL in movies.dat', async () => {
    const rows = ratingRows(20, 3, '::');
    const movies = ['1::A (2000)::Drama', '2::B\u0000 (2001)::Drama', '3::C (2002)::Drama'].join('\n');
    const result = await importDataset([source('ratings.dat', latin1(rows.join('\n'))), source('movies.dat', latin1(movies))], options);
    expect(result.counts.skippedRows).toBe(0);
    expect(result.catalogue.map((m) => m.title)).toContain('B');
  });

  it('refuses ids written as "0x10", " 7 " or "1e2" as broken rows, and reads timestamps after 2038 and in milliseconds', async () => {
    const rows = [
      '0x10,1,4,1000',
      ' 7 ,1,4,1000',
      '1e2,1,4,1000',
      '16,1,4,4102444800',
      '16,2,4,4102444801',
      '7,1,4,1700000000000',
      '7,2,4,1700000000001',
      '100,1,4,1000',
      '100,3,4,999',
    ];
    const result = await importDataset(
      [source('ratings.csv', ['userId,movieId,rating,timestamp', ...rows].join('\n')), source('movies.csv', threeMovies)],
      options,
    );
    expect(result.counts).toMatchObject({ rows: 9, skippedRows: 3, users: 3 });
    expect(result.counts.skippedReasons).toMatchObject({ spelling: 3 });
    expect(Array.from(result.split.userIds)).toEqual([7, 16, 100]);
    // The later rating is held out, also past 2^32 seconds and in milliseconds.
    expect(Array.from(result.split.testItems, (item) => result.split.itemMovieIds[item])).toEqual([2, 2, 1]);
  });

  it('reads user and movie ids past 2^31 − 1 up to the largest safe integer, exactly', async () => {
    const [a, b, top] = [2 ** 31, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER];
    const movies = ['movieId,title,genres', `1,One (2001),Drama`, `${a},Two (2002),Drama`, `${top},Three (2003),Drama`].join('\n');
    const rows = [`${a},1,4,1`, `${a},${a},4,2`, `${b},${top},4,1`, `${b},1,4,2`, `${top},${a},4,1`, `${top},${top},4,2`];
    const ratings = source('ratings.csv', ['userId,movieId,rating,timestamp', ...rows].join('\n'));
    const result = await importDataset([ratings, source('movies.csv', movies)], options);
    expect(result.counts).toMatchObject({ rows: 6, skippedRows: 0, users: 3 });
    expect(Array.from(result.split.userIds)).toEqual([a, b, top]);
    expect(Array.from(result.split.testItems, (item) => result.split.itemMovieIds[item])).toEqual([a, 1, top]);
    expect(result.catalogue.map((m) => m.movieId).sort((x, y) => x - y)).toEqual([1, a, top]);
    // A seeded subset draws among the big ids too, and keeps each one exact.
    const subset = await importDataset([ratings, source('movies.csv', movies)], { ...options, maxUsers: 2 });
    expect(subset.split.userIds).toHaveLength(2);
    expect(Array.from(subset.split.userIds).every((id) => [a, b, top].includes(id))).toBe(true);
  });

  it('says why rows were broken when most are', async () => {
    const rows = ['1,0x10,4,5', '2,0x11,4,5', '3,1,4,5'];
    await expectImportError(
      [source('ratings.csv', ['userId,movieId,rating,timestamp', ...rows].join('\n')), source('movies.csv', threeMovies)],
      /2 of 3 rows are broken \(2 with ids or timestamps not written as whole numbers in digits\)/,
    );
  });
});

describe('importDataset: sizes', () => {
  const header = 'userId,movieId,rating,timestamp';

  it('refuses a data set too small to evaluate, saying how small', async () => {
    const failure = await importDataset([source('ratings.csv', `${header}\n1,1,4,1\n1,2,4,2`), source('movies.csv', threeMovies)], {
      maxUsers: Infinity,
      seed: 1,
    }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ImportError);
    expect((failure as Error).message).toMatch(/too small .* 2 movies \(1 user with a held-out movie\).* at least 100 movies/);
  });

  it('checks a movies file’s size before reading it', async () => {
    const huge: ByteSource = {
      name: 'movies.csv',
      size: 100 * 1024 * 1024,
      stream: () => {
        throw new Error('read');
      },
    };
    await expectImportError([source('ratings.csv', ratingsCsv), huge], /movies\.csv is larger than 64 MB/);
  });

  it('never takes a stream that ends early for the end of the file', async () => {
    const file = source('ratings.csv', ratingsCsv);
    const short: ByteSource = { name: 'ratings.csv', size: file.size + 100, stream: () => file.stream() };
    await expectImportError([short, source('movies.csv', moviesCsv)], /ratings\.csv could not be read to its end/);
  });

  it('refuses a zip that ends inside a file', async () => {
    const zip = zipSync({ 'ratings.csv': strToU8(ratingsCsv.repeat(200)), 'movies.csv': strToU8(moviesCsv) }, { level: 0 });
    await expectImportError([source('ml.zip', zip.subarray(0, 2000))], /ml\.zip .*damaged/);
  });
});

/** A source that hands over all its bytes in one chunk, as browsers do for a file of some MB. */
function oneChunk(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    stream: () =>
      new ReadableStream({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      }),
  };
}

describe('importDataset: archives that inflate far beyond their size', () => {
  // 66 MB of movie rows that compress to ~100 KB.
  const bigMovies = strToU8(`movieId,title,genres\n${'1,A (2000),Drama\n'.repeat(4_200_000)}`);
  const bomb = zipSync({ 'ratings.csv': strToU8(ratingsCsv), 'movies.csv': bigMovies });

  it('inflates in bounded pieces, whatever the chunk the archive arrives in', async () => {
    let largest = 0;
    await inflateZip(oneChunk('bomb.zip', bomb), () => ({
      write: (bytes) => (largest = Math.max(largest, bytes.byteLength)),
      end: () => undefined,
    }));
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    expect(largest).toBeGreaterThan(0);
    // Deflate expands at most ~1,032 times: a piece is bounded by the bytes pushed at a time, never by the archive.
    expect(largest).toBeLessThanOrEqual(ZIP_PUSH_BYTES * 1032 + 65536);
    expect(largest).toBeLessThan(bigMovies.byteLength / 3);
  });

  it('refuses a movies file over the size limit from the size its archive declares', async () => {
    await expectImportError([oneChunk('bomb.zip', bomb)], /movies\.csv is larger than 64 MB/);
  });

  it('stops at the movies file size limit while it inflates, whatever size the archive declares', async () => {
    await expectImportError([oneChunk('bomb.zip', declaringSize(bomb, 'movies.csv', 1000))], /movies\.csv is larger than 64 MB/);
  });
});
