import { describe, expect, it } from 'vitest';
import { buildUserHistories } from '../../../../src/engine/data/sparseRows';
import { planHeldOutEvaluation } from '../../../../src/engine/evaluation/heldOutEvaluation';
import { createTrainingThreadsMemory, FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { sampleTrainingEpoch } from '../../../../src/engine/sampling/negatives';
import { positivesPerChunk } from '../../../../src/engine/training/trainEpoch';
import { trainStage, type RunContext } from '../../../../src/engine/training/trainingRun';
import { shareTrainingData, TrainingThreadError, TrainingThreads } from '../../../../src/engine/training/trainingThreads';
import { plantedSplit } from '../fixtures';
import { expectSharedScoresAsAlone } from './sharedScoring';

const split = plantedSplit(40, 120, 4, 13, 5);
const seen = buildUserHistories(split);
const settings = resolveNeuMFSettings({
  ...paperNeuMFSettings,
  gmfDim: 8,
  mlpLayers: [16, 8, 4],
  epochs: 3,
  batchSize: 64,
  learningRate: 0.01,
});

const weightsOf = (model: FusedNeuMF) => model.getWeights().map((w) => Array.from(w.values));

describe('FusedNeuMF in a shared memory', () => {
  it('starts from the weights an ordinary model starts from', async () => {
    const memory = createTrainingThreadsMemory(split.numUsers, split.numItems, settings, 2);
    expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const shared = new FusedNeuMF(split.numUsers, split.numItems, settings, { shared: { memory, thread: 0, threads: 2 } });
    expect(weightsOf(shared)).toEqual(weightsOf(new FusedNeuMF(split.numUsers, split.numItems, settings)));
  });

  it('trains as one model when two threads take turns handing on the dense state: the tables are shared, the dense layers passed', async () => {
    const memory = createTrainingThreadsMemory(split.numUsers, split.numItems, settings, 2);
    const threads = [0, 1].map(
      (thread) => new FusedNeuMF(split.numUsers, split.numItems, settings, { shared: { memory, thread, threads: 2 } }),
    );
    const alone = new FusedNeuMF(split.numUsers, split.numItems, settings);
    const handover = new Float32Array(threads[0].denseStateLength);
    threads[0].copyDenseStateTo(handover);
    const { users, items, labels } = sampleTrainingEpoch(split, seen, 4, 11);
    for (let start = 0, k = 0; start < users.length; start += 64, k++) {
      const end = Math.min(users.length, start + 64);
      const turn = threads[k % 2];
      turn.loadDenseState(handover, 0, alone.steps);
      expect(turn.trainBatch(users, items, labels, start, end)).toBe(alone.trainBatch(users, items, labels, start, end));
      turn.copyDenseStateTo(handover);
      expect(turn.steps).toBe(alone.steps);
    }
    threads[0].loadDenseState(handover, 0, alone.steps);
    expect(weightsOf(threads[0])).toEqual(weightsOf(alone));
  });

  it('merges dense states trained apart: weights by the sum of their moves, Adam moments by their mean', () => {
    // Two parts a third each (weights | m | v) of 2 floats: the merged state at 0, two trained ones after it.
    const states = Float32Array.of(1, 2, 0.1, 0.2, 1, 1, /* task A */ 1.5, 2, 0.3, 0.2, 3, 1, /* task B */ 0.5, 3, 0.5, 0.4, 5, 3);
    FusedNeuMF.mergeDenseStates(states, 0, [6, 12], 6);
    expect(Array.from(states.subarray(0, 6))).toEqual([1, 3, 0.4, 0.3, 4, 2].map(Math.fround));
    // Nothing trained: nothing moves.
    FusedNeuMF.mergeDenseStates(states, 0, [], 6);
    expect(Array.from(states.subarray(0, 6))).toEqual([1, 3, 0.4, 0.3, 4, 2].map(Math.fround));
  });

  it('holds gradients for one batch: a step over more distinct items than a batch has is refused, changing nothing', async () => {
    const threadModel = () =>
      new FusedNeuMF(split.numUsers, split.numItems, settings, {
        shared: { memory: createTrainingThreadsMemory(split.numUsers, split.numItems, settings, 1), thread: 0, threads: 1 },
      });
    const rows = settings.batchSize + 1; // every item a different one
    const users = Int32Array.from({ length: rows }, (_, r) => r % split.numUsers);
    const items = Int32Array.from({ length: rows }, (_, r) => r);
    const labels = Float32Array.from({ length: rows }, (_, r) => r % 2);
    // After these steps most rows owe catch-up moves, which a refused step must not make either.
    const steps: [number, number][] = [
      [0, settings.batchSize],
      [0, 8],
      [20, 40],
    ];
    const [refusing, alone] = [threadModel(), threadModel()];
    refusing.trainBatch(users, items, labels, ...steps[0]);
    refusing.trainBatch(users, items, labels, ...steps[1]);
    expect(() => refusing.trainBatch(users, items, labels)).toThrow(/batch of 65 rows may use more than 64 distinct rows/);
    refusing.trainBatch(users, items, labels, ...steps[2]);
    for (const step of steps) alone.trainBatch(users, items, labels, ...step);
    expect(refusing.steps).toBe(3);
    expect(weightsOf(refusing)).toEqual(weightsOf(alone));
  });

  it('refuses a thread the memory has no room for', async () => {
    const memory = createTrainingThreadsMemory(split.numUsers, split.numItems, settings, 1);
    // Thread 1000's scratch lies far past the pages one thread needs (a thread's scratch is a few kilobytes here).
    expect(() => new FusedNeuMF(split.numUsers, split.numItems, settings, { shared: { memory, thread: 1000, threads: 1001 } })).toThrow(
      RangeError,
    );
  });
});

describe('TrainingThreads', () => {
  const oneThread = () =>
    TrainingThreads.start(split, seen, settings, 1, positivesPerChunk(settings.batchSize), () => {
      throw new Error('one thread needs no helper');
    });
  const context = (): RunContext => ({ split, seen, evaluation: planHeldOutEvaluation(split, { perUser: 99 }) });

  it('refuses more threads than the data allow blocks', async () => {
    // 40 users at batch 64: three blocks at most (strataBlocksAtMost).
    await expect(
      TrainingThreads.start(split, seen, settings, 4, positivesPerChunk(settings.batchSize), () =>
        Promise.reject(new Error('not reached')),
      ),
    ).rejects.toThrow(RangeError);
  });

  it('gives up on a helper that never reports ready, ending the one that did and the late one when it answers', async () => {
    const ended: number[] = [];
    let answerLate = () => {};
    const starting = TrainingThreads.start(
      split,
      seen,
      settings,
      3,
      positivesPerChunk(settings.batchSize),
      (setup) =>
        setup.thread === 1
          ? Promise.resolve({ terminate: () => ended.push(1) })
          : new Promise((resolve) => (answerLate = () => resolve({ terminate: () => ended.push(2) }))),
      500,
    );
    await expect(starting).rejects.toThrow(new TrainingThreadError('thread 2 did not start: no answer from it for 1 s.'));
    await expect(starting).rejects.toBeInstanceOf(TrainingThreadError);
    expect(ended).toEqual([1]);
    answerLate();
    await Promise.resolve();
    expect(ended).toEqual([1, 2]);
  });

  it('needs no cross-origin isolation on one thread: its memory and shared state are ordinary buffers', async () => {
    const threads = await oneThread();
    expect(threads.model.sharedMemory!.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    threads.trainEpoch(threads.planEpoch(3));
    expect(threads.model.steps).toBeGreaterThan(0);
    threads.close();
  });

  it('on data too small for two blocks, trains the plain epoch on one thread exactly as the single-threaded run', async () => {
    // 40 users at batch 128: strataBlocksAtMost allows one block.
    const plain = { ...settings, batchSize: 128 };
    const threads = await TrainingThreads.start(split, seen, plain, 1, positivesPerChunk(plain.batchSize), () => {
      throw new Error('one thread needs no helper');
    });
    const run = await trainStage('Training', threads.model, plain, { ...context(), threads });
    threads.close();
    const single = await trainStage('Training', new FusedNeuMF(split.numUsers, split.numItems, plain), plain, context());
    const figures = (epochs: typeof run.epochs) => epochs.map(({ loss, hr10, ndcg10, valNdcg10 }) => ({ loss, hr10, ndcg10, valNdcg10 }));
    expect(figures(run.epochs)).toEqual(figures(single.epochs));
    expect(run.bestWeights.map((w) => Array.from(w.values))).toEqual(single.bestWeights.map((w) => Array.from(w.values)));
  });

  it('scores for an evaluation in shared blocks exactly as the model scores alone (pairs past one block, every user)', async () => {
    const threads = await oneThread();
    await trainStage('Training', threads.model, { ...settings, epochs: 1 }, { ...context(), threads });
    expectSharedScoresAsAlone(threads, 150_000, [0, 17, split.numUsers - 1]);
    threads.close();
  });

  it('ends an epoch owing no row a catch-up, so scoring on any thread only reads the shared memory', async () => {
    const threads = await oneThread();
    threads.trainEpoch(threads.planEpoch(3));
    // Dense embedding Adam moves the rows a batch skipped when they are next used; what `predict`
    // and `scoreUser` would do first is already done, so bringing the rows up to date writes nothing.
    const memory = new Uint8Array(threads.model.sharedMemory!.buffer);
    const before = memory.slice();
    threads.model.flush();
    expect(memory.findIndex((byte, k) => byte !== before[k])).toBe(-1);
    threads.close();
  });

  it('shares the split with helpers as SharedArrayBuffers, unchanged', async () => {
    const shared = shareTrainingData(split, seen);
    expect(shared.positives.trainUsers.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.seen.entries.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.positives.trainItems)).toEqual(Array.from(split.trainItems));
    expect(Array.from(shared.seen.offsets)).toEqual(Array.from(seen.offsets));
  });
});
