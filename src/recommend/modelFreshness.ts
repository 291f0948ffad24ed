import type { ModelRecord, ProfileRecord } from '../storage/db';

/**
 * How the data set's model stands for a profile:
 * - 'none': no model yet, training is needed;
 * - 'current': the model learned this profile's current history;
 * - 'folded-in': the profile joined or changed its history after training: recommendations fold
 *   it in (seconds), and a full retrain would learn it together with everything else.
 */
export type ModelFreshness = { kind: 'none' } | { kind: 'current' } | { kind: 'folded-in'; reason: 'new-profile' | 'history-changed' };

export function modelFreshness(model: ModelRecord | null, profile: ProfileRecord): ModelFreshness {
  if (!model) return { kind: 'none' };
  const entry = model.profileUsers.find((p) => p.profileId === profile.id);
  if (!entry) return { kind: 'folded-in', reason: 'new-profile' };
  if (entry.historyChangedAt !== profile.historyChangedAt) return { kind: 'folded-in', reason: 'history-changed' };
  return { kind: 'current' };
}

export function describeFreshness(freshness: ModelFreshness): string {
  switch (freshness.kind) {
    case 'none':
      return 'No trained model for this data set yet.';
    case 'current':
      return 'The model has learned your current history.';
    case 'folded-in':
      return freshness.reason === 'new-profile'
        ? 'The model was trained before this profile finished its history: recommendations fit your taste to it in seconds. Retrain to learn it in full.'
        : 'Your history changed since the last training: recommendations fit your taste to it in seconds. Retrain when you have made many changes.';
  }
}
