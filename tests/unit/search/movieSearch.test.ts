import { describe, expect, it } from 'vitest';
import { describeFilter, MovieSearch, NO_FILTER } from '../../../src/search/movieSearch';
import type { MovieRecord } from '../../../src/storage/db';

const movie = (item: number, title: string, year: number | null, genres: string[], popularity: number): MovieRecord => ({
  datasetId: 1,
  item,
  movieId: item + 100,
  title,
  year,
  genres,
  imdbId: null,
  tmdbId: null,
  popularity,
});

const movies = [
  movie(0, 'Toy Story', 1995, ['Animation', 'Comedy'], 200),
  movie(1, 'Toy Story 2', 1999, ['Animation', 'Comedy'], 100),
  movie(2, 'Heat', 1995, ['Crime'], 150),
  movie(3, 'Godfather, The', 1972, ['Crime', 'Drama'], 180),
  movie(4, 'Matrix, The', 1999, ['Action', 'Sci-Fi'], 170),
  movie(5, 'Martian, The', 2015, ['Sci-Fi'], 120),
  movie(6, 'Hero', 2002, ['Action'], 90),
  movie(7, 'Her', 2013, ['Romance'], 40),
  movie(8, 'Shining, The', 1980, ['Horror'], 100),
  movie(9, 'Shining Through', 1992, ['Drama'], 5),
];

describe('MovieSearch', () => {
  const search = new MovieSearch(movies);

  it('finds titles despite typos', () => {
    expect(search.search('toy stroy').map((m) => m.title)).toEqual(['Toy Story', 'Toy Story 2']);
    expect(search.search('godfater')[0].title).toBe('Godfather, The');
  });

  it('finds titles filed with the article at the end, as people say them', () => {
    expect(search.search('the matrix')[0].title).toBe('Matrix, The');
    expect(search.search('matrix')[0].title).toBe('Matrix, The');
  });

  it('puts the exact title first, with or without its article', () => {
    expect(search.search('her')[0].title).toBe('Her');
    expect(search.search('shining')[0].title).toBe('Shining, The');
  });

  it('filters by genre and year', () => {
    expect(search.search('', { genre: 'Crime', yearFrom: null, yearTo: null }).map((m) => m.title)).toEqual(['Godfather, The', 'Heat']);
    expect(search.search('', { genre: null, yearFrom: 1990, yearTo: 1996 }).map((m) => m.title)).toEqual([
      'Toy Story',
      'Heat',
      'Shining Through',
    ]);
  });

  it('lists genres', () => {
    expect(search.genres()).toEqual(['Action', 'Animation', 'Comedy', 'Crime', 'Drama', 'Horror', 'Romance', 'Sci-Fi']);
  });
});

describe('MovieSearch with word matches and loose ones', () => {
  const search = new MovieSearch([
    movie(0, 'Silence of the Lambs, The', 1991, ['Thriller'], 160),
    movie(1, 'Silence of the Hams, The', 1994, ['Comedy'], 3),
    movie(2, 'Village of the Damned', 1995, ['Horror'], 4),
  ]);

  it('lists only the titles the words match when some do; loose (fuzzy) matches only when none do', () => {
    expect(search.search('silence of the lambs').map((m) => m.title)).toEqual(['Silence of the Lambs, The']);
    expect(search.search('silence').map((m) => m.title)).toEqual(['Silence of the Lambs, The', 'Silence of the Hams, The']);
    expect(search.search('silense of the lambs')[0].title).toBe('Silence of the Lambs, The');
  });
});

describe('describeFilter', () => {
  it('names the genre and the years, and says "any" where there is no bound (an emptied field is undefined)', () => {
    expect(describeFilter(NO_FILTER)).toBe('any genre, any year');
    expect(describeFilter({ genre: 'Comedy', yearFrom: 1990, yearTo: 2005 })).toBe('Comedy, 1990 to 2005');
    expect(describeFilter({ genre: null, yearFrom: 1990, yearTo: null })).toBe('any genre, from 1990');
    expect(describeFilter({ genre: 'Horror', yearFrom: undefined as unknown as null, yearTo: 1964 })).toBe('Horror, up to 1964');
  });
});
