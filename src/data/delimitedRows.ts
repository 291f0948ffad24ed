import Papa from 'papaparse';
import { ImportError } from './importError';
import type { FileLayout } from './movieLensFormats';

/**
 * A row of a delimited file: its fields, or null for a line that cannot be read as a row (a
 * quote that never closes within the line). MovieLens never breaks a row across lines, so a bad
 * line costs that line and nothing more: it is counted, never merged with the lines after it.
 */
export type Row = string[] | null;

/**
 * Bytes decoded at a time. `TextDecoder.decode` of more than V8's longest string returns "" without
 * an error, and one inflated zip chunk can be hundreds of MB: decoding in small pieces keeps every
 * string small, whatever the file or the archive hands over at once.
 */
export const DECODE_PIECE_BYTES = 1 << 20;

/** No MovieLens line comes near this; a longer one means the file is something else (or a single huge line). */
export const MAX_LINE_CHARS = 1 << 20;

/**
 * Streams bytes into rows a piece at a time: bytes are decoded in bounded pieces (a character split
 * across pieces is handled by the streaming decoder), split into lines, and each line into fields.
 * Only lines that contain a quote go through PapaParse, one line at a time, and only in the layouts
 * that quote fields (movies.csv quotes titles with commas); everywhere else a quote or a NUL is text.
 */
export class DelimitedRowStream {
  private readonly decoder: TextDecoder;
  private carry = '';
  private readonly quoteConfig: Papa.ParseConfig;
  /** Bytes handed to the stream so far. */
  bytes = 0;

  constructor(
    private readonly fileName: string,
    private readonly layout: FileLayout,
    private readonly onRows: (rows: Row[]) => void,
    encoding: TextEncoding = layout.encoding,
  ) {
    // Latin-1 files are decoded as windows-1252, which is what browsers do for "latin1" anyway.
    this.decoder = new TextDecoder(encoding === 'latin1' ? 'windows-1252' : 'utf-8');
    this.quoteConfig = { delimiter: layout.delimiter, quoteChar: '"', header: false, dynamicTyping: false };
  }

  write(bytes: Uint8Array): void {
    this.bytes += bytes.byteLength;
    for (let start = 0; start < bytes.byteLength; start += DECODE_PIECE_BYTES) {
      this.take(this.decoder.decode(bytes.subarray(start, start + DECODE_PIECE_BYTES), { stream: true }));
    }
  }

  end(): void {
    this.take(this.decoder.decode());
    const last = this.carry;
    this.carry = '';
    if (last.length > 0) this.emit([last]);
  }

  private take(text: string): void {
    const cut = text.lastIndexOf('\n');
    if (cut < 0) {
      this.carry += text;
      if (this.carry.length > MAX_LINE_CHARS) {
        throw new ImportError(
          `${this.fileName} has a line longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters: it is not a MovieLens file.`,
          this.fileName,
        );
      }
      return;
    }
    const lines = (this.carry + text.slice(0, cut)).split('\n');
    this.carry = text.slice(cut + 1);
    this.emit(lines);
  }

  private emit(lines: string[]): void {
    const rows: Row[] = [];
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.length > 0) rows.push(this.fields(line));
    }
    if (rows.length > 0) this.onRows(rows);
  }

  private fields(line: string): Row {
    if (!this.layout.quoted || !line.includes('"')) return line.split(this.layout.delimiter);
    const parsed = Papa.parse<string[]>(line, this.quoteConfig);
    return parsed.errors.length === 0 && parsed.data.length === 1 ? parsed.data[0] : null;
  }
}

export type TextEncoding = FileLayout['encoding'];

/**
 * The encoding to read a whole small file with: its layout's, except that a file declared Latin-1
 * (ml-1m's movies.dat, ml-100k's u.item) that is valid UTF-8 was re-saved as UTF-8 and is read so.
 * Latin-1 text with accents is almost never valid UTF-8; plain ASCII reads the same either way.
 */
export function encodingOf(bytes: Uint8Array, layout: FileLayout): TextEncoding {
  if (layout.encoding === 'utf-8') return 'utf-8';
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    for (let start = 0; start < bytes.byteLength; start += DECODE_PIECE_BYTES) {
      strict.decode(bytes.subarray(start, start + DECODE_PIECE_BYTES), { stream: true });
    }
    strict.decode();
    return 'utf-8';
  } catch {
    return 'latin1';
  }
}

/** Parses a whole (small, size-checked) file, such as movies.csv, into rows. */
export function parseDelimitedText(fileName: string, bytes: Uint8Array, layout: FileLayout): Row[] {
  const rows: Row[] = [];
  const stream = new DelimitedRowStream(
    fileName,
    layout,
    (chunk) => {
      for (const row of chunk) rows.push(row);
    },
    encodingOf(bytes, layout),
  );
  stream.write(bytes);
  stream.end();
  return rows;
}

/**
 * A non-negative whole number written as plain decimal digits and exactly representable (a safe
 * integer), or NaN. Every other spelling is refused: " 7 ", "+7", "0x10", "1e2", "7.0", "".
 */
export function parseWholeNumber(field: string | undefined): number {
  if (field === undefined || field.length === 0 || field.length > 16) return NaN;
  // A loop rather than Number(): Number accepts all the spellings refused here, and this is the hot path of an import.
  let value = 0;
  for (let i = 0; i < field.length; i++) {
    const digit = field.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  // Below 2^53 every step above was exact.
  return value <= Number.MAX_SAFE_INTEGER ? value : NaN;
}
