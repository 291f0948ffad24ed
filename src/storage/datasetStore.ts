import Dexie from 'dexie';
import type { ImportCounts, ImportedDataset } from '../data/importDataset';
import type { ImportSettings } from '../data/importSettings';
import type { InteractionSplit } from '../data/interactions';
import { splitFingerprint } from '../data/splitFingerprint';
import { holdOutRandomValidation } from '../data/validationHoldOut';
import { db, type DatasetRecord, type SplitPartRecord, type SplitRecord } from './db';
import { clearJobRecord } from './jobStore';
import { deleteModelsOf } from './modelStore';
import { clearSetting, readSetting, writeSetting } from './settingsStore';
import { storageWrite } from './storageWrite';
import { STORED_BYTES_PER_MOVIE } from './storageSpace';

/**
 * Values per stored piece of a training column (`splitParts`): 64 MB, half of the largest value
 * Chromium's IndexedDB accepts (~133 MB), which all users of ml-25m (100 MB a column) exceed.
 */
export const SPLIT_PART_VALUES = 1 << 24;

export interface SaveDatasetMeta extends ImportSettings {
  name: string;
  sourceNames: string[];
  startedAt: number;
  /** `splitFingerprint` of the split, by which a later import of the same interactions finds this one. */
  fingerprint?: string;
}

/**
 * Saves an imported data set and makes it the active one, in a single transaction: a closed tab
 * or a full disk aborts it and leaves the previous data sets exactly as they were.
 */
export async function saveImportedDataset(
  imported: ImportedDataset,
  meta: SaveDatasetMeta,
  /** Smaller in tests, so that a small split still spans several pieces. */
  partValues = SPLIT_PART_VALUES,
): Promise<DatasetRecord> {
  const storeStarted = performance.now();
  const { split, counts, catalogue } = imported;
  return db.transaction('rw', [db.datasets, db.splits, db.splitParts, db.movies, db.settings, db.jobs], async () => {
    const record: Omit<DatasetRecord, 'id'> = {
      name: meta.name,
      format: counts.format,
      createdAt: Date.now(),
      sourceNames: meta.sourceNames,
      seed: meta.seed,
      maxUsers: Number.isFinite(meta.maxUsers) ? meta.maxUsers : null,
      counts,
      timings: { parseSeconds: imported.parseSeconds, splitSeconds: imported.splitSeconds, storeSeconds: 0, totalSeconds: 0 },
      ...(meta.fingerprint === undefined ? {} : { fingerprint: meta.fingerprint }),
    };
    const id = (await db.datasets.add(record as DatasetRecord)) as number;
    const splitRecord: SplitRecord = {
      datasetId: id,
      numUsers: split.numUsers,
      numItems: split.numItems,
      numTrainItems: split.numTrainItems,
      validationItems: split.validationItems,
      testItems: split.testItems,
      userIds: split.userIds,
      itemMovieIds: split.itemMovieIds,
    };
    await db.splits.add(splitRecord);
    for (const column of ['trainUsers', 'trainItems'] as const) {
      // One piece at a time, each a copy: a subarray would carry its whole buffer into the stored value.
      for (let index = 0, from = 0; from < split[column].length; index++, from += partValues) {
        await db.splitParts.add({ datasetId: id, column, index, values: split[column].slice(from, from + partValues) });
      }
    }
    await db.movies.bulkAdd(catalogue.map((movie) => ({ ...movie, datasetId: id })));
    await writeSetting('activeDatasetId', id);
    await clearJobRecord('import');
    const storeSeconds = (performance.now() - storeStarted) / 1000;
    const totalSeconds = (performance.now() - meta.startedAt) / 1000;
    const timings = { ...record.timings, storeSeconds, totalSeconds };
    await db.datasets.update(id, { timings });
    return { ...record, id, timings };
  });
}

/**
 * Gives the data sets saved before imports were compared their fingerprint, where one could hold
 * the interactions of an import that counted `counts` (the same users, movies and held-out rows):
 * only those are read back, so that the first import after this change still finds a copy saved
 * before it (the data set a first visit imported, say) at the cost of reading that one alone.
 */
export async function fingerprintAlikeDatasets(counts: ImportCounts): Promise<void> {
  const alike = await db.datasets.filter((d) => d.fingerprint === undefined && sameCounts(d.counts, counts)).toArray();
  for (const dataset of alike) {
    // Outside any transaction: IndexedDB commits one that waits on SubtleCrypto.
    const fingerprint = await splitFingerprint(await loadSplit(dataset.id));
    await db.datasets.update(dataset.id, { fingerprint });
  }
}

