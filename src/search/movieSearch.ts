import Fuse from 'fuse.js';
import { naturalTitle, titleWithoutArticle } from '../data/movieInfo';
import type { MovieRecord } from '../storage/db';
import { readQuery, type SearchQuery, type YearSpan } from './searchQuery';
import { foldedWords, foldText } from './searchText';

export interface MovieFilter {
  genre: string | null;
  yearFrom: number | null;
  yearTo: number | null;
}

export const NO_FILTER: MovieFilter = { genre: null, yearFrom: null, yearTo: null };

/** What is wrong with a filter's years, for the field that has it; null when they make sense. */
export function yearRangeProblem(filter: MovieFilter): string | null {
  if (filter.yearFrom != null && filter.yearTo != null && filter.yearFrom > filter.yearTo) {
    return `From ${filter.yearFrom} is after To ${filter.yearTo}: no movie can match.`;
  }
  return null;
}

/** A filter in a few words, for a folded filter panel: "any genre, any year", "Comedy, 1990 to 2005", "from 1990". */
export function describeFilter(filter: MovieFilter): string {
  const from = filter.yearFrom ?? null;
  const to = filter.yearTo ?? null;
  const years =
    from !== null && to !== null ? `${from} to ${to}` : from !== null ? `from ${from}` : to !== null ? `up to ${to}` : 'any year';
  return `${filter.genre ?? 'any genre'}, ${years}`;
}

export function matchesFilter(movie: MovieRecord, filter: MovieFilter): boolean {
  if (filter.genre && !movie.genres.includes(filter.genre)) return false;
  // An emptied number field gives null or undefined: both mean "no bound".
  if (filter.yearFrom != null && (movie.year === null || movie.year < filter.yearFrom)) return false;
  if (filter.yearTo != null && (movie.year === null || movie.year > filter.yearTo)) return false;
  return true;
}

/** How closely a title matches the typed words, best first; a closer kind always outranks a looser one. */
const MatchKind = {
  /** The whole title, with or without its article: "her" is Her, "matrix" is The Matrix. */
  Exact: 0,
  /** The title starts with the words: "toy story" finds Toy Story 2. */
  Prefix: 1,
  /** Every word is a word of the title, in any order: "lord of rings" finds The Lord of the Rings. */
  AllWords: 2,
  /** Every word starts a word of the title, as while typing: "lord of the ri". */
  WordPrefixes: 3,
  /** Only the fuzzy match (typos): "godfater" finds The Godfather. */
  Fuzzy: 4,
} as const;
type MatchKind = (typeof MatchKind)[keyof typeof MatchKind];

interface SearchEntry {
  movie: MovieRecord;
  /** Folded titles a query can equal or start with: "the matrix" and "matrix", and each alternative title. */
  spoken: string[];
  /** Folded title as people say it and as MovieLens files it ("matrix the"), for the fuzzy match. */
  fuzzy: [string, string];
  words: string[];
  wordSet: Set<string>;
}

interface RankedMovie {
  movie: MovieRecord;
  kind: MatchKind;
  /** Orders movies of one kind, lower first. */
  order: number;
}

/**
 * Title search over a whole catalogue as you type: exact and word matches first, then fuzzy ones
 * (typos and word order forgiven); accents and punctuation ignored; a year after the title
 * ("up 2009") keeps that year's movies. Among equally good matches the more-watched movie comes
 * first (Titanic 1997 before Titanic 1953). An empty query lists the whole catalogue by
 * popularity, so browsing works too (the list is virtualized).
 */
export class MovieSearch {
  private readonly entries: SearchEntry[];
  private readonly fuse: Fuse<SearchEntry>;
  private readonly byPopularity: MovieRecord[];
  private readonly years: YearSpan;

  constructor(readonly movies: MovieRecord[]) {
    this.entries = movies.map((movie): SearchEntry => {
      const natural = foldText(naturalTitle(movie.title));
      const filed = foldText(movie.title);
      const spoken = [...new Set(spokenTitles(movie.title).map(foldText))];
      return { movie, spoken, fuzzy: [natural, filed], words: natural.split(' '), wordSet: new Set(natural.split(' ')) };
    });
    this.fuse = new Fuse(this.entries, { keys: ['fuzzy'], threshold: 0.35, ignoreLocation: true, includeScore: true });
    this.byPopularity = [...movies].sort((a, b) => b.popularity - a.popularity);
    const known = movies.map((m) => m.year).filter((y): y is number => y !== null);
    // A year one past the newest movie still reads as a year (a catalogue a little behind the cinema).
    this.years = known.length > 0 ? { first: Math.min(...known), last: Math.max(...known) + 1 } : { first: 0, last: -1 };
  }

