import Dexie, { type EntityTable } from 'dexie';
import type { CatalogueMovie, ImportCounts } from '../data/importDataset';
import type { ProfileUser } from '../data/profileInteractions';
import type { IdColumn } from '../data/ratingsTable';
import type { BaselineKind, BaselineParameters } from '../engine/baselines/baselineParameters';
import type { EaseSettings } from '../engine/baselines/easeSettings';
import type { IalsSettings } from '../engine/baselines/ialsSettings';
import type { SparseRows } from '../engine/data/sparseRows';
import type { NeuMFSettings } from '../engine/model/neumfSettings';
import type { EpochReport } from '../engine/training/trainingRun';
import { renormaliseProfileNames } from './profileNameMigration';

/**
 * The one IndexedDB schema of the app (Dexie). Interactions are stored compactly: one `splits`
 * record per data set holds its typed arrays, and its two training columns are stored in
 * `splitParts` pieces of at most 64 MB (Chromium refuses one value above ~133 MB; all users of
 * ml-25m make 100 MB a column), so a worker loads millions of interactions in a few reads.
 * Movies are rows, so the catalogue can be listed and searched.
 */

export interface DatasetRecord {
  id: number;
  name: string;
  format: ImportCounts['format'];
  createdAt: number;
  sourceNames: string[];
  seed: number;
  /** null: every user of the file was kept. */
  maxUsers: number | null;
  counts: ImportCounts;
  timings: { parseSeconds: number; splitSeconds: number; storeSeconds: number; totalSeconds: number };
  /** `splitFingerprint` of its interactions; absent in data sets saved before imports were compared. */
  fingerprint?: string;
}

export interface SplitRecord {
  datasetId: number;
  numUsers: number;
  numItems: number;
  numTrainItems: number;
  /** Only in data sets saved before `splitParts` existed; since, the columns are in `splitParts` (`loadSplit` joins them). */
  trainUsers?: Int32Array;
  trainItems?: Int32Array;
  /**
   * Absent in data sets imported before validation existed: their train rows still hold every
   * non-test movie, and `loadSplit` holds a seeded random one per user out (docs/EVALUATION.md).
   */
  validationItems?: Int32Array;
  testItems: Int32Array;
  /** 32-bit in data sets imported before ids above 2^31 − 1 were accepted, 64-bit since. */
  userIds: IdColumn;
  itemMovieIds: IdColumn;
}

/** One piece of a split's training column: values [index × part size, …) of `column`. */
export interface SplitPartRecord {
  datasetId: number;
  column: 'trainUsers' | 'trainItems';
  index: number;
  values: Int32Array;
}

