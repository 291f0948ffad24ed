/**
 * Full-catalogue evaluation (docs/EVALUATION.md): each user's held-out movie is ranked among
 * EVERY movie the user is not known to have seen, not among 99 sampled ones. Sampled metrics
 * reward a model for beating random obscure movies, which any popularity ranking does; they hide
 * how a model orders the head of the catalogue, where recommendations are made (Krichene &
 * Rendle, "On Sampled Metrics for Item Recommendation", KDD 2020).
 *
 * The rank is the product's one rank (`rankOfHeldOut`: ties count against the model); each
 * user's top 10 among the same candidates feeds coverage@10 and the top-100 share@10.
 */
import { SeededRandom } from '../../shared/random';
import { popularHead, TopListAccumulator } from '../metrics/catalogueMetrics';
import { CUTOFF, rankOfHeldOut, RankingAccumulator } from '../metrics/rankingMetrics';
import type { SparseRows } from '../data/sparseRows';

/** Writes the score of every item (0 .. numItems-1) for `user` into `out`; higher = more relevant. */
export type UserScorer = (user: number, out: Float32Array) => void;

/** `UserScorer` for several users at once: user k's scores into `out[k * numItems ..]`. */
export type UsersScorer = (users: Int32Array, out: Float32Array) => void;

/** Scores in one block of users' whole catalogues (~4 MB), scored together so a `UsersScorer` can share them out. */
const SCORES_PER_BLOCK = 1 << 20;

/** Users in one such block: as many whole catalogues of `numItems` as fit, at least one. */
export function usersPerScoringBlock(numItems: number): number {
  return Math.max(1, Math.floor(SCORES_PER_BLOCK / Math.max(1, numItems)));
}

export interface FullCatalogueResult {
  hr10: number;
  ndcg10: number;
  coverage10: number;
  top100Share10: number;
  users: number;
  seconds: number;
}

export interface FullCatalogueInput {
  numItems: number;
  /** The users to evaluate; those whose `heldOut` is -1 are skipped. */
  users: Int32Array;
  /** `heldOut[u]`: user u's held-out item (validation or test). */
  heldOut: Int32Array;
  /** Everything each user is known to have seen (`knownInteractions`), the held-out item included. */
  known: SparseRows;
  /** Training interactions per item (`itemTrainingCounts`), for the top-100 share. */
  popularity: Int32Array;
  scoreUser: UserScorer;
  /** When given, scores each block of users in one call (on several threads); the figures are the same. */
  scoreUsers?: UsersScorer;
}

export function evaluateFullCatalogue(input: FullCatalogueInput): FullCatalogueResult {
  const started = performance.now();
  const { numItems, users, heldOut, known, scoreUser } = input;
  const evaluated = users.filter((u) => heldOut[u] >= 0);
  const perBlock = usersPerScoringBlock(numItems);
  const blockScores = new Float32Array(Math.min(perBlock, Math.max(1, evaluated.length)) * numItems);
  const scoreBlock: UsersScorer =
    input.scoreUsers ?? ((block, out) => block.forEach((u, k) => scoreUser(u, out.subarray(k * numItems, (k + 1) * numItems))));
  const excluded = new Uint8Array(numItems);
  const top = new Int32Array(CUTOFF);
  const ranking = new RankingAccumulator();
  const lists = new TopListAccumulator(numItems, popularHead(input.popularity));

  for (let k = 0; k < evaluated.length; k++) {
    const u = evaluated[k];
    const h = heldOut[u];
    const inBlock = k % perBlock;
    if (inBlock === 0) scoreBlock(evaluated.subarray(k, k + perBlock), blockScores);
    const scores = blockScores.subarray(inBlock * numItems, (inBlock + 1) * numItems);
    const lo = known.offsets[u];
    const hi = known.offsets[u + 1];
    // Rank among every item, then take back the known ones that were counted.
    let rank = rankOfHeldOut(scores, h, 0, numItems);
    for (let p = lo; p < hi; p++) {
      const item = known.entries[p];
      if (item === h || excluded[item]) continue; // the held-out item, or a repeated entry
      excluded[item] = 1;
      if (!(scores[item] < scores[h])) rank--;
    }
    ranking.addRank(rank);
    lists.addList(top, topCandidates(scores, excluded, top));
    for (let p = lo; p < hi; p++) excluded[known.entries[p]] = 0;
  }
  return {
    hr10: ranking.hr10,
    ndcg10: ranking.ndcg10,
    coverage10: lists.coverage10,
    top100Share10: lists.top100Share10,
    users: ranking.count,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The best-scored items that are not excluded, best first, into `top`; returns how many. On equal
 * scores the smaller item comes first (as the Recommend page orders them); NaN scores come last.
 */
export function topCandidates(scores: Float32Array, excluded: Uint8Array, top: Int32Array): number {
  const k = top.length;
  let count = 0;
  for (let item = 0; item < scores.length; item++) {
    if (excluded[item]) continue;
    const s = scores[item];
    if (s !== s) continue;
    if (count === k && !(s > scores[top[k - 1]])) continue;
    // Insertion into the sorted list; items arrive in ascending order, so ">" keeps the smaller first on ties.
    let at = count < k ? count++ : k - 1;
    while (at > 0 && s > scores[top[at - 1]]) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = item;
  }
  return count;
}

/**
 * The users a full-catalogue evaluation ranks: every user with a held-out item, or a fixed
 * seeded sample of `maxUsers` of them (ascending) where all would take too long.
 */
export function fullCatalogueUsers(heldOut: Int32Array, maxUsers: number, seed: number): Int32Array {
  const eligible: number[] = [];
  for (let u = 0; u < heldOut.length; u++) if (heldOut[u] >= 0) eligible.push(u);
  if (eligible.length <= maxUsers) return Int32Array.from(eligible);
  const rng = new SeededRandom(seed);
  for (let i = 0; i < maxUsers; i++) {
    const j = i + rng.nextInt(eligible.length - i);
    [eligible[i], eligible[j]] = [eligible[j], eligible[i]];
  }
  return Int32Array.from(eligible.slice(0, maxUsers)).sort();
}
