import { LAYER_NAMES } from '../engine/model/fusedNeuMF';
import { db, type ModelRecord, type StoredArtifacts } from './db';

/**
 * Saves a trained model as the data set's current one, in one transaction: the previous model
 * stays until the new one is completely written (a closed tab or a full disk keeps the old one).
 */
export async function saveModel(record: Omit<ModelRecord, 'id'>): Promise<number> {
  return db.transaction('rw', [db.models, db.profileVectors, db.jobs], async () => {
    const old = await db.models.where('datasetId').equals(record.datasetId).primaryKeys();
    const id = (await db.models.add(record as ModelRecord)) as number;
    for (const oldId of old) {
      await db.profileVectors.where('[modelId+profileId]').between([oldId, -Infinity], [oldId, Infinity]).delete();
      await db.models.delete(oldId);
    }
    await db.jobs.delete('training');
    return id;
  });
}

export async function modelForDataset(datasetId: number): Promise<ModelRecord | null> {
  const models = await db.models.where('datasetId').equals(datasetId).toArray();
  return models.sort((a, b) => b.createdAt - a.createdAt)[0] ?? null;
}

/** The model's metadata without its weights: what pages show. */
export type ModelSummary = Omit<ModelRecord, 'artifacts'>;

export async function modelSummaryForDataset(datasetId: number): Promise<ModelSummary | null> {
  const model = await modelForDataset(datasetId);
  if (!model) return null;
  const { artifacts: _artifacts, ...summary } = model;
  return summary;
}

/**
 * Forgets a deleted profile in every stored model: its user rows in the embedding tables are
 * zeroed, its entry and its folded-in vectors removed. The rest of each model is unchanged.
 */
export async function eraseProfileFromModels(profileId: number): Promise<void> {
  await db.transaction('rw', [db.models, db.profileVectors], async () => {
    await db.profileVectors.where('profileId').equals(profileId).delete();
    await db.models.toCollection().modify((model) => {
      const entry = model.profileUsers.find((p) => p.profileId === profileId);
      if (!entry) return;
      model.artifacts = zeroUserRows(model.artifacts, entry.user);
      model.profileUsers = model.profileUsers.filter((p) => p.profileId !== profileId);
    });
  });
}

const USER_TABLES = [LAYER_NAMES.userGmf, LAYER_NAMES.userMlp];

/** A copy of the artifacts with row `user` of every user embedding table set to 0. */
export function zeroUserRows(artifacts: StoredArtifacts, user: number): StoredArtifacts {
  const data = artifacts.weightData.slice(0);
  const floats = new Float32Array(data);
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (USER_TABLES.some((name) => spec.name.startsWith(`${name}/`))) {
      const width = spec.shape[1];
      floats.fill(0, offset + user * width, offset + (user + 1) * width);
    }
    offset += size;
  }
  return { ...artifacts, weightData: data };
}
