/**
 * HR@10 / NDCG@10 of a catalogue scorer on a split's held-out items, two ways:
 * - sampled: against the given or seeded negatives, through the product's own `evaluateRanking`
 *   (the figure NeuMF is shown with);
 * - whole catalogue: against every item outside the user's training positives.
 * Both use the product's rank rule (rankingMetrics.ts): every other candidate scoring ≥ the
 * held-out item is ahead of it, so ties count against the model.
 */
import type { InteractionSplit } from '../../data/interactions';
import type { EvaluationNegatives } from '../evaluation/evaluateRanking';
import { evaluateRanking } from '../evaluation/evaluateRanking';
import { RankingAccumulator } from '../metrics/rankingMetrics';
import type { CatalogueScorer } from './catalogueScorer';
import type { SparseRows } from '../data/sparseRows';
import { buildUserHistories, rowOf } from '../data/sparseRows';

export interface ScorerEvaluation {
  sampled: { hr10: number; ndcg10: number };
  catalogue: { hr10: number; ndcg10: number };
  users: number;
  seconds: number;
}

/**
 * 0-based rank of `heldOut` among every item except `excluded` (sorted): how many other items
 * not excluded score at least as high (a NaN held-out score ranks last).
 */
export function catalogueRank(scores: Float32Array, numItems: number, heldOut: number, excluded: Int32Array): number {
  const target = scores[heldOut];
  let rank = 0;
  let e = 0;
  for (let i = 0; i < numItems; i++) {
    while (e < excluded.length && excluded[e] < i) e++;
    if (i === heldOut || (e < excluded.length && excluded[e] === i)) continue;
    if (!(scores[i] < target)) rank++;
  }
  return rank;
}

export function evaluateCatalogueScorer(
  split: InteractionSplit,
  scorer: CatalogueScorer,
  negatives: EvaluationNegatives,
  options: { users?: Int32Array; histories?: SparseRows } = {},
): ScorerEvaluation {
  const started = performance.now();
  const histories = options.histories ?? buildUserHistories(split);
  const scores = new Float32Array(scorer.numItems);
  const catalogue = new RankingAccumulator();
  let scoredUser = -1;
  // evaluateRanking hands over each user's candidates together: one full scoring per user, which
  // also gives that user's whole-catalogue rank.
  const sampled = evaluateRanking(
    split,
    (users, items, out) => {
      for (let r = 0; r < users.length; r++) {
        const u = users[r];
        if (u !== scoredUser) {
          scorer.scoreUser(u, scores);
          scoredUser = u;
          catalogue.addRank(catalogueRank(scores, scorer.numItems, split.testItems[u], rowOf(histories, u)));
        }
        out[r] = scores[items[r]];
      }
    },
    negatives,
    { users: options.users },
  );
  return {
    sampled: { hr10: sampled.hr10, ndcg10: sampled.ndcg10 },
    catalogue: { hr10: catalogue.hr10, ndcg10: catalogue.ndcg10 },
    users: sampled.users,
    seconds: (performance.now() - started) / 1000,
  };
}
