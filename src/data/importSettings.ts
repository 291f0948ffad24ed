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
/** Bytes per ratings row in the CSV formats, to estimate rows from a file size before reading it. */
const BYTES_PER_ROW = 26;

export function estimateRows(totalBytes: number): number {
  return Math.round(totalBytes / BYTES_PER_ROW);
}

/** The users a file of `totalBytes` keeps unless the person says otherwise. */
export function defaultMaxUsers(totalBytes: number): number {
  return estimateRows(totalBytes) > LARGE_FILE_ROWS ? DEFAULT_SUBSET_USERS : defaultImportSettings.maxUsers;
}
