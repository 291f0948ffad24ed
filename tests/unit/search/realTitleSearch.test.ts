import { describe, expect, it } from 'vitest';
import { MovieSearch } from '../../../src/search/movieSearch';
import { readQuery } from '../../../src/search/searchQuery';
import { foldText } from '../../../src/search/searchText';
import type { MovieRecord } from '../../../src/storage/db';
import { REAL_TITLES } from './realTitles';

const movies: MovieRecord[] = REAL_TITLES.map(([movieId, title, year, popularity], item) => ({
  datasetId: 1,
  item,
  movieId,
  title,
  year,
  genres: ['Drama'],
  imdbId: null,
  tmdbId: null,
  popularity,
}));
const search = new MovieSearch(movies);
const found = (query: string, n = 3): string[] =>
  search
    .search(query)
    .slice(0, n)
    .map((m) => `${m.title} (${m.year})`);

describe('title search on real MovieLens titles', () => {
  it('ranks every-word matches above fuzzy ones: "lord of rings" is The Lord of the Rings, not Lord of Illusions', () => {
    const titles = found('lord of rings', 4);
    expect(titles.slice(0, 3).every((t) => t.startsWith('Lord of the Rings'))).toBe(true);
    expect(titles).not.toContain('Lord of Illusions (1995)');
    // The 1978 film's whole title is the query; then the trilogy, the more-watched first.
    expect(found('lord of the rings', 2)).toEqual([
      'Lord of the Rings, The (1978)',
      'Lord of the Rings: The Fellowship of the Ring, The (2001)',
    ]);
  });

  it('ignores accents and punctuation', () => {
    expect(found('leon', 1)).toEqual(['Léon: The Professional (a.k.a. The Professional) (Léon) (1994)']);
    expect(found('amélie', 1)[0]).toMatch(/^Amelie \(Fabuleux destin/);
    expect(found('star wars episode iv', 1)).toEqual(['Star Wars: Episode IV - A New Hope (1977)']);
  });

  it('reads a four-digit year after the title as the release year', () => {
    expect(found('up 2009', 1)).toEqual(['Up (2009)']);
    expect(found('star wars 1977')).toEqual(['Star Wars: Episode IV - A New Hope (1977)']);
    expect(found('titanic 1953')).toEqual(['Titanic (1953)']);
  });

  it('keeps a number that is part of the title', () => {
    expect(found('death race 2000', 1)).toEqual(['Death Race 2000 (1975)']);
    expect(found('blade runner 2049', 1)).toEqual(['Blade Runner 2049 (2017)']);
    expect(found('2001 a space odyssey', 1)).toEqual(['2001: A Space Odyssey (1968)']);
  });

  it('puts the more-watched of two same-titled movies first', () => {
    expect(found('titanic', 2)).toEqual(['Titanic (1997)', 'Titanic (1953)']);
    expect(found('ghost in the shell', 2)).toEqual(['Ghost in the Shell (Kôkaku kidôtai) (1995)', 'Ghost in the Shell (2017)']);
  });

  it('still forgives typos, after the word matches', () => {
    expect(found('titanik', 1)).toEqual(['Titanic (1997)']);
    expect(found('lord of the rigns', 1)[0]).toMatch(/^Lord of the Rings/);
  });
});

describe('readQuery', () => {
  const years = { first: 1902, last: 2019 };
  it('takes a last four-digit word within the catalogue years as the year', () => {
    expect(readQuery('Star Wars 1977', years)).toEqual({ words: ['star', 'wars'], year: 1977 });
    expect(readQuery('1917', years)).toEqual({ words: ['1917'], year: null });
    expect(readQuery('blade runner 2049', years)).toEqual({ words: ['blade', 'runner', '2049'], year: null });
  });
});

describe('foldText', () => {
  it('drops accents, case and punctuation', () => {
    expect(foldText('Léon: The Professional')).toBe('leon the professional');
    expect(foldText("Schindler's List")).toBe('schindlers list');
  });
});
