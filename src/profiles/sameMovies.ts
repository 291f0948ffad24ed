import { titleWithoutArticle, type MovieInfo } from '../data/movieInfo';
import { foldText } from '../search/searchText';

type Named = Pick<MovieInfo, 'title' | 'year'>;

/** Alternative titles in brackets: "Seven (a.k.a. Se7en)" in ml-latest is "Seven (Se7en)" in ml-100k. */
const BRACKETED = /\s*\([^)]*\)/g;

/**
 * A movie's name across data sets that number movies differently (ml-100k's ids are its own; the
 * other MovieLens sets share theirs): its title without a filed article or bracketed alternatives,
 * folded as search folds it, and its year. Null without a year, where a title alone too easily
 * names another film.
 */
export function sameMovieKey(movie: Named): string | null {
  return movie.year === null ? null : `${foldText(titleWithoutArticle(movie.title).replace(BRACKETED, ''))}|${movie.year}`;
}

/**
 * The looser name, for films the full one misses: the title before its subtitle ("Star Wars: Episode IV - A New
 * Hope" is ml-100k's "Star Wars"), and the year.
 */
export function shortMovieKey(movie: Named): string | null {
  const key = sameMovieKey({ ...movie, title: movie.title.split(':')[0] });
  return key === sameMovieKey(movie) ? null : key;
}

/**
 * For each of `elsewhere` (a history's movies as another data set lists them), the movie of
 * `catalogue` that is the same film under another id: the same title and year, or failing that the
 * same title before its subtitle and year. A name that two movies of the catalogue share matches
 * neither, so a guess never names the wrong film.
 */
export function twinsIn<T extends Pick<MovieInfo, 'movieId' | 'title' | 'year'>>(
  elsewhere: Pick<MovieInfo, 'movieId' | 'title' | 'year'>[],
  catalogue: T[],
): Map<number, T> {
  const full = byName(catalogue, sameMovieKey);
  // Each catalogue film under its full name and its short one: "Star Wars" (1977) here meets "Star Wars: Episode IV …".
  const short = byName(catalogue, (movie) => shortMovieKey(movie) ?? sameMovieKey(movie));
  const twins = new Map<number, T>();
  for (const movie of elsewhere) {
    const twin = lookUp(full, sameMovieKey(movie)) ?? lookUp(short, shortMovieKey(movie));
    if (twin) twins.set(movie.movieId, twin);
  }
  return twins;
}

/** A history's films marked under another data set's ids, as the active catalogue has them. */
export interface HistoryTwins<T> {
  /** Catalogue films the history has under other ids only: what History offers to mark here. */
  foundHere: T[];
  /** History entries whose film the history also has under its id here: counted once, not twice. */
  alreadyHere: number;
  /** History films, as another data set lists them, that the catalogue has under no name: kept for that data set. */
  notFound: Pick<MovieInfo, 'movieId' | 'title' | 'year'>[];
}

/** `twinsIn` for a history whose movies `elsewhere` the catalogue lacks, against the history's ids (`historyIds`). */
export function historyTwins<T extends Pick<MovieInfo, 'movieId' | 'title' | 'year'>>(
  elsewhere: Pick<MovieInfo, 'movieId' | 'title' | 'year'>[],
  catalogue: T[],
  historyIds: Set<number>,
): HistoryTwins<T> {
  const twins = twinsIn(elsewhere, catalogue);
  const here = [...twins.values()];
  const foundHere = new Map(here.filter((m) => !historyIds.has(m.movieId)).map((m) => [m.movieId, m]));
  return {
    foundHere: [...foundHere.values()],
    alreadyHere: here.filter((m) => historyIds.has(m.movieId)).length,
    notFound: [...new Map(elsewhere.filter((m) => !twins.has(m.movieId)).map((m) => [m.movieId, m])).values()],
  };
}

/** Movies by a name; a name two of them share maps to null (neither). */
function byName<T extends Named>(movies: T[], name: (movie: Named) => string | null): Map<string, T | null> {
  const out = new Map<string, T | null>();
  for (const movie of movies) {
    const key = name(movie);
    if (key !== null) out.set(key, out.has(key) ? null : movie);
  }
  return out;
}

function lookUp<T>(names: Map<string, T | null>, key: string | null): T | undefined {
  return key === null ? undefined : (names.get(key) ?? undefined);
}
