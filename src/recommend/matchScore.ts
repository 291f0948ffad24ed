/**
 * What the Recommend page shows beside each movie, for any model (their raw scores mean nothing to
 * a person, and NeuMF's sigmoid reads 95-99 % for every film it would recommend):
 * - match: where the movie's score falls between the average candidate (0) and the person's best
 *   match (100). Scores are compared only within one ranking, where they are comparable.
 * - discovery (with "Favour lesser-known films"): the match minus a popularity penalty of up to
 *   `DISCOVERY_PENALTY` points, most for the most-watched movie of the catalogue.
 */

/** Points the most popular movie loses in the discovery order; a movie nobody saw loses none. */
export const DISCOVERY_PENALTY = 40;

/**
 * One line for the page: what the match number means. Among `drawn` random films the best of them is 100,
 * however the model rates it against the catalogue, and the line says so.
 */
export function matchExplanation(drawn: number | null = null): string {
  return drawn === null
    ? 'Match: how close the model rates a film to your best match (100); an average film here is 0.'
    : `Match: how close the model rates a film to your best match among these ${drawn} (100); an average one of them is 0.`;
}
export const DISCOVERY_EXPLANATION = `Re-ranked by discovery: the match minus up to ${DISCOVERY_PENALTY} points for how many people have seen the film.`;

/** Match scores (0..100) of every candidate from the model's scores over the same candidates. */
export function matchScores(scores: ArrayLike<number>): Float32Array {
  let sum = 0;
  let top = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    sum += scores[i];
    if (scores[i] > top) top = scores[i];
  }
  const mean = scores.length > 0 ? sum / scores.length : 0;
  const span = top - mean;
  const out = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    out[i] = span > 0 ? Math.max(0, Math.min(100, (100 * (scores[i] - mean)) / span)) : 100;
  }
  return out;
}

/**
 * A match (or discovery) value as the page prints it: whole points, where only the best match itself
 * reads 100. Near the top of a ranking over thousands of films, several best candidates round up to 100,
 * and three "match 100" films would say they tie when the ranking says they do not.
 */
export function shownPoints(points: number): number {
  return points >= 100 ? 100 : Math.min(99, Math.round(points));
}

/** The popularity penalty of each candidate in discovery points: log-scaled against the most popular. */
export function popularityPenalties(popularity: ArrayLike<number>): Float32Array {
  let most = 0;
  for (let i = 0; i < popularity.length; i++) most = Math.max(most, popularity[i]);
  const out = new Float32Array(popularity.length);
  const scale = most > 0 ? DISCOVERY_PENALTY / Math.log1p(most) : 0;
  for (let i = 0; i < popularity.length; i++) out[i] = scale * Math.log1p(popularity[i]);
  return out;
}
