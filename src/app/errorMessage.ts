import { describeError, WorkerFailed } from '../bridge/failure';
import { ProfileFileError } from '../profiles/profileTransfer';
import { ProfileError } from '../storage/profileStore';
import { describeStorageFailure } from '../storage/storageSpace';
import { StorageFullError } from '../storage/storageWrite';

/** Errors whose message is written for the person: pages show it as it is. */
const WRITTEN_FOR_THE_PERSON = [WorkerFailed, ProfileError, ProfileFileError, StorageFullError];

/**
 * The sentence a page shows for a caught error: a typed error's own message, or for anything else
 * (a bug) the page's `unexpected` sentence with the error's message after it, and the error in the
 * console for whoever investigates.
 */
export function messageFor(error: unknown, unexpected: string): string {
  if (WRITTEN_FOR_THE_PERSON.some((type) => error instanceof type)) return describeError(error);
  // A full disk met by a write that did not go through storageWrite still gets the sentence for the person.
  const storage = describeStorageFailure(error);
  if (storage !== null) return storage;
  console.error(error);
  return `${unexpected}: ${describeError(error)}`;
}
