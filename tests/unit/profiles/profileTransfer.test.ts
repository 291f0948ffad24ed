import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { saveImportedDataset } from '../../../src/storage/datasetStore';
import { db } from '../../../src/storage/db';
import { addToHistory, addToWatchlist, finishHistory, historyOf, watchlistOf } from '../../../src/storage/historyStore';
import { createProfile, listProfiles } from '../../../src/storage/profileStore';
import { suggestProfileName } from '../../../src/storage/profileRules';
import {
  exportProfile,
  parseProfileFile,
  planProfileFromFile,
  profileFileName,
  ProfileFileError,
  type ProfileFile,
} from '../../../src/profiles/profileTransfer';
import { readProfileFile } from '../../../src/profiles/profileTransfer';
import { exportProfileFile, createProfileFromFile } from '../../../src/profiles/profileTransferStore';
import type { ImportedDataset } from '../../../src/data/importDataset';

const NOW = new Date('2025-11-25T10:00:00.000Z');

function file(overrides: Partial<ProfileFile> = {}): ProfileFile {
  return {
    format: 'reel-profile',
    version: 1,
    name: 'Ana',
    exportedAt: NOW.toISOString(),
    history: [
      { movieId: 1, title: 'Toy Story (1995)', addedAt: 1000 },
      { movieId: 2, addedAt: 2000 },
    ],
    watchlist: [{ movieId: 3, title: 'Grumpier Old Men (1995)', addedAt: 3000 }],
    ...overrides,
  };
}

describe('exportProfile', () => {
  it('builds a versioned file with titles where the catalogue has them', () => {
    const titles = new Map([[1, 'Toy Story (1995)']]);
    const exported = exportProfile(
      'Ana',
      [
        { movieId: 1, addedAt: 1000 },
        { movieId: 2, addedAt: 2000 },
      ],
      [{ movieId: 3, addedAt: 3000 }],
      (id) => titles.get(id),
      NOW,
      [{ movieId: 4, addedAt: 4000 }],
    );
    expect(exported).toEqual({
      format: 'reel-profile',
      version: 1,
      name: 'Ana',
      exportedAt: '2025-11-25T10:00:00.000Z',
      history: [
        { movieId: 1, title: 'Toy Story (1995)', addedAt: 1000 },
        { movieId: 2, addedAt: 2000 },
      ],
      watchlist: [{ movieId: 3, addedAt: 3000 }],
      notForMe: [{ movieId: 4, addedAt: 4000 }],
    });
    // What is written is what is read back.
    expect(parseProfileFile(JSON.stringify(exported))).toEqual(exported);
  });

  it('names the file after the profile and the day', () => {
    expect(profileFileName('Ana María', NOW)).toBe('reel-profile-ana-maria-2025-11-25.json');
    expect(profileFileName('../<x>', NOW)).toBe('reel-profile-x-2025-11-25.json');
    expect(profileFileName('???', NOW)).toBe('reel-profile-profile-2025-11-25.json');
  });
});

describe('parseProfileFile', () => {
  const fails = (text: string) => expect(() => parseProfileFile(text)).toThrow(ProfileFileError);

  it('says when a file is not JSON, not a Reel profile or a newer version', () => {
    // In plain words, never the parser's "Unexpected token".
    expect(() => parseProfileFile('movieId,title')).toThrow(/^This is not a Reel profile file: it looks like a table of data/);
    expect(() => parseProfileFile('{"format": "reel-prof')).toThrow(/^This is not a Reel profile file: .*cut short\.$/);
    expect(() => parseProfileFile('')).toThrow('This is not a Reel profile file: the file is empty.');
    expect(() => parseProfileFile('[]')).toThrow(/^This is not a Reel profile file: it holds data, but not a profile saved by Reel/);
    expect(() => parseProfileFile(JSON.stringify({ ...file(), format: 'other' }))).toThrow(/not a Reel profile/);
    expect(() => parseProfileFile(JSON.stringify({ ...file(), version: 2 }))).toThrow(/version 2; this Reel reads version 1/);
    fails('null');
  });

  it('points at the damaged entries', () => {
    const damaged = { ...file(), name: '', exportedAt: 5, history: [{ movieId: 'x', addedAt: 1 }, { movieId: 5 }, 7], watchlist: {} };
    let message = '';
    try {
      parseProfileFile(JSON.stringify(damaged));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^This profile file is damaged:/);
    expect(message).toContain('"name" must be');
    expect(message).toContain('history[0]: movieId must be a positive whole number (got "x")');
    expect(message).toContain('history[1]: addedAt must be a time in milliseconds (got nothing)');
    expect(message).toContain('history[2] must be an object');
    expect(message).toContain('(and 1 more problems)');
  });

  it('keeps a hostile title as plain text data', () => {
    const hostile = '<img src=x onerror="window.__xss=1">';
    const parsed = parseProfileFile(JSON.stringify(file({ history: [{ movieId: 1, title: hostile, addedAt: 1 }] })));
    expect(parsed.history[0].title).toBe(hostile);
  });
});

