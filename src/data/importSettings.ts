import type { MovieLensFormat } from './movieLensFormats';

/**
 * How an import keeps users: one typed object with its defaults, for the Data page, the first
 * visit's automatic import and the benchmarks.
 */
export interface ImportSettings {
  /** Keep a seeded random subset of at most this many users; Infinity keeps everyone. */
  maxUsers: number;
  /** Seeds the subset: the same seed keeps the same users. */
  seed: number;
}

export const defaultImportSettings: Readonly<ImportSettings> = Object.freeze({ maxUsers: Infinity, seed: 2017 });

/** Above this many ratings rows the import keeps a subset of users by default, so training stays practical. */
export const LARGE_FILE_ROWS = 2_000_000;
/** The subset kept by default from a large file. */
export const DEFAULT_SUBSET_USERS = 20_000;
/**
 * Bytes per ratings row, to estimate rows from a file size before reading it: GroupLens CSV 23.6 (ml-latest-small)
 * to 27.1 (ml-25m), the synthetic 25M set 26; ml-1m's ratings.dat 24.6; ml-100k's u.data 19.8.
 */
const BYTES_PER_ROW: Record<MovieLensFormat, number> = { 'grouplens-csv': 26, 'ml-1m': 24.6, 'ml-100k': 19.8 };

/** Rows in a ratings file of `totalBytes` (a zip's: of what it inflates to) in `format`. */
export function estimateRows(totalBytes: number, format: MovieLensFormat = 'grouplens-csv'): number {
  return Math.round(totalBytes / BYTES_PER_ROW[format]);
}

/** The users a file of `totalBytes` keeps unless the person says otherwise. */
export function defaultMaxUsers(totalBytes: number): number {
  return estimateRows(totalBytes) > LARGE_FILE_ROWS ? DEFAULT_SUBSET_USERS : defaultImportSettings.maxUsers;
}
