/** Free space the browser will still give this origin, or null when it does not say. */
export async function freeStorageBytes(): Promise<number | null> {
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
  if (!estimate || estimate.quota === undefined || estimate.usage === undefined) return null;
  return Math.max(0, estimate.quota - estimate.usage);
}

/** The message a person sees when IndexedDB refuses a write because the disk or quota is full; null for other errors. */
export function describeStorageFailure(error: unknown): string | null {
  const names = [(error as { name?: string })?.name, (error as { inner?: { name?: string } })?.inner?.name];
  if (names.includes('QuotaExceededError')) {
    return 'The browser ran out of storage space while saving. Nothing was changed: free some space or delete a data set, then try again.';
  }
  return null;
}
