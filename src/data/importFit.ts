/**
 * Whether an import will fit on this device, told before it starts: its peak memory and stored size from the
 * chosen files' sizes and the users it keeps, against what the browser says the device has.
 */
import { STORED_BYTES_PER_INT, STORED_BYTES_PER_MOVIE, storageShortfall } from '../storage/storageSpace';
import { estimateRows } from './importSettings';
import { layoutOf } from './movieLensFormats';

/**
 * The whole renderer's peak memory (the tab and its workers: `peak_mb` of `npm run bench:import` and `npm run
 * bench`) against the rows an import keeps, measured on this project's machine (docs/BENCHMARKS.md, "Import" and
 * "The synthetic 25M set"); each point is the higher of the import's peak and the first epoch's. Between two
 * points the estimate is the straight line; past the last, it goes on at the last stretch's slope. Kept rows are the
 * import's training and test rows (its report's `train` + `test`).
 *
 * The curve bends: ~128 bytes a kept row up to a few million rows, ~23 past 8 million (the import's own buffers and
 * the engine's fixed tables weigh less as the data grows). The earlier estimate, a straight line through the first
 * three points, put all users of a 25M file at ~3.5 GB: 2.5 times what that import and its training measured.
 * The 25M points read every row of the file; rows read and dropped by a subset are counted apart (`READING_PEAK`).
 */
export const MEASURED_PEAKS: readonly { readonly keptRows: number; readonly peakBytes: number }[] = [
  // The page itself: ml-100k's whole import (100,000 rows) peaked at 321 MB.
  { keptRows: 0, peakBytes: 320e6 },
  // The synthetic 1M set in ml-1m's format, every user.
  { keptRows: 1_008_360, peakBytes: 449e6 },
  // The synthetic 25M set's 20,000-user subset (import 743 MB; an epoch on 1 or 2 threads 695–723).
  { keptRows: 3_317_288, peakBytes: 743e6 },
  // Its 50,000-user subset (import 1,015 MB; an epoch 993–1,012).
  { keptRows: 8_200_714, peakBytes: 1_015e6 },
  // All its 151,280 users (import 1,223 MB; an epoch on 2 threads 1,404, and 1,375 once a thread's gradient scratch held one batch).
  { keptRows: 24_856_048, peakBytes: 1_404e6 },
];

type MeasuredPeak = (typeof MEASURED_PEAKS)[number];

/** `value` of `from` mapped to `to` along MEASURED_PEAKS: the stretch that holds it, or the last one beyond its end. */
function alongMeasuredPeaks(value: number, from: keyof MeasuredPeak, to: keyof MeasuredPeak): number {
  let i = 1;
  while (i < MEASURED_PEAKS.length - 1 && MEASURED_PEAKS[i][from] < value) i++;
  const [a, b] = [MEASURED_PEAKS[i - 1], MEASURED_PEAKS[i]];
  return a[to] + ((value - a[from]) * (b[to] - a[to])) / (b[from] - a[from]);
}

/** The renderer's peak for an import that keeps this many rows. */
export function peakMemoryFor(keptRows: number): number {
  return alongMeasuredPeaks(keptRows, 'keptRows', 'peakBytes');
}

/**
 * What reading a file costs however few rows are kept: the 1,000-user subset of the synthetic 25M set (25,007,328
 * rows read, 166,336 kept) peaked at 458 MB, where the kept rows alone would say 341 MB. Taken as a straight line
 * from the page alone (320 MB, nothing read) to that point: ~5.5 bytes a row read. An import's estimate is the
 * higher of this and `peakMemoryFor` its kept rows.
 */
export const READING_PEAK = { rowsRead: 25_007_328, peakBytes: 458e6 } as const;

/** The renderer's peak for an import that reads `rowsRead` rows and keeps `keptRows` of them. */
export function importPeakMemory(rowsRead: number, keptRows: number): number {
  const page = MEASURED_PEAKS[0].peakBytes;
  const reading = page + (rowsRead * (READING_PEAK.peakBytes - page)) / READING_PEAK.rowsRead;
  return Math.max(reading, peakMemoryFor(keptRows));
}

/** The most rows an import can keep within `bytes` of memory (the inverse of `peakMemoryFor`); 0 where the page alone does not fit. */
export function keptRowsWithin(bytes: number): number {
  return Math.max(0, alongMeasuredPeaks(bytes, 'peakBytes', 'keptRows'));
}

/**
 * Ratings per user, to tell how many rows a subset of users keeps before the file is read. MovieLens's own
 * averages: ml-25m 154, ml-32m 159, ml-1m 166, ml-latest-small 165, ml-100k 106.
 */
export const RATINGS_PER_USER = 155;

/**
 * A zip's ratings file over the zip's size. The import streams the archive and never reads its central
 * directory, so the uncompressed size is a ratio: GroupLens's ratings file is ~2.6× its zip for ml-25m, ~3.7× for
 * ml-32m, ~4.2× for ml-1m, ~2.4× for ml-latest-small (ml-100k's zip is mostly other files). 3 sits between, so a
 * zip's estimate is uncertain and never blocks.
 */
export const ZIP_RATINGS_RATIO = 3;

/** Bytes per row of a movies file (ml-latest-small 49.8, ml-25m 48.7), to count the movie rows that will be saved. */
const MOVIES_FILE_BYTES_PER_ROW = 50;

/**
 * The share of the reported device memory a tab can count on: the system, the browser and other tabs hold the
 * rest. An assumption, not a measurement; browsers do not say.
 */
export const TAB_SHARE_OF_DEVICE_MEMORY = 0.5;

/** Where the browser does not report the device's memory (Firefox, Safari): warn above what a 4 GB device would give a tab. */
export const UNKNOWN_DEVICE_TAB_BYTES = 2 * 2 ** 30;

