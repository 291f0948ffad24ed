/** What a saved data set takes per stored integer (its typed arrays) and per movie row: estimateStoredBytes and the Data page's estimate. */
export const STORED_BYTES_PER_INT = 4;
export const STORED_BYTES_PER_MOVIE = 300;

async function storageEstimate(): Promise<StorageEstimate | undefined> {
  return navigator.storage?.estimate?.().catch(() => undefined);
}

/** What the browser will still give this origin, from its estimate; null when it does not say. */
export function availableBytes(estimate: StorageEstimate | undefined): number | null {
  if (estimate?.quota === undefined || estimate.usage === undefined) return null;
  return Math.max(0, estimate.quota - estimate.usage);
}

/** Free space the browser will still give this origin, or null when it does not say. */
export async function freeStorageBytes(): Promise<number | null> {
  return availableBytes(await storageEstimate());
}

/**
 * Checked before an import saves anything: the message when `neededBytes` will not fit in what the
 * browser still allows, or null when it fits (or the browser does not say). `certain` false: the need is
 * an estimate made before reading the files (importFit.ts), so the message says "may".
 */
export function storageShortfall(neededBytes: number, freeBytes: number | null, certain = true): string | null {
  if (freeBytes === null || neededBytes <= freeBytes) return null;
  const mb = (bytes: number): string => (bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0);
  return (
    `${certain ? 'Not enough free storage for this data set' : 'This data set may not fit in storage'}: ` +
    `it needs about ${mb(neededBytes)} MB and the browser allows ${mb(freeBytes)} MB more. Keep fewer users or delete another data set.`
  );
}

/** The message a person sees when IndexedDB refuses a write because the disk or quota is full; null for other errors. */
export function describeStorageFailure(error: unknown): string | null {
  const names = [(error as { name?: string })?.name, (error as { inner?: { name?: string } })?.inner?.name];
  // A StorageFullError (storageWrite.ts) already carries this sentence.
  if (names.includes('QuotaExceededError') || names.includes('StorageFullError')) {
    return 'The browser ran out of storage space while saving. Nothing was changed: free some space or delete a data set, then try again.';
  }
  return null;
}

export interface StorageStatus {
  usedBytes: number | null;
  availableBytes: number | null;
  persisted: boolean | null;
}

export async function storageStatus(): Promise<StorageStatus> {
  const estimate = await storageEstimate();
  const persisted = (await navigator.storage?.persisted?.().catch(() => null)) ?? null;
  return { usedBytes: estimate?.usage ?? null, availableBytes: availableBytes(estimate), persisted };
}

/**
 * Asks the browser not to evict this origin's data under storage pressure. Asked when a person
 * saves a profile: from then on there is something of theirs to lose. The browser may say no.
 */
export async function requestPersistentStorage(): Promise<boolean> {
  return (await navigator.storage?.persist?.().catch(() => false)) ?? false;
}
