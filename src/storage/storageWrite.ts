import { describeStorageFailure } from './storageSpace';

/** IndexedDB refused a write because the disk or the browser's quota is full; `message` is shown as it is. */
export class StorageFullError extends Error {
  override readonly name = 'StorageFullError';
}

/**
 * The one way the stores write what a person does (history, watch-list, profiles, settings, the
 * active data set): a full disk comes out as a StorageFullError carrying the same sentence as a
 * failed import's, never as the browser's raw QuotaExceededError. Each write is one transaction,
 * so a refused one changed nothing.
 */
export async function storageWrite<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const message = describeStorageFailure(error);
    if (message !== null && !(error instanceof StorageFullError)) throw new StorageFullError(message);
    throw error;
  }
}
