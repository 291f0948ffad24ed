import { isUserEmbedding } from '../engine/model/neumfLayout';
import { db, type ModelRecord, type StoredArtifacts } from './db';
import { clearJobRecord } from './jobStore';

/**
 * Saves a trained model as the data set's current one, in one transaction: the previous model
 * stays until the new one is completely written (a closed tab or a full disk keeps the old one).
 */
export async function saveModel(record: Omit<ModelRecord, 'id'>, artifacts: StoredArtifacts): Promise<number> {
  return db.transaction('rw', [db.models, db.modelWeights, db.profileVectors, db.jobs], async () => {
    const old = await db.models.where('datasetId').equals(record.datasetId).primaryKeys();
    const id = (await db.models.add(record as ModelRecord)) as number;
    await db.modelWeights.add({ modelId: id, artifacts });
    await deleteModels(old);
    await clearJobRecord('training');
    return id;
  });
}

/**
 * The id of the data set's current model, for the pages and the ranking worker alike: the last one
 * saved (ids only grow, whatever the clock says). saveModel keeps one per data set; should two ever
 * be stored, this decides.
 */
export async function currentModelId(datasetId: number): Promise<number | null> {
  const ids = await db.models.where('datasetId').equals(datasetId).primaryKeys();
  return ids.length > 0 ? Math.max(...ids) : null;
}

/** The data set's current model (its record: settings, metrics, profiles; not the weights). */
export async function currentModel(datasetId: number): Promise<ModelRecord | null> {
  const id = await currentModelId(datasetId);
  return id === null ? null : ((await db.models.get(id)) ?? null);
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

export async function modelWeightsOf(modelId: number): Promise<StoredArtifacts> {
  const weights = await db.modelWeights.get(modelId);
  if (!weights) throw new Error('The trained model is no longer stored: train again.');
  return weights.artifacts;
}

/**
 * Forgets a deleted profile in every stored model: its user rows in the embedding tables are
 * zeroed, its entry and its folded-in vectors removed. The rest of each model is unchanged.
 */
export async function eraseProfileFromModels(profileId: number): Promise<void> {
  await db.transaction('rw', [db.models, db.modelWeights, db.profileVectors], async () => {
    await db.profileVectors.where('profileId').equals(profileId).delete();
    for (const model of await db.models.toArray()) {
      const entry = model.profileUsers.find((p) => p.profileId === profileId);
      if (!entry) continue;
      const weights = await db.modelWeights.get(model.id);
      if (weights) await db.modelWeights.put({ modelId: model.id, artifacts: zeroUserRows(weights.artifacts, entry.user) });
      await db.models.update(model.id, { profileUsers: model.profileUsers.filter((p) => p.profileId !== profileId) });
    }
  });
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
