import { db, type ProfileRecord } from './db';
import { eraseProfileFromModels } from './modelStore';
import { cleanName, nameKey, profileNameProblem } from './profileRules';
import { clearSetting, readSetting, writeSetting } from './settingsStore';
import { storageWrite } from './storageWrite';

/** A profile rule broken by what the person entered; `message` is shown as it is. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

export async function listProfiles(): Promise<ProfileRecord[]> {
  return db.profiles.orderBy('createdAt').toArray();
}

/**
 * A profile as it is first stored, by creation or from a profile file; `historyFinished` for a file
 * whose finished history came along.
 */
export function newProfileRecord(name: string, now: number, historyFinished = false): Omit<ProfileRecord, 'id'> {
  return {
    name: cleanName(name),
    nameKey: nameKey(name),
    createdAt: now,
    historyFinishedAt: historyFinished ? now : null,
    historyChangedAt: now,
  };
}

export async function createProfile(name: string): Promise<ProfileRecord> {
  return storageWrite(() =>
    db.transaction('rw', db.profiles, async () => {
      const problem = profileNameProblem(
        name,
        (await db.profiles.toArray()).map((p) => p.nameKey),
      );
      if (problem) throw new ProfileError(problem);
      const record = newProfileRecord(name, Date.now());
      const id = (await db.profiles.add(record as ProfileRecord)) as number;
      return { ...record, id };
    }),
  );
}

export async function renameProfile(id: number, name: string): Promise<void> {
  await storageWrite(() =>
    db.transaction('rw', db.profiles, async () => {
      const others = (await db.profiles.toArray()).filter((p) => p.id !== id).map((p) => p.nameKey);
      const problem = profileNameProblem(name, others);
      if (problem) throw new ProfileError(problem);
      await db.profiles.update(id, { name: cleanName(name), nameKey: nameKey(name) });
    }),
  );
}

/** Deletes a profile and everything that belongs to it; other profiles and the data sets are untouched. */
export async function deleteProfile(id: number): Promise<void> {
  await storageWrite(() =>
    db.transaction(
      'rw',
      [db.profiles, db.history, db.watchlist, db.notForMe, db.settings, db.models, db.modelWeights, db.profileVectors],
      async () => {
        await eraseProfileFromModels(id);
        await db.history.where('profileId').equals(id).delete();
        await db.watchlist.where('profileId').equals(id).delete();
        await db.notForMe.where('profileId').equals(id).delete();
        await db.profiles.delete(id);
        if ((await readSetting('activeProfileId')) === id) {
          // The one profile left becomes the active one; among several, the person chooses.
          const left = await db.profiles.toArray();
          if (left.length === 1) await writeSetting('activeProfileId', left[0].id);
          else await clearSetting('activeProfileId');
        }
      },
    ),
  );
}

export async function getProfile(id: number): Promise<ProfileRecord | null> {
  return (await db.profiles.get(id)) ?? null;
}

export async function getActiveProfileId(): Promise<number | null> {
  const setting = await readSetting('activeProfileId');
  const id = typeof setting === 'number' ? setting : null;
  return id !== null && (await db.profiles.get(id)) ? id : null;
}

export async function setActiveProfile(id: number | null): Promise<void> {
  if (id === null) await clearSetting('activeProfileId');
  else await writeSetting('activeProfileId', id);
}
