import 'fake-indexeddb/auto';
import { addDatasetRecord } from './datasetRecord';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../../src/storage/db';
import {
  addAllToHistory,
  addToHistory,
  addToWatchlist,
  finishHistory,
  historyOf,
  markNotForMe,
  markWatched,
  moviesElsewhere,
  removeFromHistory,
  removeFromWatchlist,
  restoreToWatchlist,
  savedProfileLists,
  unmarkWatched,
  watchlistOf,
} from '../../../src/storage/historyStore';
import { profileNameProblem } from '../../../src/storage/profileRules';
import {
  createProfile,
  deleteProfile,
  getActiveProfileId,
  listProfiles,
  ProfileError,
  renameProfile,
  setActiveProfile,
} from '../../../src/storage/profileStore';
import { twoUserWeights } from './twoUserWeights';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

describe('profile names', () => {
  it('are trimmed, 1-40 characters and unique regardless of case', () => {
    expect(profileNameProblem('  ', [])).toMatch(/Give the profile a name/);
    expect(profileNameProblem('x'.repeat(41), [])).toMatch(/at most 40/);
    expect(profileNameProblem('x'.repeat(40), [])).toBeNull();
    expect(profileNameProblem(' ANA ', ['ana'])).toMatch(/already a profile called "ANA"/);
    expect(profileNameProblem('Ana B', ['ana'])).toBeNull();
  });
});

describe('profile store', () => {
  it('creates profiles with trimmed unique names and refuses a duplicate', async () => {
    const ana = await createProfile('  Ana ');
    expect(ana.name).toBe('Ana');
    await expect(createProfile('ana')).rejects.toBeInstanceOf(ProfileError);
    await createProfile('Ben');
    expect((await listProfiles()).map((p) => p.name)).toEqual(['Ana', 'Ben']);
  });

  it("renames, refusing another profile's name but allowing a change of case of its own", async () => {
    const ana = await createProfile('Ana');
    await createProfile('Ben');
    await expect(renameProfile(ana.id, 'BEN')).rejects.toThrow(/already a profile/);
    await renameProfile(ana.id, 'ANA');
    expect((await db.profiles.get(ana.id))?.name).toBe('ANA');
  });

  it('deletes a profile with its history and watch-list and nothing of another profile', async () => {
    const ana = await createProfile('Ana');
    const ben = await createProfile('Ben');
    await addToHistory(ana.id, 1);
    await addToWatchlist(ana.id, 2);
    await addToHistory(ben.id, 1);
    await addToWatchlist(ben.id, 3);
    await setActiveProfile(ana.id);
    await deleteProfile(ana.id);
    expect(await historyOf(ana.id)).toEqual([]);
    expect(await watchlistOf(ana.id)).toEqual([]);
    // Ben, the one profile left, is the active one now.
    expect(await getActiveProfileId()).toBe(ben.id);
    expect((await historyOf(ben.id)).map((h) => h.movieId)).toEqual([1]);
    expect((await watchlistOf(ben.id)).map((h) => h.movieId)).toEqual([3]);
  });

  it('leaves the choice to the person when the active profile is deleted and several are left, and keeps another active one', async () => {
    const [ana, ben, cy] = [await createProfile('Ana'), await createProfile('Ben'), await createProfile('Cy')];
    await setActiveProfile(ana.id);
    await deleteProfile(ana.id);
    expect(await getActiveProfileId()).toBeNull();
    await setActiveProfile(ben.id);
    await deleteProfile(cy.id);
    expect(await getActiveProfileId()).toBe(ben.id);
    await deleteProfile(ben.id);
    expect(await getActiveProfileId()).toBeNull();
    expect(await listProfiles()).toEqual([]);
  });

  it('finishes a history only from 20 movies on, and later edits mark it changed', async () => {
    const ana = await createProfile('Ana');
    for (let m = 1; m <= 19; m++) await addToHistory(ana.id, m);
    await expect(finishHistory(ana.id)).rejects.toThrow(/at least 20/);
    await addToHistory(ana.id, 20);
    await finishHistory(ana.id);
    const finished = (await db.profiles.get(ana.id))!;
    expect(finished.historyFinishedAt).not.toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    await removeFromHistory(ana.id, 3);
    expect((await db.profiles.get(ana.id))!.historyChangedAt).toBeGreaterThan(finished.historyChangedAt);
  });

  it('"watched it" moves a movie from the watch-list into the history', async () => {
    const ana = await createProfile('Ana');
    await addToWatchlist(ana.id, 42);
    await markWatched(ana.id, 42);
    expect(await watchlistOf(ana.id)).toEqual([]);
    expect((await historyOf(ana.id)).map((h) => h.movieId)).toEqual([42]);
  });

  it('adds several movies to the history at once, taking them off the watch-list, and marks it changed', async () => {
    const ana = await createProfile('Ana');
    await addToHistory(ana.id, 1);
    await addToWatchlist(ana.id, 7);
    await addToWatchlist(ana.id, 9);
    const before = (await db.profiles.get(ana.id))!.historyChangedAt;
    await new Promise((resolve) => setTimeout(resolve, 2));
    await addAllToHistory(ana.id, [7, 8]);
    expect((await historyOf(ana.id)).map((h) => h.movieId).sort()).toEqual([1, 7, 8]);
    expect((await watchlistOf(ana.id)).map((w) => w.movieId)).toEqual([9]);
    expect((await db.profiles.get(ana.id))!.historyChangedAt).toBeGreaterThan(before);
  });

  it("reads a profile's lists as saved this moment, with the history's last change", async () => {
    const ana = await createProfile('Ana');
    await addToHistory(ana.id, 1);
    await addToWatchlist(ana.id, 2);
    await markNotForMe(ana.id, 3);
    await addToHistory((await createProfile('Ben')).id, 4);
    const lists = await savedProfileLists(ana.id);
    expect(lists).toEqual({
      historyMovieIds: [1],
      historyChangedAt: (await db.profiles.get(ana.id))!.historyChangedAt,
      notForMe: [3],
      watchlist: [2],
    });
  });

  it("lists a history's movies as the other data sets have them, each once", async () => {
    const row = (datasetId: number, item: number, movieId: number, title: string) => ({
      datasetId,
      item,
      movieId,
      title,
      year: 1980,
      genres: [],
      imdbId: null,
      tmdbId: null,
      popularity: 1,
    });
    await db.movies.bulkAdd([row(1, 0, 1258, 'Shining, The'), row(2, 0, 1258, 'Shining, The'), row(3, 0, 100_177, 'Shining, The')]);
    const found = await moviesElsewhere([1258, 5], 3);
    expect(found.map((m) => m.movieId)).toEqual([1258]);
    expect(await moviesElsewhere([100_177], 3)).toEqual([]);
  });

  it('undoes "watched it" and "remove": the entry is back in its place, the history as before', async () => {
    const ana = await createProfile('Ana');
    await addToWatchlist(ana.id, 41);
    await addToWatchlist(ana.id, 42);
    await addToWatchlist(ana.id, 43);
    const [first, second] = await watchlistOf(ana.id);
    await markWatched(ana.id, first.movieId);
    await unmarkWatched(first);
    await removeFromWatchlist(ana.id, second.movieId);
    await restoreToWatchlist(second);
    expect(await watchlistOf(ana.id)).toEqual([first, second, expect.objectContaining({ movieId: 43 })]);
    expect(await historyOf(ana.id)).toEqual([]);
  });
});

