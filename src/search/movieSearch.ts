import Fuse from 'fuse.js';
import { naturalTitle, titleWithoutArticle } from '../data/movieInfo';
import type { MovieRecord } from '../storage/db';

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

export function matchesFilter(movie: MovieRecord, filter: MovieFilter): boolean {
  if (filter.genre && !movie.genres.includes(filter.genre)) return false;
  // An emptied number field gives null or undefined: both mean "no bound".
  if (filter.yearFrom != null && (movie.year === null || movie.year < filter.yearFrom)) return false;
  if (filter.yearTo != null && (movie.year === null || movie.year > filter.yearTo)) return false;
  return true;
}

/**
 * Fuzzy title search over a whole catalogue (typos and word order forgiven), best matches first;
 * among equally good matches the better-known movie comes first. An empty query lists the
 * whole catalogue by popularity, so browsing works too (the list is virtualized).
 */
interface SearchEntry {
  movie: MovieRecord;
  /** The title as people say it ("The Matrix") and as MovieLens files it ("Matrix, The"). */
  titles: [string, string];
  /** Lower-case forms a query can equal or start with: "the matrix" and "matrix". */
  spoken: [string, string];
}

export class MovieSearch {
  private readonly fuse: Fuse<SearchEntry>;
  private readonly byPopularity: MovieRecord[];

  constructor(readonly movies: MovieRecord[]) {
    const entries = movies.map((movie): SearchEntry => {
      const natural = naturalTitle(movie.title);
      return {
        movie,
        titles: [natural, movie.title],
        spoken: [natural.toLocaleLowerCase(), titleWithoutArticle(movie.title).toLocaleLowerCase()],
      };
    });
    this.fuse = new Fuse(entries, {
      keys: ['titles'],
      threshold: 0.35,
      ignoreLocation: true,
      includeScore: true,
    });
    this.byPopularity = [...movies].sort((a, b) => b.popularity - a.popularity);
  }

  search(query: string, filter: MovieFilter = NO_FILTER, limit = Infinity): MovieRecord[] {
    const q = query.trim();
    if (q.length === 0) return this.byPopularity.filter((m) => matchesFilter(m, filter)).slice(0, limit);
    const lower = q.toLocaleLowerCase();
    const hits = this.fuse.search(q).filter((hit) => matchesFilter(hit.item.movie, filter));
    // Fuse scores are coarse for short queries: the exact title wins, then titles that start with the
    // query, and a small popularity prior breaks near-ties ("her" finds Her before "Hero").
    const ranked = hits
      .map((hit) => {
        const { spoken } = hit.item;
        const bonus = spoken.includes(lower) ? 1 : spoken.some((t) => t.startsWith(lower)) ? 0.1 : 0;
        return { movie: hit.item.movie, score: (hit.score ?? 1) - bonus - Math.log10(1 + hit.item.movie.popularity) * 0.02 };
      })
      .sort((a, b) => a.score - b.score);
    return ranked.slice(0, limit).map((r) => r.movie);
  }

  /** Every genre in the catalogue, alphabetically, for the filter menu. */
  genres(): string[] {
    const set = new Set<string>();
    for (const m of this.movies) for (const g of m.genres) set.add(g);
    return [...set].sort();
  }
}
