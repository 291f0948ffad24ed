import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { db } from '../../../src/storage/db';
import { addToHistory, addToWatchlist, finishHistory, historyOf } from '../../../src/storage/historyStore';
import { createProfile } from '../../../src/storage/profileStore';
import { writeSetting } from '../../../src/storage/settingsStore';
import { StorageFullError, storageWrite } from '../../../src/storage/storageWrite';

const quota = (): DOMException => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** A full disk for writes into `stores`, as fake-indexeddb's object stores see it. */
function fillTheDisk(stores: string[]): void {
  for (const method of ['add', 'put'] as const) {
    const original = IDBObjectStore.prototype[method];
    vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
      if (stores.includes(this.name)) throw quota();
      return original.apply(this, args);
    });
  }
}

beforeEach(async () => {
  await db.delete();
  await db.open();
});
afterEach(() => vi.restoreAllMocks());

describe('storageWrite', () => {
  it('turns a full disk into a StorageFullError with the sentence for the person, and passes other errors on', async () => {
    const failure = await storageWrite(() => Promise.reject(quota())).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageFullError);
    expect((failure as Error).message).toMatch(/ran out of storage space/);
    const bug = new TypeError('bug');
    await expect(storageWrite(() => Promise.reject(bug))).rejects.toBe(bug);
  });

  it('is what the stores write through: history, watch-list, Finish, profiles and settings fail the same way and change nothing', async () => {
    const ana = await createProfile('Ana');
    fillTheDisk(['history', 'watchlist', 'profiles', 'settings']);
    await expect(addToHistory(ana.id, 1)).rejects.toBeInstanceOf(StorageFullError);
    await expect(addToWatchlist(ana.id, 1)).rejects.toBeInstanceOf(StorageFullError);
    await expect(createProfile('Ben')).rejects.toBeInstanceOf(StorageFullError);
    await expect(writeSetting('activeDatasetId', 3)).rejects.toBeInstanceOf(StorageFullError);
    vi.restoreAllMocks();
    for (let m = 1; m <= 20; m++) await addToHistory(ana.id, m);
    fillTheDisk(['profiles']);
    await expect(finishHistory(ana.id)).rejects.toBeInstanceOf(StorageFullError);
    vi.restoreAllMocks();
    expect((await historyOf(ana.id)).length).toBe(20);
    expect((await db.profiles.get(ana.id))?.historyFinishedAt).toBeNull();
  });
});
