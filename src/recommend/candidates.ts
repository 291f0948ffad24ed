import { SeededRandom } from '../shared/random';

/** Movies a recommendation must never show: what the profile has seen or already plans to watch. */
export function excludedMovies(history: Iterable<number>, watchlist: Iterable<number>): Set<number> {
  return new Set([...history, ...watchlist]);
}

/**
 * "Recommend" as the original app did it: 100 random movies of the catalogue the person has not
 * seen (nor put on the watch-list), from which the model picks its top 10.
 */
export function drawRandomCandidates(catalogueMovieIds: ArrayLike<number>, excluded: Set<number>, count: number, seed: number): number[] {
  const pool: number[] = [];
  for (let i = 0; i < catalogueMovieIds.length; i++) if (!excluded.has(catalogueMovieIds[i])) pool.push(catalogueMovieIds[i]);
  const rng = new SeededRandom(seed);
  // Partial Fisher-Yates: only the first `count` positions need to be random.
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.nextInt(pool.length - i);
    const t = pool[i];
    pool[i] = pool[j];
    pool[j] = t;
  }
  return pool.slice(0, n);
}

export interface ScoredMovie {
  movieId: number;
  score: number;
}

/** The k best-scored movies, best first; on equal scores the smaller movieId first, so results are stable. */
export function topK(movieIds: ArrayLike<number>, scores: ArrayLike<number>, k: number): ScoredMovie[] {
  const order = Array.from({ length: movieIds.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || movieIds[a] - movieIds[b]);
  return order.slice(0, k).map((i) => ({ movieId: movieIds[i], score: scores[i] }));
}

/**
 * Scores re-weighted against popularity, for "lesser-known films": the model's logit minus
 * `strength` times the log of how many people saw the movie. Implicit-feedback models rank the
 * blockbusters first for almost everyone (a most-popular list is a strong baseline); this lets a
 * person trade some of that safety for discovery. strength 0 keeps the model's order.
 */
export function popularityAdjustedScores(scores: ArrayLike<number>, popularity: ArrayLike<number>, strength: number): Float32Array {
  const out = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    const p = Math.min(Math.max(scores[i], 1e-7), 1 - 1e-7);
    out[i] = Math.log(p / (1 - p)) - strength * Math.log1p(popularity[i]);
  }
  return out;
}
