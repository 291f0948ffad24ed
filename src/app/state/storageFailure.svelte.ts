import { describeStorageFailure } from '../../storage/storageSpace';

/**
 * A write that a full disk refused where no page waits for the answer (a click on Add, Remove,
 * + Watch-list, Use): the stores reject with the storage-failure sentence (storageWrite.ts), and
 * this shows it at the top of every page instead of leaving an unhandled rejection and a click
 * that did nothing. Pages that catch their own errors show them themselves (messageFor).
 */
class StorageFailure {
  #message = $state<string | null>(null);

  get message(): string | null {
    return this.#message;
  }

  /** Catches the window's unhandled rejections that are storage failures; others go on to the console as before. */
  listen(target: Window): void {
    target.addEventListener('unhandledrejection', (event) => {
      const message = describeStorageFailure(event.reason);
      if (message === null) return;
      event.preventDefault();
      this.#message = message;
    });
  }

  dismiss(): void {
    this.#message = null;
  }
}

export const storageFailure = new StorageFailure();
