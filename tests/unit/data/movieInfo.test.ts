import { describe, expect, it } from 'vitest';
import { naturalTitle, parseGenres, splitTitleAndYear } from '../../../src/data/movieInfo';

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
