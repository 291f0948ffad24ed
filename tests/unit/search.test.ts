import { describe, expect, it } from 'vitest';
import { MovieSearch } from '../../src/search/movieSearch';
import type { MovieRecord } from '../../src/storage/db';

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
];

describe('MovieSearch', () => {
  const search = new MovieSearch(movies);

  it('finds titles despite typos', () => {
    expect(search.search('toy stroy').map((m) => m.title)).toEqual(['Toy Story', 'Toy Story 2']);
    expect(search.search('godfater')[0].title).toBe('Godfather, The');
  });

  it('filters by genre and year', () => {
    expect(search.search('', { genre: 'Crime', yearFrom: null, yearTo: null }).map((m) => m.title)).toEqual(['Godfather, The', 'Heat']);
    expect(search.search('', { genre: null, yearFrom: 1990, yearTo: 1996 }).map((m) => m.title)).toEqual(['Toy Story', 'Heat']);
  });

  it('lists genres', () => {
    expect(search.genres()).toEqual(['Animation', 'Comedy', 'Crime', 'Drama']);
  });
});
