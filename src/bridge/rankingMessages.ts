/** Scores candidate movies for one profile with the data set's trained model. */
export interface ScoreRequest {
  type: 'score';
  requestId: number;
  datasetId: number;
  profileId: number;
  /** The profile's history as it is now: if the model learned an older one, the profile is folded in first. */
  historyMovieIds: number[];
  historyChangedAt: number;
  candidateMovieIds: Int32Array;
}

/** HR@10 / NDCG@10 of the data set's trained model on its held-out interactions. */
export interface EvaluateRequest {
  type: 'evaluate';
  requestId: number;
  datasetId: number;
  /** Seed of the 99 sampled unseen movies per held-out one. */
  seed: number;
}

export type RankingRequest = ScoreRequest | EvaluateRequest;

/** How the profile's taste vector was obtained for this scoring. */
export type ProfileVectorSource = 'trained' | 'folded-in' | 'folded-in-now';

export type RankingEvent =
  | {
      type: 'scores';
      requestId: number;
      scores: Float32Array;
      source: ProfileVectorSource;
      /** Seconds spent folding the profile in, when it happened for this request. */
      foldInSeconds: number | null;
      seconds: number;
      modelId: number;
    }
  | { type: 'evaluation'; requestId: number; hr10: number; ndcg10: number; users: number; seconds: number; modelId: number }
  | { type: 'no-model'; requestId: number }
  | { type: 'failed'; requestId: number; message: string };
