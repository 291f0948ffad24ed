import { describe, expect, it } from 'vitest';
import {
  DelimitedRowStream,
  encodingOf,
  MAX_LINE_CHARS,
  parseDelimitedText,
  parseWholeNumber,
  type Row,
} from '../../../src/data/delimitedRows';
import { ImportError } from '../../../src/data/importError';
import { layoutOf, type FileLayout } from '../../../src/data/movieLensFormats';

const layout = (name: string): FileLayout => layoutOf(name) as FileLayout;
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

describe('parseWholeNumber', () => {
  it.each(['0', '7', '2147483648', '1700000000000', '4102444800', '9007199254740991'])('accepts %s', (field) => {
    expect(parseWholeNumber(field)).toBe(Number(field));
  });

  it.each([' 7 ', '7 ', ' 7', '+7', '-1', '0x10', '1e2', '7.0', '', '١٢', '9007199254740992', '12345678901234567'])(
    'refuses "%s"',
    (field) => {
      expect(parseWholeNumber(field)).toBeNaN();
    },
  );
});

describe('DelimitedRowStream', () => {
  function rowsOf(name: string, text: string): Row[] {
    return parseDelimitedText(name, utf8(text), layout(name));
  }

  it('reads an unclosed quote in movies.csv as one broken row, never merging the lines after it', () => {
    const rows = rowsOf(
      'movies.csv',
      'movieId,title,genres\n1,"Toy Story (1995),Comedy\n2,Jumanji (1995),Adventure\n3,"Heat, The (1995)",Drama\n',
    );
    expect(rows).toEqual([['movieId', 'title', 'genres'], null, ['2', 'Jumanji (1995)', 'Adventure'], ['3', 'Heat, The (1995)', 'Drama']]);
  });

  it('takes quotes and NULs as text where fields are never quoted', () => {
    expect(rowsOf('ratings.csv', '1,"2,3,4\n5,6,7,8\n')).toEqual([
      ['1', '"2', '3', '4'],
      ['5', '6', '7', '8'],
    ]);
    expect(rowsOf('ratings.dat', '1::2\u0000::3::4\n5::6::7::8')).toEqual([
      ['1', '2\u0000', '3', '4'],
      ['5', '6', '7', '8'],
    ]);
  });

  it('reads CRLF lines and a last line without a break', () => {
    expect(rowsOf('u.data', '1\t2\t3\t4\r\n5\t6\t7\t8')).toEqual([
      ['1', '2', '3', '4'],
      ['5', '6', '7', '8'],
    ]);
  });

  it('refuses a line longer than any MovieLens line instead of holding it', () => {
    const stream = new DelimitedRowStream('ratings.csv', layout('ratings.csv'), () => undefined);
    const long = new Uint8Array(MAX_LINE_CHARS + 10).fill(0x31);
    expect(() => stream.write(long)).toThrow(ImportError);
  });

  it('decodes a character split across writes', () => {
    const rows: Row[] = [];
    const stream = new DelimitedRowStream('movies.csv', layout('movies.csv'), (r) => rows.push(...r));
    const bytes = utf8('1,Cité (1995),Drama\n');
    const split = bytes.indexOf(0xc3) + 1;
    stream.write(bytes.subarray(0, split));
    stream.write(bytes.subarray(split));
    stream.end();
    expect(rows).toEqual([['1', 'Cité (1995)', 'Drama']]);
  });
});

describe('encodingOf', () => {
  it('reads a Latin-1 movies.dat as Latin-1 and one re-saved as UTF-8 as UTF-8', () => {
    expect(encodingOf(latin1('1::Cité des enfants perdus (1995)::Drama'), layout('movies.dat'))).toBe('latin1');
    expect(encodingOf(utf8('1::Cité des enfants perdus (1995)::Drama'), layout('movies.dat'))).toBe('utf-8');
    const [[, title]] = parseDelimitedText('movies.dat', utf8('1::Cité (1995)::Drama'), layout('movies.dat')) as string[][];
    expect(title).toBe('Cité (1995)');
  });
});
