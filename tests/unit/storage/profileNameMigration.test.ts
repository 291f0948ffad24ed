import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, type ProfileRecord } from '../../../src/storage/db';
import { renormaliseProfileNames } from '../../../src/storage/profileNameMigration';
import { profileNameProblem } from '../../../src/storage/profileRules';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

/** A profile as the app saved it before names were normalised: the key was the trimmed, lower-cased name. */
function oldProfile(id: number, name: string): ProfileRecord {
  return { id, name, nameKey: name.trim().toLowerCase(), createdAt: id, historyFinishedAt: null, historyChangedAt: id };
}

describe('renormaliseProfileNames', () => {
  it('gives old profiles the keys of the current rules, renaming the later of two that now read the same', async () => {
    const decomposed = 'Zoe\u0301';
    await db.profiles.bulkAdd([
      oldProfile(1, 'Ａｎａ'),
      oldProfile(2, 'Ana'),
      oldProfile(3, 'Zoé'),
      oldProfile(4, decomposed),
      oldProfile(5, 'Ben'),
    ]);
    await db.history.add({ profileId: 4, movieId: 7, addedAt: 1 });

    await renormaliseProfileNames(db.profiles);

    const byId = new Map((await db.profiles.toArray()).map((p) => [p.id, p]));
    expect([...byId.values()].map((p) => [p.id, p.name, p.nameKey])).toEqual([
      [1, 'Ａｎａ', 'ana'],
      [2, 'Ana (2)', 'ana (2)'],
      [3, 'Zoé', 'zoé'],
      [4, 'Zoé (2)', 'zoé (2)'],
      [5, 'Ben', 'ben'],
    ]);
    expect(byId.get(4)?.name).toBe('Zoé (2)'.normalize('NFC'));
    // The rules now see the old duplicates as taken, and the profiles keep what hangs on their ids.
    expect(
      profileNameProblem(
        'ana',
        [...byId.values()].map((p) => p.nameKey),
      ),
    ).toMatch(/already a profile/);
    expect(await db.history.where('profileId').equals(4).count()).toBe(1);
  });

  it('leaves profiles that already follow the rules as they are', async () => {
    await db.profiles.bulkAdd([oldProfile(1, 'Ana'), oldProfile(2, 'Ben')]);
    const before = await db.profiles.toArray();
    await renormaliseProfileNames(db.profiles);
    expect(await db.profiles.toArray()).toEqual(before);
  });
});
