import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db, type ModelRecord } from '../../../src/storage/db';
import { jobRecord, startJobRecord } from '../../../src/storage/jobStore';
import { currentModel, currentModelId, DatasetDeletedError, modelWeightsOf, saveModel } from '../../../src/storage/modelStore';
import { createProfile, deleteProfile } from '../../../src/storage/profileStore';
import { addDatasetRecord } from './datasetRecord';
import { saveProfileVector, storedProfileVector } from '../../../src/storage/profileVectorStore';
import { modelRecord } from './modelRecord';
import { twoUserWeights } from './twoUserWeights';

const ARTIFACTS = { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(4) };

beforeEach(async () => {
  await db.delete();
  await db.open();
  await addDatasetRecord(1);
});

describe('the current model', () => {
  it('is the one saved last, whatever the clocks said', async () => {
    const first = (await db.models.add(modelRecord(1, 2000) as ModelRecord)) as number;
    // A later save with an earlier time (the clock was set back): still the current one.
    const second = (await db.models.add(modelRecord(1, 1000) as ModelRecord)) as number;
    await db.models.add(modelRecord(2, 3000) as ModelRecord);
    expect(second).toBeGreaterThan(first);
    expect(await currentModelId(1)).toBe(second);
    expect((await currentModel(1))?.id).toBe(second);
    expect(await currentModel(3)).toBeNull();
  });

  it('replaces the previous one on save, with its weights and folded-in vectors, and ends the training job record', async () => {
    await startJobRecord('training', 'run');
    const old = await saveModel(modelRecord(1, 1), { artifacts: ARTIFACTS });
    await saveProfileVector({ modelId: old, profileId: 1, vectors: [new Float32Array(2)], historyChangedAt: 1, createdAt: 1 });
    await startJobRecord('training', 'run again');
    const saved = await saveModel(modelRecord(1, 2), { artifacts: ARTIFACTS });
    expect(await currentModelId(1)).toBe(saved);
    expect(await db.models.count()).toBe(1);
    expect(await db.modelWeights.get(old)).toBeUndefined();
    expect(await storedProfileVector(old, 1)).toBeNull();
    expect(await jobRecord('training')).toBeNull();
  });
});

describe('saving a model after deletes made while it trained', () => {
  it('refuses a model of a data set that no longer exists, and keeps the job record for the failure to clear', async () => {
    await startJobRecord('training', 'run');
    const failure = await saveModel(modelRecord(7, 1), { artifacts: ARTIFACTS }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DatasetDeletedError);
    expect(await db.models.count()).toBe(0);
    expect(await db.modelWeights.count()).toBe(0);
  });

  it("forgets a profile deleted meanwhile: its rows are zeroed and it is not among the model's users", async () => {
    const ana = await createProfile('Ana');
    const ben = await createProfile('Ben');
    await deleteProfile(ana.id);
    const id = await saveModel(
      {
        ...modelRecord(1, 1),
        numUsers: 2,
        datasetUsers: 0,
        profileUsers: [
          { profileId: ben.id, user: 0, historyChangedAt: 0, movies: 20 },
          { profileId: ana.id, user: 1, historyChangedAt: 0, movies: 20 },
        ],
      },
      twoUserWeights(),
    );
    const stored = await modelWeightsOf(id);
    expect('artifacts' in stored && Array.from(new Float32Array(stored.artifacts.weightData))).toEqual([1, 2, 0, 0, 5, 6, 7]);
    expect((await currentModel(1))?.profileUsers.map((p) => p.profileId)).toEqual([ben.id]);
  });
});
