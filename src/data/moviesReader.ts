import { parseDelimitedText, parseWholeNumber, type Row } from './delimitedRows';
import { ImportError } from './importError';
import { ML100K_GENRES, makeMovieInfo, parseGenres, type MovieInfo } from './movieInfo';
import type { FileLayout } from './movieLensFormats';

/**
 * The largest movies or links file the import reads: these are read whole, and MovieLens's largest
 * (ml-32m's movies.csv) is under 4 MB. Checked before reading, and while an archive inflates one.
 */
export const MAX_SMALL_FILE_BYTES = 64 * 1024 * 1024;

export function smallFileTooLarge(fileName: string, bytes: number): ImportError {
  const mb = (MAX_SMALL_FILE_BYTES / 1024 / 1024).toFixed(0);
  return new ImportError(
    `${fileName} is larger than ${mb} MB (${(bytes / 1024 / 1024).toFixed(0)} MB or more): MovieLens's movie and link files are a few MB. ` +
      'Check that this is the right file.',
    fileName,
  );
}

/** Reads a movies file (movies.csv, movies.dat or u.item) into movie info keyed by movieId. */
export function readMovies(fileName: string, layout: FileLayout, bytes: Uint8Array): Map<number, MovieInfo> {
  const rows = parseDelimitedText(fileName, bytes, layout);
  if (rows.length === 0) throw new ImportError(`${fileName} is empty: it lists no movies.`, fileName);
  let start = 0;
  if (layout.hasHeader) {
    const found = (rows[0] ?? []).map((h) => h.trim().replace(/^\uFEFF/, ''));
    const expected = layout.header ?? [];
    if (!expected.every((name, i) => found[i] === name)) {
      throw new ImportError(`${fileName} has the wrong columns: expected ${expected.join(',')} but found ${found.join(',')}.`, fileName);
    }
    start = 1;
  }
  const movies = new Map<number, MovieInfo>();
  let broken = 0;
  for (let r = start; r < rows.length; r++) {
    const row: Row = rows[r];
    // ml-100k's ids are moved up by an offset (movieLensFormats.ts), which must stay a safe integer too.
    const movieId = row === null ? NaN : parseWholeNumber(row[0]) + layout.movieIdOffset;
    if (row === null || !Number.isSafeInteger(movieId) || row.length < 3 || (row[1] ?? '').trim() === '') {
      broken++;
      continue;
    }
    const genres = layout.format === 'ml-100k' ? ml100kGenres(row) : parseGenres(row[2]);
    movies.set(movieId, makeMovieInfo(movieId, row[1], genres));
  }
  if (movies.size === 0 || broken * 2 > rows.length - start) {
    throw new ImportError(`${fileName} does not look like a MovieLens movies file: most rows are broken.`, fileName);
  }
  return movies;
}

/** u.item: id | title | release date | video date | IMDb URL | 19 genre flags. */
function ml100kGenres(row: string[]): string[] {
  const genres: string[] = [];
  for (let g = 0; g < ML100K_GENRES.length; g++) if (row[5 + g] === '1') genres.push(ML100K_GENRES[g]);
  return genres.length > 0 ? genres : [ML100K_GENRES[0]];
}

export interface MovieLinks {
  imdbId: string | null;
  tmdbId: number | null;
}

/** links.csv: movieId,imdbId,tmdbId. imdbId keeps its leading zeros ("0114709" -> tt0114709). */
export function readLinks(fileName: string, layout: FileLayout, bytes: Uint8Array): Map<number, MovieLinks> {
  const rows = parseDelimitedText(fileName, bytes, layout);
  const links = new Map<number, MovieLinks>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    if (row === null) continue;
    const movieId = parseWholeNumber(row[0]);
    if (Number.isNaN(movieId)) continue;
    const imdb = (row[1] ?? '').trim();
    const tmdb = parseWholeNumber((row[2] ?? '').trim());
    links.set(movieId, { imdbId: /^\d{1,12}$/.test(imdb) ? imdb : null, tmdbId: Number.isNaN(tmdb) ? null : tmdb });
  }
  return links;
}
