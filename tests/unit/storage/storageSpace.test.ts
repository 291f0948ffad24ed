import { describe, expect, it } from 'vitest';
import { availableBytes, describeStorageFailure, storageShortfall } from '../../../src/storage/storageSpace';

describe('storage space', () => {
  it('refuses an import that will not fit before anything is saved, with both sizes', () => {
    expect(storageShortfall(30e6, 12e6)).toMatch(/needs about 30 MB and the browser allows 12 MB more/);
    expect(storageShortfall(30e6, 31e6)).toBeNull();
    expect(storageShortfall(30e6, null)).toBeNull();
    // Before the files are read the need is an estimate, and the message says so.
    expect(storageShortfall(30e6, 12e6, false)).toMatch(/^This data set may not fit in storage: it needs about 30 MB/);
  });

  it('recognises a full disk in what IndexedDB or Dexie throws', () => {
    expect(describeStorageFailure(new DOMException('full', 'QuotaExceededError'))).toMatch(/ran out of storage space/);
    expect(describeStorageFailure({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toMatch(/ran out of storage space/);
    expect(describeStorageFailure(new Error('other'))).toBeNull();
  });

  it('counts the space left from what the browser estimates, never below zero', () => {
    expect(availableBytes({ quota: 100, usage: 30 })).toBe(70);
    expect(availableBytes({ quota: 100, usage: 130 })).toBe(0);
    expect(availableBytes({ quota: 100 })).toBeNull();
    expect(availableBytes(undefined)).toBeNull();
  });
});
