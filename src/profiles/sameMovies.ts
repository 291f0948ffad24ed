import { titleWithoutArticle, type MovieInfo } from '../data/movieInfo';
import { foldText } from '../search/searchText';

/**
 * A movie's name across data sets that number movies differently (ml-100k's ids are its own; the
 * other MovieLens sets share theirs): its title without a filed article, folded as search folds it,
 * and its year. Null without a year, where a title alone too easily names another film.
 */
export function sameMovieKey(movie: Pick<MovieInfo, 'title' | 'year'>): string | null {
  return movie.year === null ? null : `${foldText(titleWithoutArticle(movie.title))}|${movie.year}`;
}

/**
 * For each of `elsewhere` (a history's movies as another data set lists them), the movie of
 * `catalogue` that is the same film under another id: the same title and year. A title and year
 * that two movies of the catalogue share matches neither, so a guess never names the wrong film.
 */
export function twinsIn<T extends Pick<MovieInfo, 'movieId' | 'title' | 'year'>>(
  elsewhere: Pick<MovieInfo, 'movieId' | 'title' | 'year'>[],
  catalogue: T[],
): Map<number, T> {
  const byKey = new Map<string, T | null>();
  for (const movie of catalogue) {
    const key = sameMovieKey(movie);
    if (key !== null) byKey.set(key, byKey.has(key) ? null : movie);
  }
  const twins = new Map<number, T>();
  for (const movie of elsewhere) {
    const key = sameMovieKey(movie);
    const twin = key === null ? undefined : byKey.get(key);
    if (twin) twins.set(movie.movieId, twin);
  }
  return twins;
}
