import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { importDataset, type ImportedDataset } from '../../../src/data/importDataset';
import {
  deleteDataset,
  fingerprintAlikeDatasets,
  getActiveDatasetId,
  listDatasets,
  loadSplit,
  reuseImportedDataset,
  saveImportedDataset,
  setActiveDataset,
} from '../../../src/storage/datasetStore';
import { db, type ModelRecord } from '../../../src/storage/db';
import { jobRecord, startJobRecord } from '../../../src/storage/jobStore';
import { currentModel, saveModel } from '../../../src/storage/modelStore';
import { saveProfileVector } from '../../../src/storage/profileVectorStore';
import { modelRecord } from './modelRecord';
import { splitFingerprint } from '../../../src/data/splitFingerprint';

/** A data set of `movies` movies (ids base+1 ..), each a catalogue row. */
async function saveDataset(
  name: string,
  movies: number,
  base: number,
  train = { users: new Int32Array(), items: new Int32Array() },
  partValues?: number,
  fingerprint?: string,
): Promise<number> {
  const itemMovieIds = Int32Array.from({ length: movies }, (_, i) => base + i + 1);
  const imported = {
    split: {
      numUsers: 1,
      numItems: movies,
      numTrainItems: movies,
      trainUsers: train.users,
      trainItems: train.items,
      testItems: new Int32Array(1),
      userIds: new Int32Array([1]),
      itemMovieIds,
    },
    counts: { format: 'grouplens-csv', users: 1, movies, train: train.users.length, validation: 0, test: 1 },
    catalogue: Array.from(itemMovieIds, (movieId, item) => ({
      item,
      movieId,
      title: `Movie ${movieId} (2000)`,
      year: 2000,
      genres: [],
      imdbId: null,
      tmdbId: null,
      popularity: 1,
    })),
    parseSeconds: 0,
    splitSeconds: 0,
  } as unknown as ImportedDataset;
  return (
    await saveImportedDataset(imported, { name, sourceNames: [], seed: 1, maxUsers: Infinity, startedAt: 0, fingerprint }, partValues)
  ).id;
}

/** A trained model of the data set (it replaces the previous one) with the profiles' folded-in vectors. */
async function saveTrainedModel(datasetId: number, profileIds: number[]): Promise<number> {
  const modelId = await saveModel(modelRecord(datasetId, Date.now()), {
    artifacts: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(8) },
  });
  for (const profileId of profileIds)
    await saveProfileVector({ modelId, profileId, vectors: [new Float32Array(2)], historyChangedAt: 1, createdAt: 1 });
  return modelId;
}

async function rows(): Promise<Record<string, number>> {
  const tables = [db.datasets, db.splits, db.splitParts, db.movies, db.models, db.modelWeights, db.profileVectors];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t.name, await t.count()] as const)));
}

beforeEach(async () => {
  await db.delete();
  await db.open();
});

describe('an import of interactions saved before', () => {
  it('makes the earlier data set active again and ends the import, without adding anything', async () => {
    const first = await saveDataset('ml-latest-small', 3, 0, undefined, undefined, 'f1');
    const second = await saveDataset('other', 4, 10, undefined, undefined, 'f2');
    const before = await rows();
    await startJobRecord('import', 'ml-latest-small again');
    const earlier = await reuseImportedDataset('f1');
    expect(earlier?.id).toBe(first);
    expect(earlier?.name).toBe('ml-latest-small');
    expect(await getActiveDatasetId()).toBe(first);
    expect(await jobRecord('import')).toBeNull();
    expect(await rows()).toEqual(before);
    expect(second).not.toBe(first);
  });

  it('fingerprints a data set saved before imports were compared when its counts match, and so finds it', async () => {
    const train = { users: new Int32Array([0, 0]), items: new Int32Array([0, 2]) };
    const older = await saveDataset('first visit', 3, 0, train);
    const other = await saveDataset('other', 5, 10);
    await setActiveDataset(other);
    const olderRecord = (await db.datasets.get(older))!;
    const fingerprint = await splitFingerprint(await loadSplit(older));
    await fingerprintAlikeDatasets(olderRecord.counts);
    expect((await db.datasets.get(older))?.fingerprint).toBe(fingerprint);
    // Counted otherwise, so never read back.
    expect((await db.datasets.get(other))?.fingerprint).toBeUndefined();
    expect((await reuseImportedDataset(fingerprint))?.id).toBe(older);
    expect(await getActiveDatasetId()).toBe(older);
  });

  it("gives a saved import, read back from its pieces, the fingerprint of the import's own split", async () => {
    const ratings = ['userId,movieId,rating,timestamp'];
    for (let u = 1; u <= 30; u++) for (let m = 1; m <= 5; m++) ratings.push(`${u},${((u * m) % 9) + 1},4,${u * 10 + m}`);
    const movies = ['movieId,title,genres', ...Array.from({ length: 9 }, (_, k) => `${k + 1},Film ${k + 1} (1999),Drama`)];
    const file = (name: string, lines: string[]) => new File([lines.join('\n')], name);
    const imported = await importDataset([file('ratings.csv', ratings), file('movies.csv', movies)], {
      maxUsers: Infinity,
      seed: 1,
      minMovies: 1,
    });
    const meta = { name: 'older', sourceNames: [], seed: 1, maxUsers: Infinity, startedAt: 0 };
    const { id } = await saveImportedDataset(imported, meta, 16);
    await fingerprintAlikeDatasets(imported.counts);
    expect((await db.datasets.get(id))?.fingerprint).toBe(await splitFingerprint(imported.split));
  });

  it('finds nothing and changes nothing for new interactions, or beside data sets saved without a fingerprint', async () => {
    await saveDataset('old', 3, 0);
    const newest = await saveDataset('new', 3, 10, undefined, undefined, 'f2');
    await startJobRecord('import', 'another');
    expect(await reuseImportedDataset('f3')).toBeNull();
    expect(await getActiveDatasetId()).toBe(newest);
    expect(await jobRecord('import')).not.toBeNull();
  });
});

