import { db, type JobRecord } from './db';

/**
 * The record of a long job (import, training) in IndexedDB. It outlives a closed tab, which is how
 * a later visit, or another tab, tells that a job was cut short (jobLocks.ts says whether one still
 * runs). The job's own save transaction removes it (saveImportedDataset, saveModel), so the record
 * and the saved result never exist together; a failed or cancelled job removes it by itself.
 */
export type JobKind = JobRecord['kind'];

export async function startJobRecord(kind: JobKind, description: string): Promise<void> {
  await db.jobs.put({ kind, startedAt: Date.now(), description });
}

export async function jobRecord(kind: JobKind): Promise<JobRecord | null> {
  return (await db.jobs.get(kind)) ?? null;
}

/** Inside a save transaction, that transaction must include `db.jobs`. */
export async function clearJobRecord(kind: JobKind): Promise<void> {
  await db.jobs.delete(kind);
}
