import { db, type ProfileVectorRecord } from './db';

/** Profiles' folded-in user vectors, one per (model, profile); they go with their model (modelStore.ts). */

export async function storedProfileVector(modelId: number, profileId: number): Promise<ProfileVectorRecord | null> {
  return (await db.profileVectors.get([modelId, profileId])) ?? null;
}

export async function saveProfileVector(record: ProfileVectorRecord): Promise<void> {
  await db.profileVectors.put(record);
}
