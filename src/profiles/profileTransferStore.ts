import { getActiveDatasetId, moviesOf } from '../storage/datasetStore';
import { db, type ProfileRecord } from '../storage/db';
import { historyOf, watchlistOf } from '../storage/historyStore';
import { MIN_HISTORY_TO_FINISH, nameKey } from '../storage/profileRules';
import { exportProfile, planProfileImport, ProfileFileError, type ImportPlan, type ProfileFile, type SkippedMovie } from './profileTransfer';

/** Profile export and import against the app's IndexedDB; the rules live in profileTransfer.ts. */

async function activeCatalogue(): Promise<Map<number, string> | null> {
  const datasetId = await getActiveDatasetId();
  if (datasetId === null) return null;
  const movies = await moviesOf(datasetId).toArray();
  return new Map(movies.map((m) => [m.movieId, m.title]));
}

export async function exportProfileFile(profileId: number, now: Date = new Date()): Promise<ProfileFile> {
  const profile = await db.profiles.get(profileId);
  if (!profile) throw new ProfileFileError('This profile no longer exists.');
  const [history, watchlist, titles] = await Promise.all([historyOf(profileId), watchlistOf(profileId), activeCatalogue()]);
  return { ...exportProfile(profile.name, history, watchlist, (movieId) => titles?.get(movieId), now), historyFinished: profile.historyFinishedAt !== null };
}

export type ImportOutcome =
  | Exclude<ImportPlan, { kind: 'ready' }>
  | { kind: 'imported'; profile: ProfileRecord; historySize: number; watchlistSize: number; skipped: SkippedMovie[] };

/**
 * Creates a new profile from a file, in one transaction: the profile with its history and
 * watch-list, or nothing. Movies missing from the active data set are skipped and reported. A taken
 * name imports nothing and answers `duplicate-name` with a suggestion; call again with `name` set.
 */
export async function importProfileFile(file: ProfileFile, name?: string): Promise<ImportOutcome> {
  const catalogue = await activeCatalogue();
  if (catalogue === null) {
    throw new ProfileFileError('Import a data set first: a profile\'s movies are matched against the active data set.');
  }
  const catalogueMovieIds = new Set(catalogue.keys());
  return db.transaction('rw', [db.profiles, db.history, db.watchlist], async (): Promise<ImportOutcome> => {
    const takenNameKeys = (await db.profiles.toArray()).map((p) => p.nameKey);
    const plan = planProfileImport(file, { takenNameKeys, catalogueMovieIds }, name);
    if (plan.kind !== 'ready') return plan;
    const now = Date.now();
    const record: Omit<ProfileRecord, 'id'> = {
      name: plan.name,
      nameKey: nameKey(plan.name),
      createdAt: now,
      // A finished history stays finished when enough of it is in this data set; otherwise the
      // person adds movies and presses Finish, as for a new profile.
      historyFinishedAt: file.historyFinished && plan.history.length >= MIN_HISTORY_TO_FINISH ? now : null,
      historyChangedAt: now,
    };
    const id = (await db.profiles.add(record as ProfileRecord)) as number;
    await db.history.bulkAdd(plan.history.map((m) => ({ profileId: id, movieId: m.movieId, addedAt: m.addedAt })));
    await db.watchlist.bulkAdd(plan.watchlist.map((m) => ({ profileId: id, movieId: m.movieId, addedAt: m.addedAt })));
    return { kind: 'imported', profile: { ...record, id }, historySize: plan.history.length, watchlistSize: plan.watchlist.length, skipped: plan.skipped };
  });
}
