/**
 * Web Locks keep long jobs to one tab at a time: the tab that runs a training or an import holds
 * the lock until it ends (a closed tab releases it). Another tab sees the lock and says that the
 * job runs elsewhere; a job record in IndexedDB without a held lock means the tab that ran it closed.
 */
export const TRAINING_LOCK = 'reel-training';
export const IMPORT_LOCK = 'reel-import';

/** Runs `job` holding the lock, or returns `busy` at once when another tab holds it. */
export async function withJobLock<T>(name: string, job: () => Promise<T>, busy: () => T): Promise<T> {
  if (!navigator.locks) return job();
  return navigator.locks.request(name, { ifAvailable: true }, async (lock) => (lock ? job() : busy()));
}

export async function isJobLockHeld(name: string): Promise<boolean> {
  if (!navigator.locks) return false;
  const state = await navigator.locks.query();
  return (state.held ?? []).some((lock) => lock.name === name);
}

/**
 * Resolves once no tab holds the lock: at once when none does, or when the tab holding it finishes
 * its job or closes (the browser releases a closed tab's locks). A shared request waits for the
 * holder without keeping it from anyone afterwards: it is released as soon as it is granted.
 * `signal`, if given, gives up the wait.
 */
export async function whenJobLockFree(name: string, signal?: AbortSignal): Promise<void> {
  if (!navigator.locks) return;
  await navigator.locks.request(name, { mode: 'shared', signal }, async () => undefined);
}
