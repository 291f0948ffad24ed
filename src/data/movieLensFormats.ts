/**
 * The MovieLens layouts people download, recognised by file name (never asked):
 * - GroupLens CSV (ml-latest-small, ml-25m, ml-32m): ratings.csv, movies.csv, optional links.csv; UTF-8, header row.
 * - ml-1m: ratings.dat, movies.dat; `::`-separated, Latin-1, no header.
 * - ml-100k: u.data (tab-separated), u.item (`|`-separated, Latin-1), no header.
 */

export type MovieLensFormat = 'grouplens-csv' | 'ml-1m' | 'ml-100k';
export type FileRole = 'ratings' | 'movies' | 'links';

export interface FileLayout {
  format: MovieLensFormat;
  role: FileRole;
  delimiter: string;
  encoding: 'utf-8' | 'latin1';
  hasHeader: boolean;
  /** Header expected when hasHeader, checked to tell a MovieLens file from any other CSV. */
  header?: readonly string[];
  /** Whether fields may be quoted ("City, The (1995)"); the older formats use quotes literally in titles. */
  quoted: boolean;
  /** Added to the file's movie ids to place them in the app's one movie id space (see ML100K_MOVIE_ID_OFFSET). */
  movieIdOffset: number;
}

/**
 * ml-1m, ml-latest, ml-25m and ml-32m share GroupLens's movie ids; ml-100k numbers its 1,682 movies on its own
 * (its 50 is not their 50). Its ids move past every GroupLens id (under 300,000 today), so a profile's history,
 * kept by movie id, never shows an unrelated movie after a switch of data set.
 */
export const ML100K_MOVIE_ID_OFFSET = 1_000_000;

const LAYOUTS: Record<string, FileLayout> = {
  'ratings.csv': {
    format: 'grouplens-csv',
    role: 'ratings',
    delimiter: ',',
    encoding: 'utf-8',
    hasHeader: true,
    header: ['userId', 'movieId', 'rating', 'timestamp'],
    // MovieLens never quotes a ratings field: a stray quote is a broken row, not the start of a field.
    quoted: false,
    movieIdOffset: 0,
  },
  'movies.csv': {
    format: 'grouplens-csv',
    role: 'movies',
    delimiter: ',',
    encoding: 'utf-8',
    hasHeader: true,
    header: ['movieId', 'title', 'genres'],
    quoted: true,
    movieIdOffset: 0,
  },
  'links.csv': {
    format: 'grouplens-csv',
    role: 'links',
    delimiter: ',',
    encoding: 'utf-8',
    hasHeader: true,
    header: ['movieId', 'imdbId', 'tmdbId'],
    quoted: true,
    movieIdOffset: 0,
  },
  'ratings.dat': {
    format: 'ml-1m',
    role: 'ratings',
    delimiter: '::',
    encoding: 'latin1',
    hasHeader: false,
    quoted: false,
    movieIdOffset: 0,
  },
  'movies.dat': { format: 'ml-1m', role: 'movies', delimiter: '::', encoding: 'latin1', hasHeader: false, quoted: false, movieIdOffset: 0 },
  'u.data': {
    format: 'ml-100k',
    role: 'ratings',
    delimiter: '\t',
    encoding: 'latin1',
    hasHeader: false,
    quoted: false,
    movieIdOffset: ML100K_MOVIE_ID_OFFSET,
  },
  'u.item': {
    format: 'ml-100k',
    role: 'movies',
    delimiter: '|',
    encoding: 'latin1',
    hasHeader: false,
    quoted: false,
    movieIdOffset: ML100K_MOVIE_ID_OFFSET,
  },
};

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

/** The layout of a file by its name, or undefined for files the import does not read (README, tags, u1.base...). */
export function layoutOf(path: string): FileLayout | undefined {
  return LAYOUTS[baseName(path).toLowerCase()];
}

export const FORMAT_LABELS: Record<MovieLensFormat, string> = {
  'grouplens-csv': 'GroupLens CSV (ml-latest-small / ml-25m / ml-32m)',
  'ml-1m': 'MovieLens 1M (.dat)',
  'ml-100k': 'MovieLens 100K (u.data / u.item)',
};

const FORMAT_NAMES: Record<MovieLensFormat, string> = {
  'grouplens-csv': 'MovieLens',
  'ml-1m': 'MovieLens 1M',
  'ml-100k': 'MovieLens 100K',
};

/** A name for a data set imported from loose files, from the format their names say: "MovieLens 100K". */
export function datasetNameFor(fileNames: string[]): string {
  const format = fileNames.map(layoutOf).find((layout) => layout !== undefined)?.format;
  return format ? FORMAT_NAMES[format] : fileNames.join(' + ');
}

/** What a set of files needs to be importable, said the way the error message says it. */
export const EXPECTED_FILES =
  'ratings.csv + movies.csv (ml-latest-small, ml-25m, ml-32m), ratings.dat + movies.dat (ml-1m) or u.data + u.item (ml-100k)';

/** The import's error for files with no ratings file among them (`given`: their names, joined). */
export function noRatingsFileMessage(given: string, fromZip: boolean): string {
  const zipNote = fromZip ? 'The archive contains no MovieLens ratings file. ' : '';
  return `${zipNote}No ratings file found in ${given}. Expected ${EXPECTED_FILES}.`;
}

/** The import's error for a ratings file without the file of its movie titles. */
export function missingMoviesMessage(format: MovieLensFormat, ratingsName: string): string {
  const expected = format === 'ml-100k' ? 'u.item' : format === 'ml-1m' ? 'movies.dat' : 'movies.csv';
  return `${expected} is missing: it is needed beside ${ratingsName} for the movie titles.`;
}

/**
 * What the import would refuse in loose files chosen for it, by their names alone, in its own words; null when
 * nothing is missing, and for a zip (what it holds is known only once it is read).
 */
export function missingFilesIn(fileNames: readonly string[]): string | null {
  if (fileNames.length === 0 || fileNames.some((name) => name.toLowerCase().endsWith('.zip'))) return null;
  const layouts = fileNames.map((name) => ({ name: baseName(name), layout: layoutOf(name) }));
  const ratings = layouts.find((file) => file.layout?.role === 'ratings');
  if (!ratings) return noRatingsFileMessage(fileNames.map(baseName).join(', '), false);
  const movies = layouts.some((file) => file.layout?.role === 'movies' && file.layout.format === ratings.layout!.format);
  return movies ? null : missingMoviesMessage(ratings.layout!.format, ratings.name);
}

/** Loose files among `fileNames` that the import does not read (tags.csv, a README), by base name; a zip is read. */
export function unreadFilesIn(fileNames: readonly string[]): string[] {
  return fileNames.filter((name) => !name.toLowerCase().endsWith('.zip') && layoutOf(name) === undefined).map(baseName);
}
