import { db, type ProfileRecord } from './db';
import { eraseProfileFromModels } from './modelStore';
import { nameKey, profileNameProblem } from './profileRules';

/** A profile rule broken by what the person entered; `message` is shown as it is. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

const ACTIVE_PROFILE = 'activeProfileId';

export async function listProfiles(): Promise<ProfileRecord[]> {
  return db.profiles.orderBy('createdAt').toArray();
}

export async function createProfile(name: string): Promise<ProfileRecord> {
  return db.transaction('rw', db.profiles, async () => {
    const problem = profileNameProblem(name, (await db.profiles.toArray()).map((p) => p.nameKey));
    if (problem) throw new ProfileError(problem);
    const now = Date.now();
    const record: Omit<ProfileRecord, 'id'> = {
      name: name.trim(),
      nameKey: nameKey(name),
      createdAt: now,
      historyFinishedAt: null,
      historyChangedAt: now,
    };
    const id = (await db.profiles.add(record as ProfileRecord)) as number;
    return { ...record, id };
  });
}

export async function renameProfile(id: number, name: string): Promise<void> {
  await db.transaction('rw', db.profiles, async () => {
    const others = (await db.profiles.toArray()).filter((p) => p.id !== id).map((p) => p.nameKey);
    const problem = profileNameProblem(name, others);
    if (problem) throw new ProfileError(problem);
    await db.profiles.update(id, { name: name.trim(), nameKey: nameKey(name) });
  });
}

/** Deletes a profile and everything that belongs to it; other profiles and the data sets are untouched. */
export async function deleteProfile(id: number): Promise<void> {
  await db.transaction('rw', [db.profiles, db.history, db.watchlist, db.settings, db.models, db.modelWeights, db.profileVectors], async () => {
    await eraseProfileFromModels(id);
    await db.history.where('profileId').equals(id).delete();
    await db.watchlist.where('profileId').equals(id).delete();
    await db.profiles.delete(id);
    const active = await db.settings.get(ACTIVE_PROFILE);
    if (active?.value === id) await db.settings.delete(ACTIVE_PROFILE);
  });
}

export async function getActiveProfileId(): Promise<number | null> {
  const setting = await db.settings.get(ACTIVE_PROFILE);
  const id = typeof setting?.value === 'number' ? setting.value : null;
  return id !== null && (await db.profiles.get(id)) ? id : null;
}

export async function setActiveProfile(id: number | null): Promise<void> {
  if (id === null) await db.settings.delete(ACTIVE_PROFILE);
  else await db.settings.put({ key: ACTIVE_PROFILE, value: id });
}
