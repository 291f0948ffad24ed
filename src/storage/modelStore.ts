import { isUserEmbedding } from '../engine/model/neumfLayout';
import { db, type ModelRecord, type StoredArtifacts } from './db';

/**
 * Saves a trained model as the data set's current one, in one transaction: the previous model
 * stays until the new one is completely written (a closed tab or a full disk keeps the old one).
 */
export async function saveModel(record: Omit<ModelRecord, 'id'>, artifacts: StoredArtifacts): Promise<number> {
  return db.transaction('rw', [db.models, db.modelWeights, db.profileVectors, db.jobs], async () => {
    const old = await db.models.where('datasetId').equals(record.datasetId).primaryKeys();
    const id = (await db.models.add(record as ModelRecord)) as number;
    await db.modelWeights.add({ modelId: id, artifacts });
    for (const oldId of old) {
      await db.profileVectors.where('[modelId+profileId]').between([oldId, -Infinity], [oldId, Infinity]).delete();
      await db.modelWeights.delete(oldId);
      await db.models.delete(oldId);
    }
    await db.jobs.delete('training');
    return id;
  });
}

/** The data set's current model (its record: settings, metrics, profiles; not the weights). */
export async function modelForDataset(datasetId: number): Promise<ModelRecord | null> {
  const models = await db.models.where('datasetId').equals(datasetId).toArray();
  return models.sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
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
