/** Movie metadata as the product shows it: title without the year, the year, genres. */

export interface MovieInfo {
  movieId: number;
  title: string;
  year: number | null;
  genres: string[];
}

/** MovieLens writes a movie without genres as this pseudo-genre; the app shows "Unknown". */
export const NO_GENRES_LISTED = '(no genres listed)';
export const UNKNOWN_GENRE = 'Unknown';

// A year in parentheses at the very end of the title; newer MovieLens sets also write
// ranges for series, e.g. "Death Note (2006–2007)", where the first year is the one we want.
const TRAILING_YEAR = /\s*\((\d{4})(?:\s*[–-]\s*(?:\d{4})?)?\)\s*$/u;

/** Splits "Toy Story (1995)" into title "Toy Story" and year 1995; titles without a year keep year null. */
export function splitTitleAndYear(rawTitle: string): { title: string; year: number | null } {
  const trimmed = rawTitle.trim();
  const match = TRAILING_YEAR.exec(trimmed);
  if (!match) return { title: trimmed, year: null };
  const title = trimmed.slice(0, match.index).trim();
  // A title that is only a year, e.g. "(1995)", keeps its text rather than becoming empty.
  return { title: title || trimmed, year: Number(match[1]) };
}

/** Genres from the `|`-separated MovieLens field, with "(no genres listed)" renamed to "Unknown". */
export function parseGenres(field: string): string[] {
  const genres = field
    .split('|')
    .map((g) => g.trim())
    .filter((g) => g.length > 0)
    .map((g) => (g === NO_GENRES_LISTED ? UNKNOWN_GENRE : g));
  return genres.length > 0 ? genres : [UNKNOWN_GENRE];
}

/** ml-100k's u.item lists 19 genre flags in this order (u.genre); "unknown" is its own name for none. */
export const ML100K_GENRES = [
  UNKNOWN_GENRE,
  'Action',
  'Adventure',
  'Animation',
  "Children's",
  'Comedy',
  'Crime',
  'Documentary',
  'Drama',
  'Fantasy',
  'Film-Noir',
  'Horror',
  'Musical',
  'Mystery',
  'Romance',
  'Sci-Fi',
  'Thriller',
  'War',
  'Western',
] as const;

// MovieLens files an article at the end ("Matrix, The", "Cité des enfants perdus, La"), before any
// parenthesised alternative title: "City of Lost Children, The (Cité des enfants perdus, La)".
const TRAILING_ARTICLE =
  /^(.+?), (The|A|An|Les|La|Le|L'|Il|Lo|Gli|I|Das|Der|Die|Den|Det|De|El|Los|Las|O|Os|Un|Une|Uno|Una|Ein|Eine)(\s*\(.*\))?$/u;

/** The title as people say it: "Matrix, The" becomes "The Matrix" (an elided article joins: "L'Atalante"). */
export function naturalTitle(title: string): string {
  const match = TRAILING_ARTICLE.exec(title);
  if (!match) return title;
  const [, rest, article, alternative = ''] = match;
  return `${article}${article.endsWith("'") ? '' : ' '}${rest}${alternative}`;
}

/** The title without its filed article: "Shining, The" is "Shining", as people often type it. */
export function titleWithoutArticle(title: string): string {
  const match = TRAILING_ARTICLE.exec(title);
  return match ? `${match[1]}${match[3] ?? ''}` : title;
}

export function makeMovieInfo(movieId: number, rawTitle: string, genres: string[]): MovieInfo {
  const { title, year } = splitTitleAndYear(rawTitle);
  return { movieId, title, year, genres };
}
