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
  candidateMovieIds: Int32Array;
}

/** HR@10 / NDCG@10 of the data set's model on its held-out interactions. */
export interface EvaluateRequest {
  type: 'evaluate';
  datasetId: number;
  /** Seed of the sampled unseen movies (EVALUATION_NEGATIVES) ranked with each held-out one. */
  seed: number;
}

export type RankingRequest = ScoreRequest | EvaluateRequest;

/** How the profile's taste vector was obtained for this scoring. */
export type ProfileVectorSource = 'trained' | 'folded-in' | 'folded-in-now';

export interface Scores {
  type: 'scores';
  /** In the order of the request's candidates. */
  scores: Float32Array;
  source: ProfileVectorSource;
  /** Seconds spent folding the profile in, when it happened for this request. */
  foldInSeconds: number | null;
  seconds: number;
  modelId: number;
}

export interface Evaluation {
  type: 'evaluation';
  hr10: number;
  ndcg10: number;
  users: number;
  seconds: number;
  modelId: number;
}

export type RankingAnswer = Scores | Evaluation | { type: 'no-model' };
