import type { ProfileVectorSource, Scores } from '../bridge/rankingMessages';
import { matchesFilter, type MovieFilter } from '../search/movieSearch';
import type { MovieRecord, RecommenderKind } from '../storage/db';
import { drawRandomCandidates, excludedMovies } from './candidates';
import { matchScores, popularityPenalties } from './matchScore';

/**
 * "Recommend" from the catalogue to the list shown: candidates, the model's scores, match scores,
 * an optional re-rank against popularity, the whole ranked order (the page shows it ten at a
 * time). The scorer is passed in (the ranking worker in the app, a fake in tests), so the whole
 * flow runs without a browser.
 */

/** As the original app: the model picks its top ten of this many random unseen movies. */
export const RANDOM_CANDIDATES = 100;
export const TOP_K = 10;

export type RecommendMode = 'random' | 'catalogue';

export interface RecommendRequest {
  mode: RecommendMode;
  /** The active data set's movies. */
  catalogue: readonly MovieRecord[];
  seen: Iterable<number>;
  onWatchlist: Iterable<number>;
  /** Movies the person said are "not for me": never recommended again. */
  dismissed: Iterable<number>;
  /** For the whole catalogue only. */
  filter: MovieFilter;
  /** For the whole catalogue only: trade some of the model's safe bets (blockbusters) for lesser-known films. */
  discover: boolean;
  /** Draws the random candidates. */
  seed: number;
}

/** Scores for the candidates in their order, or null when the data set has no trained model. */
export type Scorer = (candidateMovieIds: Float64Array) => Promise<Scores | null>;

export interface Recommendation {
  movie: MovieRecord;
  /** 0..100 (matchScore.ts). */
  match: number;
  /** With the discovery re-rank: the value the list is sorted by (match minus popularity penalty); else null. */
  discovery: number | null;
}

export interface RankingInfo {
  /** The request's mode: what the list's matches are relative to (the catalogue, or the films drawn). */
  mode: RecommendMode;
  source: ProfileVectorSource;
  foldInSeconds: number | null;
  seconds: number;
  candidates: number;
  modelId: number;
  kind: RecommenderKind;
  /** The discovery re-rank changed the order of the top ten. */
  reranked: boolean;
}

export type RecommendOutcome =
  | { kind: 'no-candidates' }
  | { kind: 'no-model' }
  /** `recommendations`: every candidate, best first; show a prefix. */
  | { kind: 'ranked'; recommendations: Recommendation[]; info: RankingInfo };

/** The movies to rank: never one the profile has seen, put on its watch-list or dismissed. */
export function candidateMovieIds(request: Omit<RecommendRequest, 'discover'>): number[] {
  const excluded = excludedMovies(request.seen, request.onWatchlist, request.dismissed);
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
  const scored = await score(Float64Array.from(candidates));
  if (!scored) return { kind: 'no-model' };
  const movieById = new Map(request.catalogue.map((m) => [m.movieId, m]));
  const movies = candidates.map((id) => movieById.get(id)!);
  const match = matchScores(scored.scores);
  const discover = request.mode === 'catalogue' && request.discover;
  const penalty = discover ? popularityPenalties(movies.map((m) => m.popularity)) : null;
  const byModel = rankedOrder(scored.scores, candidates);
  const order = penalty
    ? rankedOrder(
        Float32Array.from(match, (m, i) => m - penalty[i]),
        candidates,
      )
    : byModel;
  const recommendations = order.map((i) => ({ movie: movies[i], match: match[i], discovery: penalty ? match[i] - penalty[i] : null }));
  const reranked = order.slice(0, TOP_K).some((i, k) => i !== byModel[k]);
  return {
    kind: 'ranked',
    recommendations,
    info: {
      mode: request.mode,
      source: scored.source,
      foldInSeconds: scored.foldInSeconds,
      seconds: scored.seconds,
      candidates: candidates.length,
      modelId: scored.modelId,
      kind: scored.kind,
      reranked,
    },
  };
}

/** Candidate indices by score, best first; on equal scores the smaller movieId first, so results are stable. */
function rankedOrder(scores: ArrayLike<number>, movieIds: number[]): number[] {
  return Array.from({ length: movieIds.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || movieIds[a] - movieIds[b]);
}

/**
 * The list after a movie leaves it (seen, dismissed, put on the watch-list elsewhere): the movies
 * still shown keep their places, and the list refills to `size` from `fresh` (a new ranking, e.g.
 * with the profile refitted), skipping what is shown or excluded. Every movie shows its match of
 * `fresh` where it has one: matches are relative to one ranking's best and average, and a list
 * mixing two rankings showed a film that came in last at a higher match than the ones above it.
 */
export function refill(shown: Recommendation[], fresh: Recommendation[], excluded: Set<number>, size: number): Recommendation[] {
  const freshById = new Map(fresh.map((r) => [r.movie.movieId, r]));
  const kept = shown.filter((r) => !excluded.has(r.movie.movieId)).map((r) => freshById.get(r.movie.movieId) ?? r);
  const present = new Set(kept.map((r) => r.movie.movieId));
  for (const r of fresh) {
    if (kept.length >= size) break;
    if (!present.has(r.movie.movieId) && !excluded.has(r.movie.movieId)) {
      kept.push(r);
      present.add(r.movie.movieId);
    }
  }
  return kept;
}
