/**
 * The product's one definition of HR@10 and NDCG@10 (leave-one-out ranking, He et al. 2017):
 * the held-out item is ranked against its sampled negatives by score.
 *
 * Ties count AGAINST the model: every other candidate scoring >= the held-out item is placed
 * ahead of it. Otherwise a model that scores everything the same would rank the held-out item
 * first and get HR@10 = 1. A NaN held-out score is treated as the worst rank for the same reason.
 */

export const CUTOFF = 10;

/** The product's HR@10 ranks each held-out movie among this many movies the user never interacted with. */
export const EVALUATION_NEGATIVES = 99;
/** Seed of those sampled candidates, shared by training's per-epoch curve and the Evaluate page, so both rank the same lists. */
export const EVALUATION_SEED = 99;

/**
 * 0-based rank of `scores[heldOutIndex]` among `scores[start .. end)`: how many of the other
 * candidates score at least as high.
 */
export function rankOfHeldOut(scores: ArrayLike<number>, heldOutIndex: number, start = 0, end = scores.length): number {
  const heldOut = scores[heldOutIndex];
  let rank = 0;
  for (let c = start; c < end; c++) {
    // `!(s < h)` is `s >= h` that also counts NaN against the model.
    if (c !== heldOutIndex && !(scores[c] < heldOut)) rank++;
  }
  return rank;
}

export function hitRateAt10(rank: number): number {
  return rank < CUTOFF ? 1 : 0;
}

export function ndcgAt10(rank: number): number {
  return rank < CUTOFF ? 1 / Math.log2(rank + 2) : 0;
}

/** Running means of HR@10 and NDCG@10 over users. */
export class RankingAccumulator {
  private hits = 0;
  private gains = 0;
  count = 0;

  addRank(rank: number): void {
    this.hits += hitRateAt10(rank);
    this.gains += ndcgAt10(rank);
    this.count++;
  }

  get hr10(): number {
    return this.count === 0 ? 0 : this.hits / this.count;
  }

  get ndcg10(): number {
    return this.count === 0 ? 0 : this.gains / this.count;
  }
}