function sameCounts(a: ImportCounts, b: ImportCounts): boolean {
  return (
    a.format === b.format &&
    a.users === b.users &&
    a.movies === b.movies &&
    a.train === b.train &&
    a.validation === b.validation &&
    a.test === b.test
  );
}

/**
 * The data set an earlier import saved with these very interactions (same `splitFingerprint`),
 * made the active one again and the import's job record ended, in one transaction; null when
 * there is none, and nothing changes. A second copy would only double the storage and split the
 * models and recommendations between two lists that look alike.
 */
export async function reuseImportedDataset(fingerprint: string): Promise<DatasetRecord | null> {
  return db.transaction('rw', [db.datasets, db.settings, db.jobs], async () => {
    const earlier = await db.datasets.filter((d) => d.fingerprint === fingerprint).first();
    if (!earlier) return null;
    await writeSetting('activeDatasetId', earlier.id);
    await clearJobRecord('import');
    return earlier;
  });
}

export async function listDatasets(): Promise<DatasetRecord[]> {
  return db.datasets.orderBy('createdAt').toArray();
}

export async function datasetCount(): Promise<number> {
  return db.datasets.count();
}

export async function getActiveDatasetId(): Promise<number | null> {
  const setting = await readSetting('activeDatasetId');
  const id = typeof setting === 'number' ? setting : null;
  if (id !== null && (await db.datasets.get(id))) return id;
  // The active one was deleted (or never set): fall back to the newest.
  const newest = await db.datasets.orderBy('createdAt').last();
  return newest?.id ?? null;
}

export async function getActiveDataset(): Promise<DatasetRecord | null> {
  const id = await getActiveDatasetId();
  return id === null ? null : ((await db.datasets.get(id)) ?? null);
}

export async function setActiveDataset(id: number): Promise<void> {
  await writeSetting('activeDatasetId', id);
}

/** A data set's stored interactions, always with a validation hold-out. */
export type StoredSplit = SplitRecord & InteractionSplit;

export async function loadSplit(datasetId: number): Promise<StoredSplit> {
  const record = await db.splits.get(datasetId);
  if (!record) throw new Error(`Data set ${datasetId} has no stored interactions.`);
  const parts = record.trainUsers ? [] : await db.splitParts.where('datasetId').equals(datasetId).toArray();
  const split = {
    ...record,
    trainUsers: record.trainUsers ?? joinedColumn(parts, 'trainUsers'),
    trainItems: record.trainItems ?? joinedColumn(parts, 'trainItems'),
  };
  if (split.validationItems) return split as StoredSplit;
  return { ...split, ...holdOutRandomValidation(split) };
}

/** A training column from its stored pieces, in order. */
function joinedColumn(parts: SplitPartRecord[], column: SplitPartRecord['column']): Int32Array {
  const pieces = parts.filter((p) => p.column === column).sort((a, b) => a.index - b.index);
  const out = new Int32Array(pieces.reduce((n, p) => n + p.values.length, 0));
  let at = 0;
  for (const piece of pieces) {
    out.set(piece.values, at);
    at += piece.values.length;
  }
  return out;
}

/**
 * Removes a data set with everything under it (interactions, movies, its models with their weights
 * and folded-in vectors) in one transaction: nothing is left orphaned. Other data sets and the
 * profiles are untouched.
 */
export async function deleteDataset(id: number): Promise<void> {
  await storageWrite(() =>
    db.transaction(
      'rw',
      [db.datasets, db.splits, db.splitParts, db.movies, db.settings, db.models, db.modelWeights, db.profileVectors],
      async () => {
        await deleteModelsOf(id);
        await moviesOf(id).delete();
        await db.splits.delete(id);
        await db.splitParts.where('datasetId').equals(id).delete();
        await db.datasets.delete(id);
        if ((await readSetting('activeDatasetId')) === id) await clearSetting('activeDatasetId');
      },
    ),
  );
}

/** Bytes a saved data set takes, roughly: its typed columns plus a few hundred per movie row. */
export function estimateStoredBytes(imported: ImportedDataset): number {
  const { split, catalogue } = imported;
  const columns = [split.trainUsers, split.trainItems, split.validationItems, split.testItems, split.userIds, split.itemMovieIds];
  return columns.reduce((bytes, column) => bytes + column.byteLength, 0) + catalogue.length * STORED_BYTES_PER_MOVIE;
}

/** The catalogue rows of one data set, in item order. */
export function moviesOf(datasetId: number) {
  return db.movies.where('[datasetId+item]').between([datasetId, Dexie.minKey], [datasetId, Dexie.maxKey]);
}
