import { DelimitedRowStream, parseId } from './delimitedRows';
import { ImportError } from './importError';
import type { FileLayout } from './movieLensFormats';
import { RatingsTable } from './ratingsTable';
import { UserSample } from './userSample';

/** Rows read so far that could not be used (non-numeric ids, missing fields). */
const EARLY_CHECK_ROWS = 1000;

/**
 * Reads a ratings file as it streams: checks the header, parses user, movie and timestamp, skips
 * and counts broken rows, and keeps only the rows of users admitted to the seeded user sample.
 */
export class RatingsReader {
  readonly table = new RatingsTable();
  readonly sample: UserSample;
  rows = 0;
  skippedRows = 0;
  private headerPending: boolean;
  private readonly stream: DelimitedRowStream;

  constructor(
    private readonly fileName: string,
    private readonly layout: FileLayout,
    maxUsers: number,
    seed: number,
  ) {
    this.sample = new UserSample(maxUsers, seed);
    this.headerPending = layout.hasHeader;
    this.stream = new DelimitedRowStream(layout, (rows) => this.readRows(rows));
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
          `${this.rows.toLocaleString('en')} rows are broken (missing fields or non-numeric ids).`,
        this.fileName,
      );
    }
  }

  private readRows(rows: string[][]): void {
    let start = 0;
    if (this.headerPending) {
      this.checkHeader(rows[0]);
      this.headerPending = false;
      start = 1;
    }
    const table = this.table;
    const sample = this.sample;
    const offset = this.layout.movieIdOffset;
    let lastUser = -1;
    let lastAdmitted = false;
    for (let r = start; r < rows.length; r++) {
      const row = rows[r];
      this.rows++;
      const user = parseId(row[0]);
      const movie = parseId(row[1]);
      const timestamp = parseId(row[3]);
      if (row.length < 4 || Number.isNaN(user) || Number.isNaN(movie) || Number.isNaN(timestamp) || row[2] === '') {
        this.skippedRows++;
        continue;
      }
      // Files are grouped by user: remember the last decision instead of asking the sample per row.
      if (user !== lastUser) {
        lastUser = user;
        lastAdmitted = sample.admit(user);
      }
      if (lastAdmitted) table.append(user, movie + offset, timestamp);
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

  private checkHeader(header: string[] | undefined): void {
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