describe('planProfileFromFile', () => {
  const catalogueMovieIds = new Set([1, 2, 3, 4]);

  it('suggests a free name when the name is taken, whatever its case', () => {
    expect(planProfileFromFile(file(), { takenNameKeys: ['ana'], catalogueMovieIds })).toEqual({
      kind: 'duplicate-name',
      name: 'Ana',
      suggested: 'Ana (2)',
    });
    expect(planProfileFromFile(file({ name: 'ANA' }), { takenNameKeys: ['ana', 'ana (2)'], catalogueMovieIds })).toMatchObject({
      suggested: 'ANA (3)',
    });
    expect(suggestProfileName('Ana (2)', ['ana (2)'])).toBe('Ana (3)');
    expect(suggestProfileName('x'.repeat(40), ['x'.repeat(40)])).toBe(`${'x'.repeat(36)} (2)`);
  });

  it('imports under the chosen name, and refuses one that breaks the rules', () => {
    expect(planProfileFromFile(file(), { takenNameKeys: ['ana'], catalogueMovieIds }, 'Ana (2)')).toMatchObject({
      kind: 'ready',
      name: 'Ana (2)',
    });
    expect(planProfileFromFile(file(), { takenNameKeys: [], catalogueMovieIds }, 'y'.repeat(41))).toMatchObject({
      kind: 'invalid-name',
      message: expect.stringMatching(/at most 40/),
    });
  });

  it('skips and reports movies the catalogue lacks, duplicates and seen movies on the watch-list', () => {
    const plan = planProfileFromFile(
      file({
        history: [
          { movieId: 1, addedAt: 1 },
          { movieId: 99, title: 'Not Here (2030)', addedAt: 2 },
          { movieId: 1, addedAt: 3 },
        ],
        watchlist: [
          { movieId: 1, addedAt: 4 },
          { movieId: 4, addedAt: 5 },
          { movieId: 98, addedAt: 6 },
        ],
      }),
      { takenNameKeys: [], catalogueMovieIds },
    );
    expect(plan).toEqual({
      kind: 'ready',
      name: 'Ana',
      history: [{ movieId: 1, addedAt: 1 }],
      watchlist: [{ movieId: 4, addedAt: 5 }],
      notForMe: [],
      skipped: [
        { movieId: 99, title: 'Not Here (2030)', list: 'history' },
        { movieId: 98, list: 'watchlist' },
      ],
    });
  });
});

/** A stored data set whose catalogue holds movies 1 .. size (default 1-4). */
async function saveCatalogue(size = 4): Promise<void> {
  const known = ['Toy Story (1995)', 'Jumanji (1995)', 'Grumpier Old Men (1995)', 'Heat (1995)'];
  const titles = Array.from({ length: size }, (_, i) => known[i] ?? `Movie ${i + 1} (1995)`);
  const imported = {
    split: {
      numUsers: 1,
      numItems: size,
      numTrainItems: size,
      trainUsers: new Int32Array(),
      trainItems: new Int32Array(),
      testItems: new Int32Array(1),
      userIds: new Int32Array([1]),
      itemMovieIds: Int32Array.from(titles, (_, i) => i + 1),
    },
    counts: { format: 'grouplens-csv' },
    catalogue: titles.map((title, item) => ({ item, movieId: item + 1, title, year: 1995, genres: [] })),
    parseSeconds: 0,
    splitSeconds: 0,
  } as unknown as ImportedDataset;
  await saveImportedDataset(imported, { name: 'test', sourceNames: [], seed: 1, maxUsers: Infinity, startedAt: 0 });
}

