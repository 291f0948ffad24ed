import { describe, expect, it } from 'vitest';
import { historyTwins, sameMovieKey, twinsIn } from '../../../src/profiles/sameMovies';

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
    movie(100_011, 'Seven (Se7en)', 1995),
    movie(100_050, 'Star Wars', 1977),
    movie(100_181, 'Return of the Jedi', 1983),
  ];

  it('finds the same film by title and year, whatever the article, accents or case', () => {
    const twins = twinsIn([movie(1258, 'Shining, The', 1980), movie(1407, 'SCREAM', 1996), movie(293, 'Leon', 1994)], catalogue);
    expect([...twins].map(([id, twin]) => [id, twin.movieId])).toEqual([
      [1258, 100_177],
      [1407, 100_288],
      [293, 100_500],
    ]);
  });

  it('finds films listed with other bracketed alternatives, or without their subtitle', () => {
    const twins = twinsIn(
      [
        movie(47, 'Seven (a.k.a. Se7en)', 1995),
        movie(260, 'Star Wars: Episode IV - A New Hope', 1977),
        movie(1210, 'Star Wars: Episode VI - Return of the Jedi', 1983),
      ],
      catalogue,
    );
    expect([...twins].map(([id, twin]) => [id, twin.movieId])).toEqual([
      [47, 100_011],
      [260, 100_050],
    ]);
  });

  it('matches nothing for another year, a title two films share here, or a film without a year', () => {
    const twins = twinsIn([movie(1, 'Scream', 1997), movie(2, 'Hamlet', 1996), movie(3, 'Untitled', null)], catalogue);
    expect(twins.size).toBe(0);
    expect(sameMovieKey(movie(3, 'Untitled', null))).toBeNull();
  });

  it('splits a history into the films to mark here and those it has here already, each film once', () => {
    // History on ml-latest: The Shining and Scream, and Scream marked on ml-100k too; Scream listed twice elsewhere.
    const elsewhere = [movie(1258, 'Shining, The', 1980), movie(1407, 'Scream', 1996), movie(1407, 'Scream', 1996)];
    const twins = historyTwins(elsewhere, catalogue, new Set([1258, 1407, 100_288]));
    expect(twins.foundHere.map((m) => m.movieId)).toEqual([100_177]);
    expect(twins.alreadyHere).toBe(1);
    expect(twins.notFound).toEqual([]);
  });

  it('lists once each history film that has no twin here, as the other data set names it', () => {
    const scream3 = movie(3499, 'Scream 3', 2000);
    const twins = historyTwins([movie(1258, 'Shining, The', 1980), scream3, scream3], catalogue, new Set([1258, 3499]));
    expect(twins.foundHere.map((m) => m.movieId)).toEqual([100_177]);
    expect(twins.notFound).toEqual([scream3]);
  });
});