export interface MovieRecord extends CatalogueMovie {
  datasetId: number;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

/** A long job that was running; found on start-up, it means the tab closed in the middle. */
export interface JobRecord {
  kind: 'import' | 'training';
  startedAt: number;
  description: string;
}

export interface ProfileRecord {
  id: number;
  name: string;
  /** profileRules.ts `nameKey`: unique, so "Ana", " ana " and "Ａｎａ" cannot all exist. */
  nameKey: string;
  createdAt: number;
  /** When the person pressed "Finish" on their history (at least 20 movies); null before. */
  historyFinishedAt: number | null;
  /** Last change to history after finishing: a model trained before it is out of date for this profile. */
  historyChangedAt: number;
}

/** A movie a profile has seen. Keyed by MovieLens movieId, so it survives switching data sets. */
export interface HistoryRecord {
  profileId: number;
  movieId: number;
  addedAt: number;
}

/** A movie a profile said is "not for me": never recommended to it again (until the person undoes it). */
export interface NotForMeRecord {
  profileId: number;
  movieId: number;
  addedAt: number;
}

export interface WatchlistRecord {
  profileId: number;
  movieId: number;
  addedAt: number;
}

/** tfjs model artifacts as tfjs IO hands them over (topology JSON, weight specs, one weight buffer). */
export interface StoredArtifacts {
  modelTopology: unknown;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/** The recommenders the app trains: NeuMF (any of its variants) and the baselines beside it. */
export type RecommenderKind = 'neumf' | BaselineKind;
export const RECOMMENDER_KINDS: readonly RecommenderKind[] = Object.freeze(['neumf', 'ials', 'ease', 'itempop']);

/**
 * A trained model with everything needed to trust and reuse it. Per data set the latest of each
 * kind is kept; the Recommend page uses the one that ranks validation best (docs/EVALUATION.md).
 */
export type ModelRecord = ModelRecordCommon &
  (
    | {
        kind: 'neumf';
        settings: NeuMFSettings;
        /** 'smoothed': the epoch kept was best smoothed with its neighbours (`EpochChoice`); absent: the single best epoch (before session 15). */
        epochChoice?: 'smoothed';
      }
    | { kind: 'ials'; settings: IalsSettings }
    | { kind: 'ease'; settings: EaseSettings }
    | { kind: 'itempop'; settings: null }
  );

/** A model record before it is saved (no id yet). */
export type NewModelRecord = ModelRecord extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

interface ModelRecordCommon {
  id: number;
  datasetId: number;
  createdAt: number;
  /** What trained it, e.g. "wasm-simd (fused kernels)" or "tfjs webgl2 (ANGLE (...))". */
  backend: string;
  numUsers: number;
  numItems: number;
  /** Users 0 .. datasetUsers-1 are the data set's; the profiles follow. */
  datasetUsers: number;
  profileUsers: ProfileUser[];
  /**
   * One report per epoch of the run (epoch 0: the untrained model), or per fitted setting (EASE).
   * Models saved before the validation hold-out existed have null where its figures would be.
   */
  epochs: EpochReport[];
  /** The epoch (or step) chosen on validation, whose weights were kept. */
  bestEpoch: number;
  trainSeconds: number;
}

/**
 * A model's weights, apart from its record: pages list and compare models often and never need
 * the megabytes of weights, which only the ranking worker reads. NeuMF: tfjs artifacts; a
 * baseline: its parameters and the training rows they were fitted on (EASE scores through them).
 */
export type ModelWeightsRecord =
  | { modelId: number; artifacts: StoredArtifacts }
  | { modelId: number; baseline: { parameters: BaselineParameters; histories: SparseRows } };

/** A profile's user vectors learned against a frozen model (fold-in), without a full retrain. */
export interface ProfileVectorRecord {
  modelId: number;
  profileId: number;
  /**
   * One entry: the profile's whole user row as FusedNeuMF.getUserRow lays it out, the GMF vector
   * followed by the MLP one (src/recommend/profileVector.ts writes and reads it).
   */
  vectors: Float32Array[];
  historyChangedAt: number;
  createdAt: number;
}

/** What an epoch of a model saved before version 5 lacks: nothing was measured on validation or the full catalogue. */
const LEGACY_EPOCH_FIGURES = {
  valHr10: null,
  valNdcg10: null,
  fullHr10: null,
  fullNdcg10: null,
  coverage10: null,
  top100Share10: null,
  fullUsers: null,
} as const;

export class ReelDatabase extends Dexie {
  datasets!: EntityTable<DatasetRecord, 'id'>;
  splits!: EntityTable<SplitRecord, 'datasetId'>;
  splitParts!: Dexie.Table<SplitPartRecord, [number, string, number]>;
  movies!: EntityTable<MovieRecord, 'item'>;
  settings!: EntityTable<SettingRecord, 'key'>;
  jobs!: EntityTable<JobRecord, 'kind'>;
  profiles!: EntityTable<ProfileRecord, 'id'>;
  history!: Dexie.Table<HistoryRecord, [number, number]>;
  watchlist!: Dexie.Table<WatchlistRecord, [number, number]>;
  notForMe!: Dexie.Table<NotForMeRecord, [number, number]>;
  models!: EntityTable<ModelRecord, 'id'>;
  modelWeights!: EntityTable<ModelWeightsRecord, 'modelId'>;
  profileVectors!: Dexie.Table<ProfileVectorRecord, [number, number]>;

  constructor(name = 'reel') {
    super(name);
    this.version(1).stores({
      datasets: '++id, createdAt',
      splits: 'datasetId',
      // Only the primary key is indexed: every index costs a write per movie row at import time, and
      // the catalogue is searched in memory (a data set's rows come out of this key range in one read).
      movies: '[datasetId+item]',
      settings: 'key',
      jobs: 'kind',
    });
    this.version(2).stores({
      profiles: '++id, &nameKey, createdAt',
      history: '[profileId+movieId], profileId',
      watchlist: '[profileId+movieId], profileId',
    });
    this.version(3).stores({
      models: '++id, datasetId',
      profileVectors: '[modelId+profileId], profileId',
    });
    this.version(4)
      .stores({ modelWeights: 'modelId' })
      .upgrade(async (tx) => {
        // Version 3 kept the weights inside the model record.
        await tx
          .table('models')
          .toCollection()
          .modify(async (model: ModelRecord & { artifacts?: StoredArtifacts }) => {
            if (!model.artifacts) return;
            await tx.table('modelWeights').put({ modelId: model.id, artifacts: model.artifacts });
            delete model.artifacts;
          });
      });
    this.version(5)
      .stores({ models: '++id, datasetId, [datasetId+kind]' })
      .upgrade(async (tx) => {
        // Before version 5 every model was NeuMF, chosen and measured without a validation hold-out.
        await tx
          .table('models')
          .toCollection()
          .modify((model: ModelRecord) => {
            model.kind ??= 'neumf';
            model.epochs = model.epochs.map((epoch) => ({ ...LEGACY_EPOCH_FIGURES, ...epoch }));
          });
      });
    this.version(6).stores({ notForMe: '[profileId+movieId], profileId' });
    this.version(7)
      .stores({ splitParts: '[datasetId+column+index], datasetId' })
      .upgrade((tx) => renormaliseProfileNames(tx.table('profiles')));
  }
}

export const db = new ReelDatabase();
