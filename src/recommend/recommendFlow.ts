import type { ProfileVectorSource, Scores } from '../bridge/rankingMessages';
import { matchesFilter, type MovieFilter } from '../search/movieSearch';
import type { MovieRecord } from '../storage/db';
import { drawRandomCandidates, excludedMovies, popularityAdjustedScores, topK } from './candidates';

/**
 * "Recommend" from the catalogue to the list shown: candidates, the model's scores, an optional
 * re-rank against popularity, the top k. The scorer is passed in (the ranking worker in the app, a
 * fake in tests), so the whole flow runs without a browser.
 */

/** As the original app: the model picks its top ten of this many random unseen movies. */
export const RANDOM_CANDIDATES = 100;
export const TOP_K = 10;
/** How far "Favour lesser-known films" pushes the ranking away from popularity (0 keeps the model's order). */
export const DISCOVER_STRENGTH = 0.5;

export type RecommendMode = 'random' | 'catalogue';

export interface RecommendRequest {
  mode: RecommendMode;
  /** The active data set's movies. */
  catalogue: readonly MovieRecord[];
  seen: Iterable<number>;
  onWatchlist: Iterable<number>;
  /** For the whole catalogue only. */
  filter: MovieFilter;
  /** For the whole catalogue only: trade some of the model's safe bets (blockbusters) for lesser-known films. */
  discover: boolean;
  /** Draws the random candidates. */
  seed: number;
}

/** Scores for the candidates in their order, or null when the data set has no trained model. */
export type Scorer = (candidateMovieIds: Int32Array) => Promise<Scores | null>;

export interface Recommendation {
  movie: MovieRecord;
  /** Always the model's own confidence, whatever the order. */
  score: number;
}

export interface RankingInfo {
  source: ProfileVectorSource;
  foldInSeconds: number | null;
  seconds: number;
  candidates: number;
}

export type RecommendOutcome =
  { kind: 'no-candidates' } | { kind: 'no-model' } | { kind: 'ranked'; recommendations: Recommendation[]; info: RankingInfo };

/** The movies to rank: never one the profile has seen or already put on its watch-list. */
export function candidateMovieIds(request: Omit<RecommendRequest, 'discover'>): number[] {
  const excluded = excludedMovies(request.seen, request.onWatchlist);
  if (request.mode === 'random') {
    return drawRandomCandidates(
      request.catalogue.map((m) => m.movieId),
      excluded,
      RANDOM_CANDIDATES,
      request.seed,
    );
  }
  return request.catalogue.filter((m) => !excluded.has(m.movieId) && matchesFilter(m, request.filter)).map((m) => m.movieId);
}

export async function recommend(request: RecommendRequest, score: Scorer): Promise<RecommendOutcome> {
  const candidates = candidateMovieIds(request);
  if (candidates.length === 0) return { kind: 'no-candidates' };
  const scored = await score(Int32Array.from(candidates));
  if (!scored) return { kind: 'no-model' };
  const movieById = new Map(request.catalogue.map((m) => [m.movieId, m]));
  const movie = (id: number): MovieRecord => movieById.get(id)!;
  const ranking =
    request.mode === 'catalogue' && request.discover
      ? popularityAdjustedScores(
          scored.scores,
          candidates.map((id) => movie(id).popularity),
          DISCOVER_STRENGTH,
        )
      : scored.scores;
  const scoreOf = new Map(candidates.map((id, i) => [id, scored.scores[i]]));
  const recommendations = topK(candidates, ranking, TOP_K).map(({ movieId }) => ({ movie: movie(movieId), score: scoreOf.get(movieId)! }));
  return {
    kind: 'ranked',
    recommendations,
    info: { source: scored.source, foldInSeconds: scored.foldInSeconds, seconds: scored.seconds, candidates: candidates.length },
  };
}
