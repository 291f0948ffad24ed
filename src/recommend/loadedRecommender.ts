/**
 * A trained model of any kind, loaded for ranking: every movie's score for a profile's current
 * history, and for the data set's own users (evaluation). NeuMF scores through the fused kernels
 * with the profile's trained, stored or freshly folded-in user row; a baseline scores a history in
 * closed form (EASE: the history times B; iALS: one exact user solve; ItemPop: the counts).
 */
import type { ProfileVectorSource, ScoreRequest } from '../bridge/rankingMessages';
import { scorerFromParameters } from '../engine/baselines/baselineParameters';
import type { CatalogueScorer } from '../engine/baselines/catalogueScorer';
import type { ScoringModel } from '../engine/evaluation/heldOutEvaluation';
import { loadFusedModel } from '../engine/model/modelPersistence';
import type { ModelRecord } from '../storage/db';
import { modelWeightsOf } from '../storage/modelStore';
import { historyItems, type ItemOfMovie } from './itemIndex';
import { resolveProfileUser } from './profileVector';

export interface ProfileScores {
  /** Every item's score (numItems), higher = better; comparable within one profile and model only. */
  scores: Float32Array;
  source: ProfileVectorSource;
  /** Seconds spent folding the profile in, when it happened for this request. */
  foldInSeconds: number | null;
}

export interface LoadedRecommender {
  record: ModelRecord;
  itemOfMovie: ItemOfMovie;
  scoreProfile(request: Pick<ScoreRequest, 'profileId' | 'historyChangedAt' | 'historyMovieIds'>): Promise<ProfileScores>;
  /** The model as the held-out evaluation scores it (the data set's users are its first users). */
  evaluation: ScoringModel;
}

export async function loadRecommender(record: ModelRecord, itemOfMovie: ItemOfMovie): Promise<LoadedRecommender> {
  if (record.kind === 'neumf') {
    // One spare user row: where a profile folded in after training sits while its movies are scored.
    const fused = await loadFusedModel(record, 1);
    return {
      record,
      itemOfMovie,
      async scoreProfile(request) {
        const { user, source, foldInSeconds } = await resolveProfileUser(fused, record, itemOfMovie, request);
        const scores = new Float32Array(record.numItems);
        fused.scoreUser(user, scores);
        return { scores, source, foldInSeconds };
      },
      evaluation: {
        scoreUser: (user, out) => fused.scoreUser(user, out),
        scorePairs: (users, items, out) => fused.predict(users, items, out),
      },
    };
  }
  const weights = await modelWeightsOf(record.id);
  if (!('baseline' in weights)) throw new Error(`Model ${record.id} has no ${record.kind} parameters.`);
  const scorer: CatalogueScorer = scorerFromParameters(weights.baseline.parameters, weights.baseline.histories);
  return {
    record,
    itemOfMovie,
    async scoreProfile(request) {
      const positives = historyItems(itemOfMovie, request.historyMovieIds);
      if (positives.length === 0) throw new Error('None of the movies in this history is in the data set: add some from the History page.');
      const scores = new Float32Array(record.numItems);
      scorer.scoreHistory(positives, scores);
      return { scores, source: 'closed-form', foldInSeconds: null };
    },
    evaluation: { scoreUser: (user, out) => scorer.scoreUser(user, out) },
  };
}
