import type { EntityTable } from 'dexie';
import type { ProfileRecord } from './db';
import { cleanName, nameKey, suggestProfileName } from './profileRules';

/**
 * Gives profiles saved before today's name rules (profileRules.ts) the name and unique key those
 * rules give: composed (NFC) names, keys that fold full-width letters and drop invisible ones.
 * Two old profiles that now read the same ("Zoé" composed and decomposed) stay two: the later
 * one (by id) is renamed as a profile import would name it ("Zoé (2)"). Histories, watch-lists and
 * models hang on the profile's id, which does not change.
 */
export async function renormaliseProfileNames(profiles: EntityTable<ProfileRecord, 'id'>): Promise<void> {
  const all = (await profiles.toArray()).sort((a, b) => a.id - b.id);
  const taken = new Set<string>();
  const renamed = all.map((profile) => {
    let name = cleanName(profile.name);
    if (taken.has(nameKey(name))) name = suggestProfileName(name, taken);
    taken.add(nameKey(name));
    return { ...profile, name, nameKey: nameKey(name) };
  });
  if (renamed.every((p, i) => p.name === all[i].name && p.nameKey === all[i].nameKey)) return;
  // Written back all at once: updating one by one could meet another profile's old key in the unique index.
  await profiles.clear();
  await profiles.bulkAdd(renamed);
}
