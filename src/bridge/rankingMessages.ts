import type { HeldOutMetrics } from '../engine/evaluation/heldOutEvaluation';
import type { RecommenderKind } from '../storage/db';
import type { RecommenderChoice } from '../storage/modelStore';

/**
 * Calls to the long-lived ranking worker. Both read the data set's current model; the worker keeps
 * it loaded between calls and answers `{ type: 'no-model' }` while the data set has none.
 */

/** Scores candidate movies for one profile. */
export interface ScoreRequest {
  type: 'score';
  datasetId: number;
  profileId: number;
  /** The profile's history as it is now: if the model learned an older one, the profile is folded in first. */
  historyMovieIds: number[];
  /** The profile's history version, to tell whether the model (or a stored fold-in) learned this history. */
  historyChangedAt: number;
  /** Transferred to the worker, not copied: the caller's array is empty afterwards. */
  candidateMovieIds: Float64Array;
  /** Which of the data set's models scores: 'best' on validation, or a kind the person picked. */
  model: RecommenderChoice;
}

/** The held-out figures (docs/EVALUATION.md) of one of the data set's current models, measured again. */
export interface EvaluateRequest {
  type: 'evaluate';
  datasetId: number;
  /** Which model: the id of one of the data set's current models. */
  modelId: number;
}

/** "Why this film" for recommended movies: the history movies most watched by the same people. */
export interface ExplainRequest {
  type: 'explain';
  datasetId: number;
  movieIds: number[];
  historyMovieIds: number[];
}

export type RankingRequest = ScoreRequest | EvaluateRequest | ExplainRequest;

/**
 * How the profile's taste reached the model for this scoring: NeuMF's trained row, a stored or new
 * fold-in; a baseline's closed form over the current history.
 */
export type ProfileVectorSource = 'trained' | 'folded-in' | 'folded-in-now' | 'closed-form';

export interface Scores {
  type: 'scores';
  /** In the order of the request's candidates: the model's score (NeuMF: the logit), comparable within one answer only. */
  scores: Float32Array;
  source: ProfileVectorSource;
  /** Seconds spent folding the profile in, when it happened for this request. */
  foldInSeconds: number | null;
  seconds: number;
  modelId: number;
  kind: RecommenderKind;
}

export interface Evaluation extends HeldOutMetrics {
  type: 'evaluation';
  modelId: number;
}

export interface Reasons {
  type: 'reasons';
  /** Per movie asked about (same order): the history movies to name, best first (may be empty). */
  because: number[][];
}

export type RankingAnswer = Scores | Evaluation | Reasons | { type: 'no-model' };
