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
const YEAR_TAIL_CHARS = 40;

/** Splits "Toy Story (1995)" into title "Toy Story" and year 1995; titles without a year keep year null. */
export function splitTitleAndYear(rawTitle: string): { title: string; year: number | null } {
  const trimmed = rawTitle.trim();
  // The year is near the end: looking only there keeps the search short on a very long title.
  const tailStart = Math.max(0, trimmed.length - YEAR_TAIL_CHARS);
  const match = TRAILING_YEAR.exec(trimmed.slice(tailStart));
  if (!match) return { title: trimmed, year: null };
  const title = trimmed.slice(0, tailStart + match.index).trim();
  // A title that is only a year, e.g. "(1995)", keeps its text rather than becoming empty.
  return { title: title || trimmed, year: Number(match[1]) };
}

/** Genres from the `|`-separated MovieLens field, with "(no genres listed)" renamed to "Unknown". */
export function parseGenres(field: string): string[] {
  const genres = field
    .split('|')
    .map((g) => cutText(withoutControlCharacters(g).trim(), MAX_GENRE_CHARS))
    .filter((g) => g.length > 0)
    .map((g) => (g === NO_GENRES_LISTED ? UNKNOWN_GENRE : g));
  const distinct = [...new Set(genres)].slice(0, MAX_GENRES);
  return distinct.length > 0 ? distinct : [UNKNOWN_GENRE];
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
// Tried in this order at each ", " (as a regular expression's alternation would be).
const FILED_ARTICLES = [
  'The', 'A', 'An', 'Les', 'La', 'Le', "L'", 'Il', 'Lo', 'Gli', 'I', 'Das', 'Der', 'Die', 'Den', 'Det', 'De', 'El', 'Los', 'Las',
  'O', 'Os', 'Un', 'Une', 'Uno', 'Una', 'Ein', 'Eine',
] as const; // prettier-ignore

/** A title split at its filed article: "Matrix, The (X)" is rest "Matrix", article "The", alternative " (X)". */
export interface FiledArticle {
  rest: string;
  article: string;
  alternative: string;
}

/**
 * Finds the filed article: the first ", " (after at least one character) followed by an article
 * that ends the title or is followed by optional spaces and a parenthesised part running to the
 * end. Written as one pass instead of a regular expression: `^(.+?), (The|...)(\s*\(.*\))?$`
 * backtracks quadratically on titles such as "x, A (, A (, A (... q". `work.steps` counts the
 * characters and candidates looked at, so a test can bound the work by the title's length.
 */
export function findFiledArticle(title: string, work: { steps: number } = { steps: 0 }): FiledArticle | null {
  const n = title.length;
  // A line break never occurs in a stored title (import removes control characters).
  if (/[\n\r\u2028\u2029]/.test(title)) return null;
  // parenAfterSpaces[i]: where "\s*(" starting at i finds its "(", or -1.
  const parenAfterSpaces = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    work.steps++;
    const ch = title[i];
    if (ch === '(') parenAfterSpaces[i] = i;
    else if (WHITE_SPACE.test(ch)) parenAfterSpaces[i] = parenAfterSpaces[i + 1];
  }
  const endsWithParen = title.endsWith(')');
  for (let comma = title.indexOf(', ', 1); comma >= 0; comma = title.indexOf(', ', comma + 1)) {
    for (const article of FILED_ARTICLES) {
      work.steps++;
      if (!title.startsWith(article, comma + 2)) continue;
      const end = comma + 2 + article.length;
      const paren = parenAfterSpaces[end];
      // The alternative is "(" ... ")" with the ")" the title's last character, after the "(".
      if (end === n || (endsWithParen && paren >= 0 && paren <= n - 2)) {
        return { rest: title.slice(0, comma), article, alternative: title.slice(end) };
      }
    }
  }
  return null;
}

const WHITE_SPACE = /\s/;

/** The title as people say it: "Matrix, The" becomes "The Matrix" (an elided article joins: "L'Atalante"). */
export function naturalTitle(title: string): string {
  const match = findFiledArticle(title);
  if (!match) return title;
  const { rest, article, alternative } = match;
  return `${article}${article.endsWith("'") ? '' : ' '}${rest}${alternative}`;
}

/** The title without its filed article: "Shining, The" is "Shining", as people often type it. */
export function titleWithoutArticle(title: string): string {
  const match = findFiledArticle(title);
  return match ? `${match.rest}${match.alternative}` : title;
}

/** Titles are cut to this many characters at import: longer ones are not MovieLens's, and every page lists titles. */
export const MAX_TITLE_CHARS = 500;
/** A movie keeps at most this many genres, each of at most MAX_GENRE_CHARS characters. */
export const MAX_GENRES = 30;
export const MAX_GENRE_CHARS = 60;

/** `text` cut to at most `max` UTF-16 units, never inside a surrogate pair, with "…" when cut. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Control characters (a NUL, a tab, a line break) are never part of a title or a genre. */
function withoutControlCharacters(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ');
}

export function makeMovieInfo(movieId: number, rawTitle: string, genres: string[]): MovieInfo {
  const { title, year } = splitTitleAndYear(withoutControlCharacters(rawTitle));
  return { movieId, title: cutText(title, MAX_TITLE_CHARS), year, genres };
}
