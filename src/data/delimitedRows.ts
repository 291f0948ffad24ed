import Papa from 'papaparse';
import type { FileLayout } from './movieLensFormats';

/**
 * Streams text into PapaParse a chunk at a time: only whole lines are handed to the parser and the
 * partial last line is carried over, so a 650 MB ratings file never exists as one string.
 * Bytes are decoded incrementally (a UTF-8 character split across chunks is handled by the decoder).
 */
export class DelimitedRowStream {
  private readonly decoder: TextDecoder;
  private carry = '';
  private readonly config: Papa.ParseConfig;

  constructor(
    layout: FileLayout,
    private readonly onRows: (rows: string[][]) => void,
  ) {
    // Latin-1 files are decoded as windows-1252, which is what browsers do for "latin1" anyway.
    this.decoder = new TextDecoder(layout.encoding === 'latin1' ? 'windows-1252' : 'utf-8');
    this.config = {
      delimiter: layout.delimiter,
      // The .dat and u.item formats use '"' literally inside titles; only real CSV quotes fields.
      quoteChar: layout.quoted ? '"' : '\u0000',
      skipEmptyLines: true,
      header: false,
      dynamicTyping: false,
    };
  }

  write(bytes: Uint8Array): void {
    const text = this.carry + this.decoder.decode(bytes, { stream: true });
    const cut = lastLineBreak(text);
    if (cut < 0) {
      this.carry = text;
      return;
    }
    this.carry = text.slice(cut + 1);
    this.parse(text.slice(0, cut + 1));
  }

  end(): void {
    const text = this.carry + this.decoder.decode();
    this.carry = '';
    if (text.length > 0) this.parse(text);
  }

  private parse(text: string): void {
    const result = Papa.parse<string[]>(text, this.config);
    if (result.data.length > 0) this.onRows(result.data);
  }
}

/** Quoted CSV fields in MovieLens never span lines, so any line break ends a row. */
function lastLineBreak(text: string): number {
  return text.lastIndexOf('\n');
}

/** Parses a whole (small) file, such as movies.csv, into rows. */
export function parseDelimitedText(bytes: Uint8Array, layout: FileLayout): string[][] {
  const rows: string[][] = [];
  const stream = new DelimitedRowStream(layout, (chunk) => {
    for (const row of chunk) rows.push(row);
  });
  stream.write(bytes);
  stream.end();
  return rows;
}

/** A non-negative integer written in decimal, or NaN. Stricter than parseInt: "12abc" is not 12. */
export function parseId(field: string | undefined): number {
  if (field === undefined || field.length === 0 || field.length > 10) return NaN;
  const value = Number(field);
  return Number.isInteger(value) && value >= 0 && value <= 2147483647 ? value : NaN;
}