/** Chrome reports `navigator.deviceMemory` rounded down to a power of two and at most 8 GiB: 8 means "8 or more". */
const DEVICE_MEMORY_CAP_GIB = 8;

/**
 * Storage is blocked only when the estimate is at least twice the free space: IndexedDB may store the typed
 * arrays compressed, and the worker checks the exact size again before it saves.
 */
const STORAGE_BLOCK_FACTOR = 2;

export interface ChosenFile {
  name: string;
  size: number;
}

export interface DeviceLimits {
  /** `navigator.deviceMemory` in GiB, undefined where the browser does not say. */
  memoryGiB: number | undefined;
  /** The storage estimate's quota − usage, null where the browser does not say. */
  freeStorageBytes: number | null;
}

export interface ImportEstimate {
  /** Ratings rows in the chosen files, from their sizes. */
  rows: number;
  /** Rows and users the import keeps after the user subset. */
  keptRows: number;
  keptUsers: number;
  /** Peak memory of the whole page during the import. */
  peakMemoryBytes: number;
  /** What the saved data set takes in IndexedDB. */
  storedBytes: number;
  /** Rows guessed from a zip's compressed size (uncertain). */
  fromZip: boolean;
}

export interface ImportFit {
  /** Nothing to warn about. */
  fits: boolean;
  /** Storage is clearly too small: the import cannot succeed, so it is not offered. */
  blocked: boolean;
  /** The sentences the Data page shows, memory first; null when it fits. */
  reason: string | null;
  estimate: ImportEstimate;
}

/** The estimate for these files when the import keeps at most `maxUsers` users (Infinity: all). */
export function estimateImport(files: readonly ChosenFile[], maxUsers: number): ImportEstimate {
  let rows = 0;
  let moviesBytes = 0;
  let fromZip = false;
  for (const file of files) {
    if (file.name.toLowerCase().endsWith('.zip')) {
      rows += estimateRows(file.size * ZIP_RATINGS_RATIO);
      fromZip = true;
    } else {
      const layout = layoutOf(file.name);
      if (layout?.role === 'ratings') rows += estimateRows(file.size, layout.format);
      if (layout?.role === 'movies') moviesBytes += file.size;
    }
  }
  // An emptied users box (NaN) is estimated as its worst case, every user.
  const keptRows = Number.isNaN(maxUsers) ? rows : Math.min(rows, maxUsers * RATINGS_PER_USER);
  const keptUsers = Math.ceil(keptRows / RATINGS_PER_USER);
  const movieRows = Math.round(moviesBytes / MOVIES_FILE_BYTES_PER_ROW);
  // As estimateStoredBytes counts a saved data set: two ints per training row, three per user, one per movie.
  const storedBytes = (keptRows * 2 + keptUsers * 3 + movieRows) * STORED_BYTES_PER_INT + movieRows * STORED_BYTES_PER_MOVIE;
  return { rows, keptRows, keptUsers, peakMemoryBytes: importPeakMemory(rows, keptRows), storedBytes, fromZip };
}

/** Whether importing these files, keeping at most `maxUsers` users, fits the device; and if not, what to say. */
export function assessImportFit(files: readonly ChosenFile[], maxUsers: number, device: DeviceLimits): ImportFit {
  const estimate = estimateImport(files, maxUsers);
  const memory = memoryWarning(estimate, device.memoryGiB);
  const storage = storageWarning(estimate, device.freeStorageBytes);
  const reason = [memory, storage.text].filter((text) => text !== null).join(' ') || null;
  return { fits: reason === null, blocked: storage.blocked, reason, estimate };
}

function memoryWarning(estimate: ImportEstimate, memoryGiB: number | undefined): string | null {
  const tabBytes = memoryGiB === undefined ? UNKNOWN_DEVICE_TAB_BYTES : memoryGiB * 2 ** 30 * TAB_SHARE_OF_DEVICE_MEMORY;
  if (estimate.peakMemoryBytes <= tabBytes) return null;
  const device =
    memoryGiB === undefined
      ? 'this browser does not say how much the device has'
      : `this device reports ${memoryGiB >= DEVICE_MEMORY_CAP_GIB ? 'at least ' : ''}${gb(memoryGiB * 2 ** 30)} GB, and a tab can count on about half`;
  // Where reading the file alone does not fit, no subset does.
  const usersThatFit = importPeakMemory(estimate.rows, 0) > tabBytes ? 0 : roundDown(keptRowsWithin(tabBytes) / RATINGS_PER_USER);
  const advice =
    usersThatFit > 0 && usersThatFit < estimate.keptUsers
      ? `Keep fewer users (about ${usersThatFit.toLocaleString('en')} fit) or use a device with more memory.`
      : 'Use a device with more memory.';
  return `This import needs about ${gb(estimate.peakMemoryBytes)} GB of memory; ${device}. ${advice}`;
}

function storageWarning(estimate: ImportEstimate, freeBytes: number | null): { text: string | null; blocked: boolean } {
  const blocked = !estimate.fromZip && freeBytes !== null && estimate.storedBytes >= STORAGE_BLOCK_FACTOR * freeBytes;
  return { text: storageShortfall(estimate.storedBytes, freeBytes, blocked), blocked };
}

/** GiB, as the device reports memory, with two decimals below one. */
function gb(bytes: number): string {
  const gib = bytes / 2 ** 30;
  return gib.toLocaleString('en', { maximumFractionDigits: gib < 1 ? 2 : 1 });
}

/** A user count a person can type: to the thousand above 1,000, to the hundred below. */
function roundDown(users: number): number {
  const step = users >= 1000 ? 1000 : 100;
  return Math.floor(users / step) * step;
}
