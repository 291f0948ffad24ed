import { describe, expect, it } from 'vitest';
import {
  assessImportFit,
  estimateImport,
  importPeakMemory,
  keptRowsWithin,
  MEASURED_PEAKS,
  peakMemoryFor,
  READING_PEAK,
  RATINGS_PER_USER,
  ZIP_RATINGS_RATIO,
} from '../../../src/data/importFit';
import { DEFAULT_SUBSET_USERS, estimateRows } from '../../../src/data/importSettings';

// Sizes of the files people choose: ml-latest-small as in ../shared/data, ml-25m's ratings.csv as GroupLens ships it.
const smallFiles = [
  { name: 'ratings.csv', size: 2_382_886 },
  { name: 'movies.csv', size: 484_688 },
  { name: 'links.csv', size: 188_236 },
];
const ml25mRatings = [{ name: 'ratings.csv', size: 678_260_987 }];
const GiB = 2 ** 30;
const roomyStorage = 50e9;

describe('import fit', () => {
  it("reads each format's rows at its own bytes a row: ml-100k's u.data and ml-1m's ratings.dat within 2 % of their real rows", () => {
    const ml100k = estimateImport(
      [
        { name: 'u.data', size: 1_979_173 },
        { name: 'u.item', size: 236_344 },
      ],
      Infinity,
    );
    expect(Math.abs(ml100k.rows / 100_000 - 1)).toBeLessThan(0.02);
    const ml1m = estimateImport(
      [
        { name: 'ratings.dat', size: 24_594_131 },
        { name: 'movies.dat', size: 171_308 },
      ],
      Infinity,
    );
    expect(Math.abs(ml1m.rows / 1_000_209 - 1)).toBeLessThan(0.02);
  });

  it('counts the ratings file alone and keeps every row when every user is kept', () => {
    const estimate = estimateImport(smallFiles, Infinity);
    expect(estimate.rows).toBe(estimateRows(2_382_886));
    expect(estimate.rows).toBeGreaterThan(85_000); // 100,836 real rows
    expect(estimate.rows).toBeLessThan(110_000);
    expect(estimate.keptRows).toBe(estimate.rows);
    expect(estimate.peakMemoryBytes).toBe(importPeakMemory(estimate.rows, estimate.rows));
    expect(estimate.peakMemoryBytes).toBe(peakMemoryFor(estimate.rows));
    expect(estimate.peakMemoryBytes).toBeGreaterThan(320e6);
    expect(estimate.peakMemoryBytes).toBeLessThan(449e6);
    expect(estimate.fromZip).toBe(false);
    // A users box left empty is estimated as every user, never as NaN.
    expect(estimateImport(smallFiles, NaN)).toEqual(estimate);
  });

  it('goes through every measured peak, straight between them and on past the last, and inverts', () => {
    for (const { keptRows, peakBytes } of MEASURED_PEAKS) {
      expect(peakMemoryFor(keptRows)).toBeCloseTo(peakBytes, -3);
      expect(keptRowsWithin(peakBytes)).toBeCloseTo(keptRows, -3);
    }
    const [a, b] = [MEASURED_PEAKS[2], MEASURED_PEAKS[3]];
    expect(peakMemoryFor((a.keptRows + b.keptRows) / 2)).toBeCloseTo((a.peakBytes + b.peakBytes) / 2, -3);
    const [beforeLast, last] = MEASURED_PEAKS.slice(-2);
    const lastSlope = (last.peakBytes - beforeLast.peakBytes) / (last.keptRows - beforeLast.keptRows);
    expect(peakMemoryFor(2 * last.keptRows)).toBeCloseTo(last.peakBytes + last.keptRows * lastSlope, -3);
    let previous = 0;
    for (const rows of [1e5, 5e5, 2e6, 5e6, 1.5e7, 3e7, 1e8]) {
      expect(peakMemoryFor(rows)).toBeGreaterThan(previous);
      previous = peakMemoryFor(rows);
      expect(keptRowsWithin(peakMemoryFor(rows))).toBeCloseTo(rows, -3);
    }
    // Below the page's own memory nothing fits.
    expect(keptRowsWithin(300e6)).toBe(0);
  });

  it('reproduces the measured peaks from the files chosen (docs/BENCHMARKS.md) within 10 %', () => {
    // 25M rows with the 20,000-user subset peaked at 743 MB; every user of them at 1,404 MB; 1M rows with every user at 449 MB.
    const subset = estimateImport(ml25mRatings, DEFAULT_SUBSET_USERS);
    expect(subset.keptRows).toBe(DEFAULT_SUBSET_USERS * RATINGS_PER_USER);
    expect(subset.peakMemoryBytes / 743e6).toBeGreaterThan(0.9);
    expect(subset.peakMemoryBytes / 743e6).toBeLessThan(1.1);
    // The synthetic 25M set's ratings.csv, as `npm run bench -- --synthetic 25m --users all` imports it.
    const synthetic25m = estimateImport([{ name: 'ratings.csv', size: 652e6 }], Infinity);
    expect(synthetic25m.peakMemoryBytes / 1404e6).toBeGreaterThan(0.9);
    expect(synthetic25m.peakMemoryBytes / 1404e6).toBeLessThan(1.1);
    // Its 1,000-user subset peaked at 458 MB: reading the file costs more than the 155,000 rows kept.
    const fewUsers = estimateImport([{ name: 'ratings.csv', size: 652e6 }], 1000);
    expect(fewUsers.peakMemoryBytes / 458e6).toBeGreaterThan(0.9);
    expect(fewUsers.peakMemoryBytes / 458e6).toBeLessThan(1.1);
    expect(fewUsers.peakMemoryBytes).toBeGreaterThan(peakMemoryFor(fewUsers.keptRows));
    const oneMillion = estimateImport([{ name: 'ratings.dat', size: 1_008_360 * 26 }], Infinity);
    expect(oneMillion.peakMemoryBytes / 449e6).toBeGreaterThan(0.9);
    expect(oneMillion.peakMemoryBytes / 449e6).toBeLessThan(1.1);
  });

  it('fits ml-latest-small on a 1 GB device, the 20,000-user subset of ml-25m on a 2 GB one and all of ml-25m on a 4 GB one', () => {
    expect(assessImportFit(smallFiles, Infinity, { memoryGiB: 1, freeStorageBytes: roomyStorage })).toMatchObject({
      fits: true,
      blocked: false,
      reason: null,
    });
    expect(assessImportFit(ml25mRatings, DEFAULT_SUBSET_USERS, { memoryGiB: 2, freeStorageBytes: roomyStorage }).fits).toBe(true);
    expect(assessImportFit(ml25mRatings, Infinity, { memoryGiB: 4, freeStorageBytes: roomyStorage }).fits).toBe(true);
  });

  it('warns, without blocking, when every user of ml-25m will not fit, and says how many users would', () => {
    const fit = assessImportFit(ml25mRatings, Infinity, { memoryGiB: 2, freeStorageBytes: roomyStorage });
    expect(fit.fits).toBe(false);
    expect(fit.blocked).toBe(false);
    expect(fit.reason).toMatch(/^This import needs about 1\.3 GB of memory; this device reports 2 GB, and a tab can count on about half\./);
    // 1 GiB lies between the 50,000-user point (8.2M rows, 1,015 MB) and all users (24.9M rows, 1,404 MB): ~10.7M rows, 155 a user.
    expect(fit.reason).toMatch(/Keep fewer users \(about 69,000 fit\) or use a device with more memory\./);
    // Keeping that many users fits.
    expect(assessImportFit(ml25mRatings, 69_000, { memoryGiB: 2, freeStorageBytes: roomyStorage }).fits).toBe(true);
  });

  it('counts reading a file apart from the rows kept: straight from the page alone to the measured read, and never under the kept rows', () => {
    const page = MEASURED_PEAKS[0].peakBytes;
    expect(importPeakMemory(0, 0)).toBe(page);
    expect(importPeakMemory(READING_PEAK.rowsRead, 0)).toBeCloseTo(READING_PEAK.peakBytes, -3);
    expect(importPeakMemory(READING_PEAK.rowsRead / 2, 0)).toBeCloseTo((page + READING_PEAK.peakBytes) / 2, -3);
    // Keeping most of what is read: the kept rows decide.
    expect(importPeakMemory(25e6, 24e6)).toBe(peakMemoryFor(24e6));
  });

  it('says only "more memory" when reading the file alone would not fit, whatever the users kept', () => {
    // A 2 GB ratings file (~77M rows) takes ~745 MB to read, more than the ~537 MB a 1 GiB device gives a tab.
    const huge = assessImportFit([{ name: 'ratings.csv', size: 2e9 }], DEFAULT_SUBSET_USERS, {
      memoryGiB: 1,
      freeStorageBytes: roomyStorage,
    });
    expect(huge.reason).toMatch(/Use a device with more memory\.$/);
    expect(huge.reason).not.toMatch(/Keep fewer users/);
    // Reading ml-25m (~458 MB) fits there, so fewer users would.
    const oneGiB = assessImportFit(ml25mRatings, DEFAULT_SUBSET_USERS, { memoryGiB: 1, freeStorageBytes: roomyStorage });
    expect(oneGiB.reason).toMatch(/Keep fewer users \(about \d+,\d00 fit\)/);
  });

  it('says "at least" for a device at the reported cap, and only "more memory" when the page alone does not fit', () => {
    const capped = assessImportFit([{ name: 'ratings.csv', size: 5e9 }], Infinity, { memoryGiB: 8, freeStorageBytes: roomyStorage });
    expect(capped.reason).toMatch(/this device reports at least 8 GB/);
    const tiny = assessImportFit(smallFiles, Infinity, { memoryGiB: 0.25, freeStorageBytes: roomyStorage });
    expect(tiny.reason).toBe(
      'This import needs about 0.31 GB of memory; this device reports 0.25 GB, and a tab can count on about half. Use a device with more memory.',
    );
  });

  it('where the browser does not report memory, warns only above 2 GB', () => {
    const unknown = { memoryGiB: undefined, freeStorageBytes: null };
    expect(assessImportFit(ml25mRatings, Infinity, unknown)).toMatchObject({ fits: true, reason: null });
    // A ratings file of 2 GB, ~77M rows: past the last measured point.
    const all = assessImportFit([{ name: 'ratings.csv', size: 2e9 }], Infinity, unknown);
    expect(all.fits).toBe(false);
    expect(all.blocked).toBe(false);
    expect(all.reason).toMatch(/this browser does not say how much the device has\. Keep fewer users \(about \d{3},000 fit\)/);
  });

  it('blocks only when storage is clearly too small for loose files, and warns when it may be', () => {
    const stored = estimateImport(smallFiles, Infinity).storedBytes;
    // 100,000 rows: 8 bytes a row plus ~9,700 movie rows at ~300 bytes.
    expect(stored).toBeGreaterThan(3e6);
    expect(stored).toBeLessThan(5e6);
    const device = (freeStorageBytes: number) => ({ memoryGiB: 8, freeStorageBytes });
    expect(assessImportFit(smallFiles, Infinity, device(stored)).fits).toBe(true);
    const tight = assessImportFit(smallFiles, Infinity, device(stored * 0.75));
    expect(tight).toMatchObject({ fits: false, blocked: false });
    expect(tight.reason).toMatch(/^This data set may not fit in storage: it needs about \d\.\d MB/);
    const full = assessImportFit(smallFiles, Infinity, device(stored * 0.4));
    expect(full).toMatchObject({ fits: false, blocked: true });
    expect(full.reason).toMatch(/^Not enough free storage for this data set: .* Keep fewer users or delete another data set\.$/);
  });

  it('estimates a zip from its compressed size and never blocks on it', () => {
    const zip = [{ name: 'ml-25m.zip', size: 261_978_986 }];
    const estimate = estimateImport(zip, Infinity);
    expect(estimate.fromZip).toBe(true);
    expect(estimate.rows).toBe(estimateRows(261_978_986 * ZIP_RATINGS_RATIO));
    expect(assessImportFit(zip, Infinity, { memoryGiB: 8, freeStorageBytes: 1e6 }).blocked).toBe(false);
  });
});
