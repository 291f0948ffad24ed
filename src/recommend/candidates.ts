import { SeededRandom } from '../shared/random';

/** Movies a recommendation must never show: what the profile has seen, plans to watch, or said is not for it. */
export function excludedMovies(history: Iterable<number>, watchlist: Iterable<number>, dismissed: Iterable<number> = []): Set<number> {
  return new Set([...history, ...watchlist, ...dismissed]);
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