describe('saving an imported data set', () => {
  it("makes it the active one and ends the import's job record in the same transaction", async () => {
    await startJobRecord('import', 'small');
    const id = await saveDataset('small', 3, 0);
    expect(await getActiveDatasetId()).toBe(id);
    expect(await jobRecord('import')).toBeNull();
  });
});

describe('stored training columns', () => {
  it('are stored in pieces no larger than the part size and load back whole', async () => {
    const users = Int32Array.from({ length: 10 }, (_, k) => k % 3);
    const items = Int32Array.from({ length: 10 }, (_, k) => (k * 7) % 5);
    const id = await saveDataset('pieces', 5, 0, { users, items }, 4);
    const parts = await db.splitParts.where('datasetId').equals(id).toArray();
    expect(parts.map((p) => [p.column, p.index, p.values.length])).toEqual([
      ['trainItems', 0, 4],
      ['trainItems', 1, 4],
      ['trainItems', 2, 2],
      ['trainUsers', 0, 4],
      ['trainUsers', 1, 4],
      ['trainUsers', 2, 2],
    ]);
    // Each piece is a buffer of its own: a stored view would carry the whole column.
    expect(parts.every((p) => p.values.buffer.byteLength === p.values.length * 4)).toBe(true);
    const split = await loadSplit(id);
    expect(Array.from(split.trainUsers)).toEqual(Array.from(users));
    expect(Array.from(split.trainItems)).toEqual(Array.from(items));
  });

  it('are read from the split record itself in data sets saved before the pieces', async () => {
    const id = await saveDataset('old', 5, 0);
    await db.splitParts.where('datasetId').equals(id).delete();
    await db.splits.update(id, {
      trainUsers: new Int32Array([0, 0]),
      trainItems: new Int32Array([3, 4]),
      validationItems: new Int32Array([-1]),
    });
    const split = await loadSplit(id);
    expect(Array.from(split.trainItems)).toEqual([3, 4]);
  });
});

describe('deleting a data set', () => {
  it('deletes everything under it, models, weights and folded-in vectors included, and nothing of the other', async () => {
    const kept = await saveDataset('kept', 3, 0);
    const keptModel = await saveTrainedModel(kept, [1]);
    // Training rows, so that its split has pieces to delete.
    const doomed = await saveDataset('doomed', 5, 100, { users: new Int32Array(3), items: Int32Array.from([0, 1, 2]) });
    await saveTrainedModel(doomed, [1, 2]);
    expect(await rows()).toEqual({ datasets: 2, splits: 2, splitParts: 2, movies: 8, models: 2, modelWeights: 2, profileVectors: 3 });

    await deleteDataset(doomed);

    expect(await rows()).toEqual({ datasets: 1, splits: 1, splitParts: 0, movies: 3, models: 1, modelWeights: 1, profileVectors: 1 });
    expect((await listDatasets()).map((d) => d.name)).toEqual(['kept']);
    expect((await currentModel(kept))?.id).toBe(keptModel);
    expect(await db.modelWeights.get(keptModel)).toBeDefined();
    expect(await db.profileVectors.get([keptModel, 1])).toBeDefined();
  });

  it('hands the active role to the newest remaining data set', async () => {
    const older = await saveDataset('older', 2, 0);
    const newer = await saveDataset('newer', 2, 10);
    await setActiveDataset(older);
    await deleteDataset(older);
    expect(await getActiveDatasetId()).toBe(newer);
  });
});
