import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, type ModelRecord, type NewModelRecord } from '../../../src/storage/db';
import { jobRecord, startJobRecord } from '../../../src/storage/jobStore';
import { currentModel, currentModelId, saveModel } from '../../../src/storage/modelStore';
import { saveProfileVector, storedProfileVector } from '../../../src/storage/profileVectorStore';

function record(datasetId: number, createdAt: number): NewModelRecord {
  return {
    datasetId,
    createdAt,
    kind: 'itempop',
    settings: null,
    backend: 'test',
    numUsers: 1,
    numItems: 1,
    datasetUsers: 1,
    profileUsers: [],
    epochs: [],
    bestEpoch: 0,
    trainSeconds: 0,
  };
}

const ARTIFACTS = { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(4) };

beforeEach(async () => {
  await db.delete();
  await db.open();
});

describe('the current model', () => {
  it('is the one saved last, whatever the clocks said', async () => {
    const first = (await db.models.add(record(1, 2000) as ModelRecord)) as number;
    // A later save with an earlier time (the clock was set back): still the current one.
    const second = (await db.models.add(record(1, 1000) as ModelRecord)) as number;
    await db.models.add(record(2, 3000) as ModelRecord);
    expect(second).toBeGreaterThan(first);
    expect(await currentModelId(1)).toBe(second);
    expect((await currentModel(1))?.id).toBe(second);
    expect(await currentModel(3)).toBeNull();
  });

  it('replaces the previous one on save, with its weights and folded-in vectors, and ends the training job record', async () => {
    await startJobRecord('training', 'run');
    const old = await saveModel(record(1, 1), { artifacts: ARTIFACTS });
    await saveProfileVector({ modelId: old, profileId: 1, vectors: [new Float32Array(2)], historyChangedAt: 1, createdAt: 1 });
    await startJobRecord('training', 'run again');
    const saved = await saveModel(record(1, 2), { artifacts: ARTIFACTS });
    expect(await currentModelId(1)).toBe(saved);
    expect(await db.models.count()).toBe(1);
    expect(await db.modelWeights.get(old)).toBeUndefined();
    expect(await storedProfileVector(old, 1)).toBeNull();
    expect(await jobRecord('training')).toBeNull();
  });
});
