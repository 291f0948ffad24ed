import type { BaselineParameters } from '../engine/baselines/baselineParameters';
import type { SparseRows } from '../engine/data/sparseRows';
import { isUserEmbedding } from '../engine/model/neumfLayout';
import { selectionScore } from '../engine/training/trainingRun';
import {
  db,
  RECOMMENDER_KINDS,
  type ModelRecord,
  type ModelWeightsRecord,
  type NewModelRecord,
  type RecommenderKind,
  type StoredArtifacts,
} from './db';
import { clearJobRecord } from './jobStore';

/** A model's weights as `saveModel` takes them: NeuMF's tfjs artifacts, or a baseline's parameters. */
export type ModelWeights = { artifacts: StoredArtifacts } | { baseline: { parameters: BaselineParameters; histories: SparseRows } };

/** A model finished training for a data set that was deleted meanwhile: it is not saved. `message` is shown as it is. */
export class DatasetDeletedError extends Error {
  override readonly name = 'DatasetDeletedError';
  constructor() {
    super('The data set was deleted while the model trained, so the model was not saved. Train again on another data set.');
  }
}

/**
 * Saves a trained model as the data set's current one of its kind, in one transaction: the
 * previous model of that kind stays until the new one is completely written (a closed tab or a
 * full disk keeps the old one). Models of the other kinds are untouched. `finishesJob`: the
 * training job record goes in the same transaction (the job's last model).
 *
 * What was deleted while the model trained is respected here, where no delete can slip in between:
 * a model of a deleted data set is refused (DatasetDeletedError), and the users of deleted profiles
 * are forgotten (zeroed, as `eraseProfileFromModels` does for saved models).
 */
export async function saveModel(record: NewModelRecord, weights: ModelWeights, finishesJob = true): Promise<number> {
  return db.transaction('rw', [db.models, db.modelWeights, db.profileVectors, db.jobs, db.datasets, db.profiles], async () => {
    if (!(await db.datasets.get(record.datasetId))) throw new DatasetDeletedError();
    const profiles = new Set(await db.profiles.toCollection().primaryKeys());
    let kept: ModelWeightsRecord = { modelId: 0, ...weights };
    for (const entry of record.profileUsers) if (!profiles.has(entry.profileId)) kept = withoutUser(kept, entry.user);
    const profileUsers = record.profileUsers.filter((entry) => profiles.has(entry.profileId));
    const old = await db.models.where('[datasetId+kind]').equals([record.datasetId, record.kind]).primaryKeys();
    const id = (await db.models.add({ ...record, profileUsers } as ModelRecord)) as number;
    await db.modelWeights.add({ ...kept, modelId: id });
    await deleteModels(old);
    if (finishesJob) await clearJobRecord('training');
    return id;
  });
}

/**
 * The data set's current models: the last one saved of each kind (ids only grow, whatever the
 * clock says), in the order NeuMF, iALS, EASE, ItemPop.
 */
export async function currentModels(datasetId: number): Promise<ModelRecord[]> {
  const models = await db.models.where('datasetId').equals(datasetId).toArray();
  const latest = new Map<RecommenderKind, ModelRecord>();
  for (const model of models) if ((latest.get(model.kind)?.id ?? -1) < model.id) latest.set(model.kind, model);
  return RECOMMENDER_KINDS.map((kind) => latest.get(kind)).filter((m): m is ModelRecord => m !== undefined);
}

/** Which model recommends: the one that ranks validation best ('best'), or a kind the person picked. */
export type RecommenderChoice = 'best' | RecommenderKind;

/**
 * The model the Recommend page uses among `models`: the picked kind where there is one, else the
 * one whose kept epoch ranks validation best (docs/EVALUATION.md). Models saved before validation
 * existed have no such figure: they win only alone.
 */
export function recommendedModel(models: ModelRecord[], choice: RecommenderChoice = 'best'): ModelRecord | null {
  if (choice !== 'best') {
    const picked = models.find((m) => m.kind === choice);
    if (picked) return picked;
  }
  let best: ModelRecord | null = null;
  for (const model of models) if (best === null || validationScore(model) > validationScore(best)) best = model;
  return best;
}

