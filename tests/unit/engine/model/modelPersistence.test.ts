import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { loadFusedModel, saveFusedModel } from '../../../../src/engine/model/modelPersistence';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { db } from '../../../../src/storage/db';
import type { NeuMFRecord, NewNeuMFRecord } from '../../../../src/engine/model/modelPersistence';
import { randomBatch } from '../fixtures';
import { addDatasetRecord } from '../../storage/datasetRecord';

beforeEach(async () => {
  await db.delete();
  await db.open();
  // A model is saved only for a data set that exists.
  await addDatasetRecord(3);
});

const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, gmfDim: 4, mlpLayers: [8, 8, 4], seed: 9 });

function trainedModel(): FusedNeuMF {
  const model = new FusedNeuMF(6, 10, settings);
  for (let s = 0; s < 30; s++) {
    const { users, items, labels } = randomBatch(6, 10, 32, s);
    model.trainBatch(users, items, labels);
  }
  return model;
}

function record(model: FusedNeuMF): NewNeuMFRecord {
  return {
    kind: 'neumf',
    datasetId: 3,
    createdAt: 1_700_000_000_000,
    settings,
    backend: 'wasm-simd (fused kernels)',
    numUsers: model.numUsers,
    numItems: model.numItems,
    datasetUsers: model.numUsers,
    profileUsers: [],
    epochs: [],
    bestEpoch: 0,
    trainSeconds: 1,
  };
}

/** Every (user, item) pair's score. */
function scores(model: FusedNeuMF, users: number): Float32Array {
  const pairs = users * model.numItems;
  const out = new Float32Array(pairs);
  model.predict(
    Int32Array.from({ length: pairs }, (_, k) => Math.floor(k / model.numItems)),
    Int32Array.from({ length: pairs }, (_, k) => k % model.numItems),
    out,
  );
  return out;
}

describe('saveFusedModel and loadFusedModel', () => {
  it('store the model with its record and load it back to the same scores', async () => {
    const trained = trainedModel();
    const id = await saveFusedModel(trained, record(trained));
    const stored = (await db.models.get(id)) as NeuMFRecord;
    expect(stored).toMatchObject(record(trained));
    expect(await db.modelWeights.get(id)).toBeDefined();

    const loaded = await loadFusedModel(stored);
    expect([loaded.numUsers, loaded.numItems, loaded.settings]).toEqual([6, 10, settings]);
    expect(loaded.getWeights()).toEqual(trained.getWeights());
    expect(scores(loaded, 6)).toEqual(scores(trained, 6));
  });

  it('add spare user rows of zeros after the trained ones', async () => {
    const trained = trainedModel();
    const stored = (await db.models.get(await saveFusedModel(trained, record(trained)))) as NeuMFRecord;
    const loaded = await loadFusedModel(stored, 2);
    expect(loaded.numUsers).toBe(8);
    expect(scores(loaded, 8).subarray(0, 60)).toEqual(scores(trained, 6));
    for (const user of [6, 7]) expect(loaded.getUserRow(user).every((x) => x === 0)).toBe(true);
    expect(loaded.getUserRow(5)).toEqual(trained.getUserRow(5));
  });

  it('say so when the weights are no longer stored', async () => {
    const trained = trainedModel();
    const id = await saveFusedModel(trained, record(trained));
    await db.modelWeights.delete(id);
    await expect(loadFusedModel((await db.models.get(id)) as NeuMFRecord)).rejects.toThrow(
      'The trained model is no longer stored: train again.',
    );
  });
});
