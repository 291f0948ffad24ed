import { getActiveDatasetId, moviesOf } from '../storage/datasetStore';
import { db, type ProfileRecord } from '../storage/db';
import { historyOf, notForMeOf, watchlistOf } from '../storage/historyStore';
import { MIN_HISTORY_TO_FINISH } from '../storage/profileRules';
import { newProfileRecord } from '../storage/profileStore';
import {
  exportProfile,
  planProfileFromFile,
  ProfileFileError,
  type ProfileFilePlan,
  type ProfileFile,
  type SkippedMovie,
} from './profileTransfer';
import { storageWrite } from '../storage/storageWrite';

/** Profile files against the app's IndexedDB: exporting one, creating a profile from one. The rules live in profileTransfer.ts. */

async function activeCatalogue(): Promise<Map<number, string> | null> {
  const datasetId = await getActiveDatasetId();
  if (datasetId === null) return null;
  const movies = await moviesOf(datasetId).toArray();
  return new Map(movies.map((m) => [m.movieId, m.title]));
}

export async function exportProfileFile(profileId: number, now: Date = new Date()): Promise<ProfileFile> {
  const profile = await db.profiles.get(profileId);
  if (!profile) throw new ProfileFileError('This profile no longer exists.');
  const [history, watchlist, notForMe, titles] = await Promise.all([
    historyOf(profileId),
    watchlistOf(profileId),
    notForMeOf(profileId),
    activeCatalogue(),
  ]);
  return {
    ...exportProfile(profile.name, history, watchlist, (movieId) => titles?.get(movieId), now, notForMe),
    historyFinished: profile.historyFinishedAt !== null,
  };
}

export type ProfileFileOutcome =
  | Exclude<ProfileFilePlan, { kind: 'ready' }>
  | { kind: 'created'; profile: ProfileRecord; historySize: number; watchlistSize: number; skipped: SkippedMovie[] };

/**
 * Creates a new profile from a file, in one transaction: the profile with its history and
 * watch-list, or nothing. Movies missing from the active data set are skipped and reported. A taken
 * name creates nothing and answers `duplicate-name` with a suggestion; call again with `name` set.
 */
export async function createProfileFromFile(file: ProfileFile, name?: string): Promise<ProfileFileOutcome> {
  const catalogue = await activeCatalogue();
  if (catalogue === null) {
    throw new ProfileFileError("Import a data set first: a profile's movies are matched against the active data set.");
  }
  const catalogueMovieIds = new Set(catalogue.keys());
  return storageWrite(() =>
    db.transaction('rw', [db.profiles, db.history, db.watchlist, db.notForMe], async (): Promise<ProfileFileOutcome> => {
      const takenNameKeys = (await db.profiles.toArray()).map((p) => p.nameKey);
      const plan = planProfileFromFile(file, { takenNameKeys, catalogueMovieIds }, name);
      if (plan.kind !== 'ready') return plan;
      // A finished history stays finished when enough of it is in this data set; otherwise the
      // person adds movies and presses Finish, as for a new profile.
      const record = newProfileRecord(plan.name, Date.now(), file.historyFinished === true && plan.history.length >= MIN_HISTORY_TO_FINISH);
      const id = (await db.profiles.add(record as ProfileRecord)) as number;
      await db.history.bulkAdd(plan.history.map((m) => ({ profileId: id, movieId: m.movieId, addedAt: m.addedAt })));
      await db.watchlist.bulkAdd(plan.watchlist.map((m) => ({ profileId: id, movieId: m.movieId, addedAt: m.addedAt })));
      await db.notForMe.bulkAdd(plan.notForMe.map((m) => ({ profileId: id, movieId: m.movieId, addedAt: m.addedAt })));
      return {
        kind: 'created',
        profile: { ...record, id },
        historySize: plan.history.length,
        watchlistSize: plan.watchlist.length,
        skipped: plan.skipped,
      };
    }),
  );
}
