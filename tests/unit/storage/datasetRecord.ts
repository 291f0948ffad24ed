import { db, type DatasetRecord } from '../../../src/storage/db';

/** A data set's record alone: what a model's save checks is there (its interactions and movies are not needed). */
export async function addDatasetRecord(id: number): Promise<void> {
  await db.datasets.add({
    id,
    name: `data set ${id}`,
    format: 'grouplens-csv',
    createdAt: id,
    sourceNames: [],
    seed: 1,
    maxUsers: null,
    counts: {} as DatasetRecord['counts'],
    timings: { parseSeconds: 0, splitSeconds: 0, storeSeconds: 0, totalSeconds: 0 },
  });
}