  /** How the search reads a query: its title words and the release year it asks for, if any. */
  readQuery(text: string): SearchQuery {
    return readQuery(text, this.years);
  }

  search(text: string, filter: MovieFilter = NO_FILTER, limit = Infinity): MovieRecord[] {
    const query = this.readQuery(text);
    if (query.words.length === 0) return this.byPopularity.filter((m) => matchesFilter(m, filter)).slice(0, limit);
    if (query.year !== null) {
      const year = query.year;
      // A title with the number in it ("Death Race 2000") still comes first when all its words match.
      const numbered = this.rank([...query.words, String(year)], filter, false).filter((r) => r.kind <= MatchKind.AllWords);
      const ofTheYear = this.rank(query.words, filter).filter((r) => r.movie.year === year);
      const both = [...new Map([...numbered, ...ofTheYear].map((r) => [r.movie.movieId, r.movie])).values()];
      if (both.length > 0) return both.slice(0, limit);
    }
    return this.rank(foldedWords(text), filter)
      .slice(0, limit)
      .map((r) => r.movie);
  }

  /**
   * Word matches, best first; only where there are none (with `fuzzy`), the fuzzy ones. Fuzzy
   * matches after word matches were noise: "silence of the lambs" listed The Silence of the Hams
   * and Village of the Damned under the film, while a typo ("silense") finds no word match anyway.
   */
  private rank(words: string[], filter: MovieFilter, fuzzy = true): RankedMovie[] {
    const phrase = words.join(' ');
    const ranked = new Map<number, RankedMovie>();
    for (const entry of this.entries) {
      const kind = wordMatch(entry, phrase, words);
      if (kind !== null && matchesFilter(entry.movie, filter)) {
        ranked.set(entry.movie.movieId, { movie: entry.movie, kind, order: -entry.movie.popularity });
      }
    }
    for (const hit of fuzzy && ranked.size === 0 ? this.fuse.search(phrase) : []) {
      const { movie } = hit.item;
      if (!matchesFilter(movie, filter)) continue;
      // Fuse scores are coarse for short queries: a small popularity prior breaks near-ties.
      ranked.set(movie.movieId, { movie, kind: MatchKind.Fuzzy, order: (hit.score ?? 1) - Math.log10(1 + movie.popularity) * 0.02 });
    }
    return [...ranked.values()].sort((a, b) => a.kind - b.kind || a.order - b.order);
  }

  /** Every genre in the catalogue, alphabetically, for the filter menu. */
  genres(): string[] {
    const set = new Set<string>();
    for (const m of this.movies) for (const g of m.genres) set.add(g);
    return [...set].sort();
  }
}

/**
 * The titles a person may say for one MovieLens title: "Léon: The Professional (a.k.a. The Professional) (Léon)"
 * is also "Léon: The Professional", "The Professional" and "Léon"; "Matrix, The" is "The Matrix" and "Matrix".
 */
function spokenTitles(title: string): string[] {
  const alternatives = [...title.matchAll(/\(([^()]+)\)/g)].map((m) => m[1].replace(/^a\.k\.a\.\s*/i, ''));
  const main = title.replace(/\s*\([^()]*\)/g, '').trim();
  return [title, main, ...alternatives].flatMap((t) => [naturalTitle(t), titleWithoutArticle(t)]);
}

function wordMatch(entry: SearchEntry, phrase: string, words: string[]): MatchKind | null {
  if (entry.spoken.includes(phrase)) return MatchKind.Exact;
  if (entry.spoken.some((t) => t.startsWith(phrase))) return MatchKind.Prefix;
  if (words.every((w) => entry.wordSet.has(w))) return MatchKind.AllWords;
  if (words.every((w) => entry.words.some((t) => t.startsWith(w)))) return MatchKind.WordPrefixes;
  return null;
}
