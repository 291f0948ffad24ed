import type { ProfileVectorSource, ScoreRequest } from '../bridge/rankingMessages';
import type { FusedNeuMF } from '../engine/model/fusedNeuMF';
import { defaultFoldInSettings, foldInUser } from '../engine/training/foldIn';
import type { ModelRecord } from '../storage/db';
import { saveProfileVector, storedProfileVector } from '../storage/profileVectorStore';
import { historyItems, type ItemOfMovie } from './itemIndex';

/**
 * Which user row scores a profile's movies. The trained row when the model learned the profile's
 * current history; otherwise a folded-in vector (stored, or learned now and stored) placed in the
 * model's spare row. The model's other rows and weights are never changed.
 */
export async function resolveProfileUser(
  fused: FusedNeuMF,
  record: ModelRecord,
  itemOfMovie: ItemOfMovie,
  request: Pick<ScoreRequest, 'profileId' | 'historyChangedAt' | 'historyMovieIds'>,
): Promise<{ user: number; source: ProfileVectorSource; foldInSeconds: number | null }> {
  const trained = record.profileUsers.find((p) => p.profileId === request.profileId);
  if (trained && trained.historyChangedAt === request.historyChangedAt)
    return { user: trained.user, source: 'trained', foldInSeconds: null };

  const spare = record.numUsers;
  const stored = await storedProfileVector(record.id, request.profileId);
  if (stored && stored.historyChangedAt === request.historyChangedAt) {
    fused.setUserRow(spare, stored.vectors[0]);
    return { user: spare, source: 'folded-in', foldInSeconds: null };
  }
  const positives = historyItems(itemOfMovie, request.historyMovieIds);
  if (positives.length === 0) throw new Error('None of the movies in this history is in the data set: add some from the History page.');
  const { seconds } = foldInUser(fused, spare, positives, { ...defaultFoldInSettings, seed: request.profileId });
  // The stored vector only saves the next fold-in: a full disk must not stop this scoring.
  await saveProfileVector({
    modelId: record.id,
    profileId: request.profileId,
    vectors: [fused.getUserRow(spare)],
    historyChangedAt: request.historyChangedAt,
    createdAt: Date.now(),
  }).catch((error: unknown) =>
    console.warn('Reel: the folded-in profile vector could not be stored; it is learned again next time.', error),
  );
  return { user: spare, source: 'folded-in-now', foldInSeconds: seconds };
}