describe('profile export and import with IndexedDB', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
  });

  it('round-trips a profile into a new one, skipping movies the active data set lacks', async () => {
    await saveCatalogue();
    const ana = await createProfile('Ana');
    await addToHistory(ana.id, 1);
    await addToHistory(ana.id, 2);
    await addToWatchlist(ana.id, 3);
    const exported = await exportProfileFile(ana.id, NOW);
    expect(exported.history.map((m) => m.title)).toEqual(['Toy Story (1995)', 'Jumanji (1995)']);

    const text = JSON.stringify({ ...exported, history: [...exported.history, { movieId: 77, title: 'Elsewhere', addedAt: 5 }] });
    const first = await createProfileFromFile(parseProfileFile(text));
    expect(first).toEqual({ kind: 'duplicate-name', name: 'Ana', suggested: 'Ana (2)' });
    expect(await listProfiles()).toHaveLength(1);

    const second = await createProfileFromFile(parseProfileFile(text), 'Ana (2)');
    if (second.kind !== 'created') throw new Error(`expected a new profile, got ${second.kind}`);
    expect(second).toMatchObject({ historySize: 2, watchlistSize: 1, skipped: [{ movieId: 77, title: 'Elsewhere', list: 'history' }] });
    expect(second.profile).toMatchObject({ name: 'Ana (2)', nameKey: 'ana (2)', historyFinishedAt: null });
    const copy = second.profile.id;
    expect((await historyOf(copy)).map((h) => [h.movieId, h.addedAt])).toEqual(
      (await historyOf(ana.id)).map((h) => [h.movieId, h.addedAt]),
    );
    expect((await watchlistOf(copy)).map((w) => w.movieId)).toEqual([3]);
    // The original is untouched.
    expect((await historyOf(ana.id)).map((h) => h.movieId)).toEqual([1, 2]);
  });

  it('writes nothing when the import fails half-way', async () => {
    await saveCatalogue();
    const broken = file({ history: [{ movieId: 1, addedAt: 1 }], watchlist: [{ movieId: 2, addedAt: 2 }] });
    // A watch-list row that already exists makes bulkAdd fail after the profile and history were added.
    await db.watchlist.add({ profileId: 1, movieId: 2, addedAt: 0 });
    await expect(createProfileFromFile(broken)).rejects.toThrow();
    expect(await listProfiles()).toEqual([]);
    expect(await db.history.count()).toBe(0);
  });

  it('asks for a data set first', async () => {
    await expect(createProfileFromFile(file())).rejects.toThrow(/Import a data set first/);
  });
});

describe('a finished history', () => {
  beforeEach(async () => {
    await db.delete();
    await db.open();
  });

  it('is written to the file and read back; anything but true or false is refused', () => {
    const base = file();
    expect(parseProfileFile(JSON.stringify({ ...base, historyFinished: true })).historyFinished).toBe(true);
    expect(parseProfileFile(JSON.stringify(base)).historyFinished).toBeUndefined();
    expect(() => parseProfileFile(JSON.stringify({ ...base, historyFinished: 'yes' }))).toThrow(/historyFinished/);
  });

  it('stays finished after an import when at least 20 of its movies are in the data set, and only then', async () => {
    await saveCatalogue(25);
    const ana = await createProfile('Ana');
    for (let movieId = 1; movieId <= 20; movieId++) await addToHistory(ana.id, movieId);
    await finishHistory(ana.id);
    const exported = await exportProfileFile(ana.id, NOW);
    expect(exported.historyFinished).toBe(true);

    const whole = await createProfileFromFile(exported, 'Ana (2)');
    if (whole.kind !== 'created') throw new Error(`expected a new profile, got ${whole.kind}`);
    expect(whole.profile.historyFinishedAt).not.toBeNull();

    // Moved to movies this data set lacks, one of the 20 no longer counts: the history is open again.
    const partial = { ...exported, history: exported.history.map((m, i) => (i === 0 ? { ...m, movieId: 999 } : m)) };
    const short = await createProfileFromFile(partial, 'Ana (3)');
    if (short.kind !== 'created') throw new Error(`expected a new profile, got ${short.kind}`);
    expect(short.historySize).toBe(19);
    expect(short.profile.historyFinishedAt).toBeNull();
  });
});

describe('readProfileFile', () => {
  it('refuses a huge file from its size, before reading a byte of it', async () => {
    const huge = {
      size: 600 * 1024 * 1024,
      text: () => Promise.reject(new Error('read whole')),
    };
    await expect(readProfileFile(huge)).rejects.toThrow(/too large to be a Reel profile \(600 MB; a profile file is at most 16 MB\)/);
  });
});
