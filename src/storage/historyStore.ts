import type { ProfileHistory } from '../data/profileInteractions';
import { db, type HistoryRecord, type MovieRecord, type NotForMeRecord, type WatchlistRecord } from './db';
import { MIN_HISTORY_TO_FINISH } from './profileRules';
import { ProfileError } from './profileStore';
import { storageWrite } from './storageWrite';

export async function historyOf(profileId: number): Promise<HistoryRecord[]> {
  return db.history.where('profileId').equals(profileId).sortBy('addedAt');
}

export async function historySize(profileId: number): Promise<number> {
  return db.history.where('profileId').equals(profileId).count();
}

/** The finished histories of every profile: each is a user of the next trained model. */
export async function finishedProfileHistories(): Promise<ProfileHistory[]> {
  const profiles = (await db.profiles.toArray()).filter((p) => p.historyFinishedAt !== null);
  return Promise.all(
    profiles.map(async (p) => ({
      profileId: p.id,
      historyChangedAt: p.historyChangedAt,
      movieIds: (await db.history.where('profileId').equals(p.id).toArray()).map((h) => h.movieId),
    })),
  );
}

export async function watchlistOf(profileId: number): Promise<WatchlistRecord[]> {
  return db.watchlist.where('profileId').equals(profileId).sortBy('addedAt');
}

/** A change to a finished history makes the models trained before it out of date for this profile. */
async function touchHistory(profileId: number): Promise<void> {
  await db.profiles.update(profileId, { historyChangedAt: Date.now() });
}

export async function addToHistory(profileId: number, movieId: number): Promise<void> {
  await addAllToHistory(profileId, [movieId]);
}

/** Movies into the history, in one transaction. */
export async function addAllToHistory(profileId: number, movieIds: number[]): Promise<void> {
  if (movieIds.length === 0) return;
  await storageWrite(() =>
    db.transaction('rw', [db.history, db.watchlist, db.profiles], async () => {
      const addedAt = Date.now();
      await db.history.bulkPut(movieIds.map((movieId) => ({ profileId, movieId, addedAt })));
      // A seen movie does not belong on the list of movies to watch.
      await db.watchlist.bulkDelete(movieIds.map((movieId) => [profileId, movieId]));
      await touchHistory(profileId);
    }),
  );
}

/**
 * The movies `movieIds` as other data sets than `datasetId` list them (each once): what a history
 * holds that the active data set lacks, with the titles and years to find them there by.
 */
export async function moviesElsewhere(movieIds: Iterable<number>, datasetId: number): Promise<MovieRecord[]> {
  const wanted = new Set(movieIds);
  if (wanted.size === 0) return [];
  const rows = await db.movies.filter((m) => m.datasetId !== datasetId && wanted.has(m.movieId)).toArray();
  return [...new Map(rows.map((m) => [m.movieId, m])).values()];
}

export async function removeFromHistory(profileId: number, movieId: number): Promise<void> {
  await storageWrite(() =>
    db.transaction('rw', [db.history, db.profiles], async () => {
      await db.history.delete([profileId, movieId]);
      await touchHistory(profileId);
    }),
  );
}

/** "Finish": allowed from the minimum history size on; training becomes possible. */
export async function finishHistory(profileId: number): Promise<void> {
  await storageWrite(() =>
    db.transaction('rw', [db.history, db.profiles], async () => {
      const size = await historySize(profileId);
      if (size < MIN_HISTORY_TO_FINISH) {
        throw new ProfileError(`Add at least ${MIN_HISTORY_TO_FINISH} movies before finishing (${size} so far).`);
      }
      await db.profiles.update(profileId, { historyFinishedAt: Date.now(), historyChangedAt: Date.now() });
    }),
  );
}

export async function addToWatchlist(profileId: number, movieId: number): Promise<void> {
  await storageWrite(() => db.watchlist.put({ profileId, movieId, addedAt: Date.now() }));
}

export async function removeFromWatchlist(profileId: number, movieId: number): Promise<void> {
  await storageWrite(() => db.watchlist.delete([profileId, movieId]));
}

/** "Watched it": the movie leaves the watch-list and joins the history, in one step. */
export async function markWatched(profileId: number, movieId: number): Promise<void> {
  await addToHistory(profileId, movieId);
}

/** Undoes "Watched it": the movie leaves the history and is back on the watch-list as it was (same place). */
export async function unmarkWatched(entry: WatchlistRecord): Promise<void> {
  await db.transaction('rw', [db.history, db.watchlist, db.profiles], async () => {
    await db.history.delete([entry.profileId, entry.movieId]);
    await db.watchlist.put(entry);
    await touchHistory(entry.profileId);
  });
}

/** Undoes "Remove" on the watch-list: the entry is back as it was (same place). */
export async function restoreToWatchlist(entry: WatchlistRecord): Promise<void> {
  await db.watchlist.put(entry);
}

/** What ranking for a profile reads: its history (and when it last changed), its not-for-me films and its watch-list. */
export interface SavedProfileLists {
  historyMovieIds: number[];
  historyChangedAt: number;
  notForMe: number[];
  watchlist: number[];
}

/**
 * A profile's lists as saved this moment, in one read. A page's live queries catch up with a write
 * a moment after it, so a ranking right after "Seen it" reads these instead: with the page's, it
 * ranked on the history before the change and kept the profile fitted to it.
 */
export async function savedProfileLists(profileId: number): Promise<SavedProfileLists> {
  return db.transaction('r', [db.history, db.notForMe, db.watchlist, db.profiles], async () => ({
    historyMovieIds: (await historyOf(profileId)).map((h) => h.movieId),
    historyChangedAt: (await db.profiles.get(profileId))?.historyChangedAt ?? 0,
    notForMe: (await notForMeOf(profileId)).map((n) => n.movieId),
    watchlist: (await watchlistOf(profileId)).map((w) => w.movieId),
  }));
}

export async function notForMeOf(profileId: number): Promise<NotForMeRecord[]> {
  return db.notForMe.where('profileId').equals(profileId).sortBy('addedAt');
}

/** "Not for me": never recommended to this profile again; it also leaves the watch-list. */
export async function markNotForMe(profileId: number, movieId: number): Promise<void> {
  await storageWrite(() =>
    db.transaction('rw', [db.notForMe, db.watchlist], async () => {
      await db.notForMe.put({ profileId, movieId, addedAt: Date.now() });
      await db.watchlist.delete([profileId, movieId]);
    }),
  );
}

/** Undoes "Not for me": the movie can be recommended again. */
export async function unmarkNotForMe(profileId: number, movieId: number): Promise<void> {
  await storageWrite(() => db.notForMe.delete([profileId, movieId]));
}
