/**
 * Leave-one-out evaluation: each user's held-out item is scored together with its negatives
 * and ranked by `rankingMetrics` (the product's one HR@10 / NDCG@10).
 */
import type { InteractionSplit } from '../../data/interactions';
import { SeededRandom } from '../../shared/random';
import { rankOfHeldOut, RankingAccumulator } from '../metrics/rankingMetrics';
import type { SparseRows } from '../data/sparseRows';
import { sampleEvaluationCandidates } from '../sampling/negatives';

/** Scores the pairs (users[r], items[r]) into out[r], r < users.length; higher = more relevant. */
export type PairScorer = (users: Int32Array, items: Int32Array, out: Float32Array) => void;

export type EvaluationNegatives =
  /** Fixed negatives, e.g. the NCF `test.negative` file: `items[u * perUser + k]`. */
  | { kind: 'given'; items: Int32Array; perUser: number }
  /** Fresh uniform negatives the user never interacted with (`known` = `knownInteractions`), drawn with `seed`. */
  | { kind: 'sampled'; known: SparseRows; perUser: number; seed: number };

export interface RankingResult {
  hr10: number;
  ndcg10: number;
  users: number;
  seconds: number;
}

export interface EvaluationOptions {
  /** Evaluate only these users (default: all). Users without a held-out item are skipped. */
  users?: Int32Array;
  /** Each user's held-out item (default: the test items). Given negatives belong to the test items. */
  heldOut?: Int32Array;
  /** Users scored per scorer call. */
  usersPerCall?: number;
}

/**
 * Builds each user's candidate list (held-out item first, then negatives), scores many users
 * per scorer call, and averages HR@10 and NDCG@10.
 */
export function evaluateRanking(
  split: InteractionSplit,
  scorer: PairScorer,
  negatives: EvaluationNegatives,
  options: EvaluationOptions = {},
): RankingResult {
  const started = performance.now();
  const heldOut = options.heldOut ?? split.testItems;
  if (negatives.kind === 'given' && heldOut !== split.testItems) throw new Error('Given negatives rank the test items only.');
  const users = (options.users ?? Int32Array.from({ length: split.numUsers }, (_, u) => u)).filter((u) => heldOut[u] >= 0);
  const perUser = negatives.perUser;
  const candidates = perUser + 1;
  const usersPerCall = Math.max(1, options.usersPerCall ?? 256);
  const rng = negatives.kind === 'sampled' ? new SeededRandom(negatives.seed) : null;
  const callUsers = new Int32Array(usersPerCall * candidates);
  const callItems = new Int32Array(usersPerCall * candidates);
  const scores = new Float32Array(usersPerCall * candidates);
  const metrics = new RankingAccumulator();

  for (let first = 0; first < users.length; first += usersPerCall) {
    const count = Math.min(usersPerCall, users.length - first);
    for (let c = 0; c < count; c++) {
      const u = users[first + c];
      const base = c * candidates;
      const item = heldOut[u];
      callUsers.fill(u, base, base + candidates);
      callItems[base] = item;
      if (negatives.kind === 'given') {
        callItems.set(negatives.items.subarray(u * perUser, (u + 1) * perUser), base + 1);
      } else {
        callItems.set(sampleEvaluationCandidates(negatives.known, u, item, perUser, rng!), base + 1);
      }
    }
    const size = count * candidates;
    scorer(callUsers.subarray(0, size), callItems.subarray(0, size), scores.subarray(0, size));
    for (let c = 0; c < count; c++) {
      const base = c * candidates;
      metrics.addRank(rankOfHeldOut(scores, base, base, base + candidates));
    }
  }
  return {
    hr10: metrics.hr10,
    ndcg10: metrics.ndcg10,
    users: metrics.count,
    seconds: (performance.now() - started) / 1000,
  };
}
