/**
 * The product's whole evaluation of a model on a split's held-out movies (docs/EVALUATION.md), one
 * call per epoch or fitted model, the same for NeuMF and the baselines:
 * - validation, full catalogue (HR@10, NDCG@10): what epochs, settings and models are chosen on;
 * - test, the seed's metric: the test movie among 99 sampled (or the NCF file's given) unseen ones;
 * - test, full catalogue, with coverage@10 and the top-100 share@10 of the top-10 lists.
 *
 * Full-catalogue ranking scores every movie for every evaluated user. Where that would take
 * more than `FULL_CATALOGUE_PAIRS` scores per held-out part, a fixed seeded sample of users is
 * ranked (the same users every epoch), and `fullUsers` says how many.
 */
import type { InteractionSplit } from '../../data/interactions';
import type { SparseRows } from '../data/sparseRows';
import { buildUserHistories, itemTrainingCounts, knownInteractions } from '../data/sparseRows';
import { EVALUATION_SEED } from '../metrics/rankingMetrics';
import { evaluateRanking, type EvaluationNegatives, type PairScorer } from './evaluateRanking';
import { evaluateFullCatalogue, fullCatalogueUsers, type UserScorer, type UsersScorer } from './fullCatalogue';

/**
 * Scores a full-catalogue evaluation may compute per held-out part: ~3 s of default NeuMF scoring
 * on one thread here. Why this many: every user of ml-1m fits (6,040 × 3,706 = 22.4M). With a
 * quarter of it (1,618 users) the validation figure's noise (~0.006 of NDCG@10) was the size of
 * the steps between epochs, so which epoch a run kept was partly a draw: of runs that differ only
 * by their thread count, one pair in three kept test figures within 0.01 of each other; on every
 * user five pairs of five did, within 0.006 (docs/BENCHMARKS.md, "Every ml-1m user in the
 * evaluation").
 */
export const FULL_CATALOGUE_PAIRS = 24_000_000;

/** What the evaluation needs of a model: every item's score for a user, and optionally pair scores. */
export interface ScoringModel {
  scoreUser: UserScorer;
  /** Scores of (user, item) pairs for the sampled metric; without it they are read from `scoreUser`. */
  scorePairs?: PairScorer;
  /** Several users' whole-catalogue scores at once (e.g. on several threads); without it, `scoreUser` one by one. */
  scoreUsers?: UsersScorer;
}

/** One evaluation's figures; the keys the Train page, the Evaluate page and the bench show. */
export interface HeldOutMetrics {
  /** Test, among 99 sampled (or given) unseen movies: the original app's metric. */
  hr10: number;
  ndcg10: number;
  /** Validation, full catalogue: what choices are made on. */
  valHr10: number;
  valNdcg10: number;
  /** Test, full catalogue. */
  fullHr10: number;
  fullNdcg10: number;
  coverage10: number;
  top100Share10: number;
  /** Users ranked against the full catalogue (per part: all, or the fixed sample). */
  fullUsers: number;
  evalSeconds: number;
}

/** Everything an evaluation reuses from epoch to epoch: built once per split. */
export interface HeldOutEvaluation {
  split: InteractionSplit;
  /** Each user's every known interaction: what candidates are drawn outside of. */
  known: SparseRows;
  /** The data set users' training interactions per item (the top-100 share's "popular"). */
  popularity: Int32Array;
  /** The sampled metric's candidates: the NCF file's given negatives, or sampled ones. */
  sampled: EvaluationNegatives;
  /** The data set's users whose test movie the sampled metric ranks (profiles have none). */
  users: Int32Array;
  validationUsers: Int32Array;
  testUsers: Int32Array;
}

export interface HeldOutEvaluationOptions {
  /** The NCF file's negatives per user, `perUser` each; null: sample them (seeded). */
  givenNegatives?: { items: Int32Array; perUser: number } | null;
  /** Unseen movies per held-out one when sampling (the product's 99). */
  perUser: number;
  /** Users with held-out movies: the data set's first `evaluatedUsers` (profiles come after them). */
  evaluatedUsers?: number;
  /** Most users ranked against the full catalogue per part; default: what `FULL_CATALOGUE_PAIRS` allows. */
  maxFullUsers?: number;
  histories?: SparseRows;
}

export function planHeldOutEvaluation(split: InteractionSplit, options: HeldOutEvaluationOptions): HeldOutEvaluation {
  const histories = options.histories ?? buildUserHistories(split);
  const known = knownInteractions(split, histories);
  const evaluated = options.evaluatedUsers ?? split.numUsers;
  // The data set's own users only: the figures do not depend on which profiles trained with it.
  const popularity = itemTrainingCounts({
    ...histories,
    rows: evaluated,
    entries: histories.entries.subarray(0, histories.offsets[evaluated]),
  });
  const users = Int32Array.from({ length: evaluated }, (_, u) => u);
  const maxFull = options.maxFullUsers ?? Math.max(1, Math.floor(FULL_CATALOGUE_PAIRS / Math.max(1, split.numItems)));
  const evaluatedOnly = (items: Int32Array) => items.map((item, u) => (u < evaluated ? item : -1));
  const given = options.givenNegatives;
  return {
    split,
    known,
    popularity,
    sampled: given
      ? { kind: 'given', items: given.items, perUser: given.perUser }
      : { kind: 'sampled', known, perUser: options.perUser, seed: EVALUATION_SEED },
    users,
    validationUsers: fullCatalogueUsers(evaluatedOnly(split.validationItems), maxFull, EVALUATION_SEED),
    testUsers: fullCatalogueUsers(evaluatedOnly(split.testItems), maxFull, EVALUATION_SEED),
  };
}

export function evaluateHeldOut(plan: HeldOutEvaluation, model: ScoringModel): HeldOutMetrics {
  const started = performance.now();
  const { split, known, popularity } = plan;
  const numItems = split.numItems;
  const full = (users: Int32Array, heldOut: Int32Array) =>
    evaluateFullCatalogue({ numItems, users, heldOut, known, popularity, scoreUser: model.scoreUser, scoreUsers: model.scoreUsers });
  const validation = full(plan.validationUsers, split.validationItems);
  const test = full(plan.testUsers, split.testItems);
  const sampled = evaluateRanking(split, model.scorePairs ?? pairsFromUserScores(model.scoreUser, numItems), plan.sampled, {
    users: plan.users,
  });
  return {
    hr10: sampled.hr10,
    ndcg10: sampled.ndcg10,
    valHr10: validation.hr10,
    valNdcg10: validation.ndcg10,
    fullHr10: test.hr10,
    fullNdcg10: test.ndcg10,
    coverage10: test.coverage10,
    top100Share10: test.top100Share10,
    fullUsers: test.users,
    evalSeconds: (performance.now() - started) / 1000,
  };
}

/** Pair scores read from whole-catalogue scores; `evaluateRanking` hands each user's pairs over together. */
function pairsFromUserScores(scoreUser: UserScorer, numItems: number): PairScorer {
  const scores = new Float32Array(numItems);
  let scored = -1;
  return (users, items, out) => {
    for (let r = 0; r < users.length; r++) {
      if (users[r] !== scored) {
        scored = users[r];
        scoreUser(scored, scores);
      }
      out[r] = scores[items[r]];
    }
  };
}