/** The validation figure of a model's kept epoch, as models are compared on it. */
export function validationScore(model: ModelRecord): number {
  return selectionScore(model.epochs.find((e) => e.epoch === model.bestEpoch) ?? { valNdcg10: null });
}

/** The data set's model that recommends (`recommendedModel`), its record only (not the weights). */
export async function currentModel(datasetId: number, choice: RecommenderChoice = 'best'): Promise<ModelRecord | null> {
  return recommendedModel(await currentModels(datasetId), choice);
}

/** The id of `currentModel`. */
export async function currentModelId(datasetId: number, choice: RecommenderChoice = 'best'): Promise<number | null> {
  return (await currentModel(datasetId, choice))?.id ?? null;
}

/** The models of a data set with their weights and folded-in vectors; call inside a transaction over those tables. */
export async function deleteModelsOf(datasetId: number): Promise<void> {
  await deleteModels(await db.models.where('datasetId').equals(datasetId).primaryKeys());
}

async function deleteModels(ids: number[]): Promise<void> {
  for (const id of ids) {
    await db.profileVectors.where('[modelId+profileId]').between([id, -Infinity], [id, Infinity]).delete();
    await db.modelWeights.delete(id);
    await db.models.delete(id);
  }
}

export async function modelWeightsOf(modelId: number): Promise<ModelWeightsRecord> {
  const weights = await db.modelWeights.get(modelId);
  if (!weights) throw new Error('The trained model is no longer stored: train again.');
  return weights;
}

/**
 * Forgets a deleted profile in every stored model: its user row in the embedding tables or
 * factors (and, for EASE, its training row) is zeroed, its entry and folded-in vectors removed.
 * The rest of each model is unchanged.
 */
export async function eraseProfileFromModels(profileId: number): Promise<void> {
  await db.transaction('rw', [db.models, db.modelWeights, db.profileVectors], async () => {
    await db.profileVectors.where('profileId').equals(profileId).delete();
    for (const model of await db.models.toArray()) {
      const entry = model.profileUsers.find((p) => p.profileId === profileId);
      if (!entry) continue;
      const weights = await db.modelWeights.get(model.id);
      if (weights) await db.modelWeights.put(withoutUser(weights, entry.user));
      await db.models.update(model.id, { profileUsers: model.profileUsers.filter((p) => p.profileId !== profileId) });
    }
  });
}

/** A copy of a model's weights with everything of user `user` set to 0 or removed. */
export function withoutUser(weights: ModelWeightsRecord, user: number): ModelWeightsRecord {
  if ('artifacts' in weights) return { modelId: weights.modelId, artifacts: zeroUserRows(weights.artifacts, user) };
  const { parameters, histories } = weights.baseline;
  return {
    modelId: weights.modelId,
    baseline: { parameters: withoutBaselineUser(parameters, user), histories: withoutRow(histories, user) },
  };
}

/** A copy of the artifacts with row `user` of every user embedding table set to 0. */
export function zeroUserRows(artifacts: StoredArtifacts, user: number): StoredArtifacts {
  const data = artifacts.weightData.slice(0);
  const floats = new Float32Array(data);
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (isUserEmbedding(spec.name)) {
      const width = spec.shape[1];
      floats.fill(0, offset + user * width, offset + (user + 1) * width);
    }
    offset += size;
  }
  return { ...artifacts, weightData: data };
}

function withoutBaselineUser(parameters: BaselineParameters, user: number): BaselineParameters {
  if (parameters.kind !== 'ials') return parameters;
  const userFactors = parameters.userFactors.slice();
  userFactors.fill(0, user * parameters.dimension, (user + 1) * parameters.dimension);
  return { ...parameters, userFactors };
}

/** `rows` with row `row` emptied. */
function withoutRow(rows: SparseRows, row: number): SparseRows {
  const removed = rows.offsets[row + 1] - rows.offsets[row];
  if (removed === 0) return rows;
  const entries = new Int32Array(rows.entries.length - removed);
  entries.set(rows.entries.subarray(0, rows.offsets[row]));
  entries.set(rows.entries.subarray(rows.offsets[row + 1]), rows.offsets[row]);
  const offsets = rows.offsets.map((o, r) => (r > row ? o - removed : o));
  return { ...rows, offsets, entries };
}