describe('deleting a profile from trained models', () => {
  it('zeroes its user rows and forgets it, leaving every other weight as it was', async () => {
    const { saveModel, currentModel, modelWeightsOf } = await import('../../../src/storage/modelStore');
    await addDatasetRecord(1);
    const ana = await createProfile('Ana');
    const ben = await createProfile('Ben');
    // Two users x 2 dims GMF table, then a 3-item table: user 1 is Ana.
    await saveModel(
      {
        datasetId: 1,
        createdAt: 1,
        kind: 'neumf',
        settings: {} as never,
        backend: 'test',
        numUsers: 2,
        numItems: 3,
        datasetUsers: 0,
        profileUsers: [
          { profileId: ben.id, user: 0, historyChangedAt: 0, movies: 20 },
          { profileId: ana.id, user: 1, historyChangedAt: 0, movies: 20 },
        ],
        epochs: [],
        bestEpoch: 0,
        trainSeconds: 0,
      },
      twoUserWeights(),
    );
    await deleteProfile(ana.id);
    const model = (await currentModel(1))!;
    const stored = await modelWeightsOf(model.id);
    expect('artifacts' in stored && Array.from(new Float32Array(stored.artifacts.weightData))).toEqual([1, 2, 0, 0, 5, 6, 7]);
    expect(model.profileUsers.map((p) => p.profileId)).toEqual([ben.id]);
  });
});
