import { describe, expect, it } from 'vitest';
import {
  findFiledArticle,
  makeMovieInfo,
  MAX_TITLE_CHARS,
  naturalTitle,
  parseGenres,
  splitTitleAndYear,
  titleWithoutArticle,
} from '../../../src/data/movieInfo';

describe('splitTitleAndYear', () => {
  it.each([
    ['Toy Story (1995)', 'Toy Story', 1995],
    ['City of Lost Children, The (Cité des enfants perdus, La) (1995)', 'City of Lost Children, The (Cité des enfants perdus, La)', 1995],
    ['Babylon 5', 'Babylon 5', null],
    ['Ready Player One (2018) ', 'Ready Player One', 2018],
    ['Death Note: Desu nôto (2006–2007)', 'Death Note: Desu nôto', 2006],
    ['Stranger Things (2016-)', 'Stranger Things', 2016],
    ['1984 (1956)', '1984', 1956],
    ['2001: A Space Odyssey', '2001: A Space Odyssey', null],
  ])('%s', (raw, title, year) => {
    expect(splitTitleAndYear(raw)).toEqual({ title, year });
  });
});

describe('parseGenres', () => {
  it('splits on | and renames "(no genres listed)" to Unknown', () => {
    expect(parseGenres('Adventure|Animation|Children')).toEqual(['Adventure', 'Animation', 'Children']);
    expect(parseGenres('(no genres listed)')).toEqual(['Unknown']);
    expect(parseGenres('')).toEqual(['Unknown']);
  });
});

describe('naturalTitle', () => {
  it.each([
    ['Matrix, The', 'The Matrix'],
    ['City of Lost Children, The (Cité des enfants perdus, La)', 'The City of Lost Children (Cité des enfants perdus, La)'],
    ["Atalante, L'", "L'Atalante"],
    ['Toy Story', 'Toy Story'],
    [
      'Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il)',
      'The Good, the Bad and the Ugly (Buono, il brutto, il cattivo, Il)',
    ],
  ])('%s', (stored, natural) => {
    expect(naturalTitle(stored)).toBe(natural);
  });
});

/** The regular expression the search replaced: the reference for what a filed article is (slow only on hostile titles). */
const REFERENCE =
  /^(.+?), (The|A|An|Les|La|Le|L'|Il|Lo|Gli|I|Das|Der|Die|Den|Det|De|El|Los|Las|O|Os|Un|Une|Uno|Una|Ein|Eine)(\s*\(.*\))?$/u;

describe('findFiledArticle', () => {
  it.each([
    'Matrix, The',
    "Atalante, L'",
    'Mujer, Una (A Woman)',
    'Foo, Une',
    'Foo, Un (x)',
    'Foo, Os',
    'Foo, Theory',
    'Foo, The (unclosed',
    'Foo, The ()',
    'Foo, The()',
    'Foo, The  \u00a0(x)',
    ', The',
    'A, B, The (C, La)',
    'Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il)',
    'Toy Story',
    'Foo, The (x) y',
    'x, A (, A (, A (q',
  ])('agrees with the regular expression on "%s"', (title) => {
    const match = REFERENCE.exec(title);
    const found = findFiledArticle(title);
    expect(found).toEqual(match ? { rest: match[1], article: match[2], alternative: match[3] ?? '' } : null);
    expect(naturalTitle(title)).toBe(match ? `${match[2]}${match[2].endsWith("'") ? '' : ' '}${match[1]}${match[3] ?? ''}` : title);
    expect(titleWithoutArticle(title)).toBe(match ? `${match[1]}${match[3] ?? ''}` : title);
  });

  it('does work in proportion to the title, not its square', () => {
    for (const repeats of [1_000, 10_000]) {
      const title = `x${', A ('.repeat(repeats)}q`;
      const work = { steps: 0 };
      expect(findFiledArticle(title, work)).toBeNull();
      // One step per character and one per article tried at each ", " (28 articles): linear in the length.
      expect(work.steps).toBeLessThanOrEqual(title.length * 8);
    }
  });
});

describe('makeMovieInfo', () => {
  it('cuts a very long title, keeps its year and drops control characters', () => {
    const info = makeMovieInfo(1, `${'Long '.repeat(10_000)}\u0000Title (1999)`, ['Drama']);
    expect(info.year).toBe(1999);
    expect(info.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(info.title.endsWith('…')).toBe(true);
    expect(makeMovieInfo(2, 'B\u0000ad (2001)', []).title).toBe('B ad');
  });

  it('never cuts a title inside a surrogate pair', () => {
    const title = makeMovieInfo(1, `${'x'.repeat(MAX_TITLE_CHARS - 2)}😀😀😀`, []).title;
    expect(title).toBe(`${'x'.repeat(MAX_TITLE_CHARS - 2)}…`);
  });

  it('keeps a bounded, distinct list of short genres', () => {
    const genres = parseGenres(
      `${'Drama|'.repeat(10_000)}${'G'.repeat(50_000)}|${Array.from({ length: 100 }, (_, i) => `g${i}`).join('|')}`,
    );
    expect(genres.length).toBeLessThanOrEqual(30);
    expect(genres[0]).toBe('Drama');
    expect(Math.max(...genres.map((g) => g.length))).toBeLessThanOrEqual(60);
  });
});
