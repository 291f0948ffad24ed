import { describe, expect, it } from 'vitest';
import { sameMovieKey, twinsIn } from '../../../src/profiles/sameMovies';

const movie = (movieId: number, title: string, year: number | null) => ({ movieId, title, year });

describe('twinsIn', () => {
  // ml-100k numbers its movies apart: its Shining is not ml-latest's 1258.
  const catalogue = [
    movie(100_177, 'Shining, The', 1980),
    movie(100_288, 'Scream', 1996),
    movie(100_500, 'Léon', 1994),
    movie(100_600, 'Hamlet', 1996),
    movie(100_601, 'Hamlet', 1996),
    movie(100_700, 'Untitled', null),
  ];

  it('finds the same film by title and year, whatever the article, accents or case', () => {
    const twins = twinsIn([movie(1258, 'Shining, The', 1980), movie(1407, 'SCREAM', 1996), movie(293, 'Leon', 1994)], catalogue);
    expect([...twins].map(([id, twin]) => [id, twin.movieId])).toEqual([
      [1258, 100_177],
      [1407, 100_288],
      [293, 100_500],
    ]);
  });

  it('matches nothing for another year, a title two films share here, or a film without a year', () => {
    const twins = twinsIn([movie(1, 'Scream', 1997), movie(2, 'Hamlet', 1996), movie(3, 'Untitled', null)], catalogue);
    expect(twins.size).toBe(0);
    expect(sameMovieKey(movie(3, 'Untitled', null))).toBeNull();
  });
});
