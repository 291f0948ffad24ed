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
