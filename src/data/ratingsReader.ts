import { DelimitedRowStream, parseWholeNumber, type Row } from './delimitedRows';
import { ImportError } from './importError';
import type { FileLayout } from './movieLensFormats';
import { RatingsTable } from './ratingsTable';
import { UserSample } from './userSample';

/** Rows read before the reader judges whether the file is a ratings file at all. */
const EARLY_CHECK_ROWS = 1000;

/**
 * The most ratings an import keeps in memory: ml-32m's 32,000,204 fit. The table's columns take
 * 16 bytes a row and double as they grow, so this bounds the import's memory near 0.8 GB whatever
 * a file (or an archive that inflates far beyond its size) holds.
 */
export const MAX_KEPT_ROWS = 1 << 25;

/** Why a ratings row was skipped; each row counts once, under its first problem. */
export interface SkippedRows {
  /** Fewer than 4 fields, or an empty rating. */
  fields: number;
  /** An id or timestamp not written as a whole number in plain digits ("0x10", " 7 ", "1e2"). */
  spelling: number;
  /** A movie id that an offset (ml-100k's) moves past the safe integers. */
  range: number;
  /** A line with a quote that never closes (only in the layouts that quote fields). */
  quotes: number;
}

export function noSkippedRows(): SkippedRows {
  return { fields: 0, spelling: 0, range: 0, quotes: 0 };
}

const SKIP_REASONS: Record<keyof SkippedRows, string> = {
  fields: 'missing fields',
  spelling: 'ids or timestamps not written as whole numbers in digits',
  range: `ids above ${Number.MAX_SAFE_INTEGER.toLocaleString('en')}`,
  quotes: 'unclosed quotes',
};

/** "12 with missing fields, 3 with ids above ...": the reasons rows were skipped, as the page says them. */
export function describeSkippedRows(skipped: SkippedRows): string {
  return (Object.keys(SKIP_REASONS) as (keyof SkippedRows)[])
    .filter((reason) => skipped[reason] > 0)
    .map((reason) => `${skipped[reason].toLocaleString('en')} with ${SKIP_REASONS[reason]}`)
    .join(', ');
}

/**
 * Reads a ratings file as it streams: checks the header, parses user, movie and timestamp, skips
 * and counts broken rows (each costs its own line only), and keeps only the rows of users admitted
 * to the seeded user sample.
 */
export class RatingsReader {
  readonly table = new RatingsTable();
  readonly sample: UserSample;
  rows = 0;
  readonly skipped = noSkippedRows();
  private headerPending: boolean;
  private readonly stream: DelimitedRowStream;

  constructor(
    private readonly fileName: string,
    private readonly layout: FileLayout,
    maxUsers: number,
    seed: number,
    private readonly maxKeptRows = MAX_KEPT_ROWS,
  ) {
    this.sample = new UserSample(maxUsers, seed);
    this.headerPending = layout.hasHeader;
    this.stream = new DelimitedRowStream(fileName, layout, (rows) => this.readRows(rows));
  }

  get skippedRows(): number {
    const s = this.skipped;
    return s.fields + s.spelling + s.range + s.quotes;
  }

  /** Bytes of the file read so far. */
  get bytes(): number {
    return this.stream.bytes;
  }

  write(bytes: Uint8Array): void {
    this.stream.write(bytes);
  }

  end(): void {
    this.stream.end();
    if (this.headerPending || this.rows === 0) {
      throw new ImportError(`${this.fileName} is empty: it has no ratings.`, this.fileName);
    }
    if (this.skippedRows * 2 > this.rows) {
      throw new ImportError(
        `${this.fileName} does not look like a MovieLens ratings file: ${this.skippedRows.toLocaleString('en')} of ` +
          `${this.rows.toLocaleString('en')} rows are broken (${describeSkippedRows(this.skipped)}).`,
        this.fileName,
      );
    }
  }

  private readRows(rows: Row[]): void {
    let start = 0;
    if (this.headerPending) {
      this.checkHeader(rows[0]);
      this.headerPending = false;
      start = 1;
    }
    const table = this.table;
    const sample = this.sample;
    const skipped = this.skipped;
    const offset = this.layout.movieIdOffset;
    let lastUser = -1;
    let lastAdmitted = false;
    for (let r = start; r < rows.length; r++) {
      const row = rows[r];
      this.rows++;
      if (row === null) {
        skipped.quotes++;
        continue;
      }
      if (row.length < 4 || row[2] === '') {
        skipped.fields++;
        continue;
      }
      const user = parseWholeNumber(row[0]);
      const movie = parseWholeNumber(row[1]);
      const timestamp = parseWholeNumber(row[3]);
      if (Number.isNaN(user) || Number.isNaN(movie) || Number.isNaN(timestamp)) {
        skipped.spelling++;
        continue;
      }
      if (movie + offset > Number.MAX_SAFE_INTEGER) {
        skipped.range++;
        continue;
      }
      // Files are grouped by user: remember the last decision instead of asking the sample per row.
      if (user !== lastUser) {
        lastUser = user;
        lastAdmitted = sample.admit(user);
      }
      if (!lastAdmitted) continue;
      if (table.length >= this.maxKeptRows) {
        throw new ImportError(
          `${this.fileName} has more ratings than the app can hold in memory (over ${this.maxKeptRows.toLocaleString('en')}). ` +
            'Import it again keeping fewer users.',
          this.fileName,
        );
      }
      table.append(user, movie + offset, timestamp);
    }
    if (this.rows >= EARLY_CHECK_ROWS && this.skippedRows * 10 > this.rows * 9) {
      // Fail fast rather than stream a whole large file that is clearly something else.
      throw new ImportError(
        `${this.fileName} does not look like a MovieLens ratings file: almost every row is broken ` +
          `(expected ${describeColumns(this.layout)}).`,
        this.fileName,
      );
    }
  }

  private checkHeader(header: Row | undefined): void {
    const expected = this.layout.header ?? [];
    const found = (header ?? []).map((h) => h.trim().replace(/^\uFEFF/, ''));
    if (!expected.every((name, i) => found[i] === name)) {
      throw new ImportError(
        `${this.fileName} has the wrong columns: expected ${expected.join(',')} but found ${found.join(',') || 'nothing'}.`,
        this.fileName,
      );
    }
  }
}

export function describeColumns(layout: FileLayout): string {
  if (layout.header) return layout.header.join(',');
  const sep = layout.delimiter === '\t' ? 'tab' : `"${layout.delimiter}"`;
  return `user, movie, rating, timestamp separated by ${sep}`;
}
