import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerScatterAddKernel, scatterAddRows } from '../../../../src/engine/backends/tfjsScatterAddKernel';
import { TfjsNeuMFTrainer } from '../../../../src/engine/backends/tfjsTrainer';
import { evaluateRanking } from '../../../../src/engine/evaluation/evaluateRanking';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { buildTfNeuMF, copyWeightsToTfModel } from '../../../../src/engine/model/tfNeuMF';
import { buildUserHistories, knownInteractions } from '../../../../src/engine/data/sparseRows';
import { sampleTrainingEpoch } from '../../../../src/engine/sampling/negatives';
import { trainEpoch, trainEpochAsync } from '../../../../src/engine/training/trainEpoch';
import { trainStage } from '../../../../src/engine/training/trainingRun';
import { planHeldOutEvaluation } from '../../../../src/engine/evaluation/heldOutEvaluation';
import { plantedSplit, randomBatch } from '../fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerScatterAddKernel('cpu');
});

function worstDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]));
  return worst;
}

/** Both models score the same 400 random pairs alike (up to float32 rounding of their updates). */
function expectSamePredictions(fused: FusedNeuMF, trainer: TfjsNeuMFTrainer): void {
  const { users, items } = randomBatch(40, 60, 400, 9);
  const [p, q] = [new Float32Array(400), new Float32Array(400)];
  fused.predict(users, items, p);
  trainer.predict(users, items, q);
  expect(worstDifference(p, q)).toBeLessThan(1e-3);
}

describe('scatter-add UnsortedSegmentSum', () => {
  it('sums rows into their segments and drops ids out of range', () => {
    const out = new Float32Array(6);
    scatterAddRows([1, 2, 3, 4, 5, 6, 7, 8], [2, 0, 2, 5], 2, out, 3);
    expect(Array.from(out)).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('is the gradient tf.gather gets on the cpu backend', () => {
    const grad = tf.tidy(() => {
      const table = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
      const g = tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.gather(t, tf.tensor1d([2, 0, 2], 'int32')), tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]))),
      );
      return g(table).arraySync();
    });
    expect(grad).toEqual([
      [3, 4],
      [0, 0],
      [6, 8],
    ]);
  });
});

describe('TfjsNeuMFTrainer', () => {
  for (const model of ['neumf', 'gmf', 'mlp'] as const) {
    it(`scores like FusedNeuMF and the tfjs LayersModel with the same weights (${model})`, () => {
      const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, model, seed: 4 });
      const fused = new FusedNeuMF(30, 50, settings);
      const { users, items, labels } = randomBatch(30, 50, 512, 2);
      for (let s = 0; s < 20; s++) fused.trainBatch(users, items, labels, 0, 512);
      const trainer = new TfjsNeuMFTrainer(30, 50, settings, fused.getWeights());
      const [expected, got] = [new Float32Array(512), new Float32Array(512)];
      fused.predict(users, items, expected);
      trainer.predict(users, items, got);
      expect(worstDifference(got, expected)).toBeLessThan(1e-5);

      const layers = buildTfNeuMF(30, 50, settings);
      copyWeightsToTfModel(fused, layers);
      const fromLayers = tf.tidy(
        () =>
          (
            layers.predict([tf.tensor2d(users, [512, 1], 'int32'), tf.tensor2d(items, [512, 1], 'int32')], { batchSize: 512 }) as tf.Tensor
          ).dataSync() as Float32Array,
      );
      expect(worstDifference(got, fromLayers)).toBeLessThan(1e-5);
      layers.dispose();
      trainer.dispose();
    });
  }

  it('averages its weights as FusedNeuMF does, and trains on from the trained ones, optimiser state and all', () => {
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 8, learningRate: 0.01 });
    const fused = new FusedNeuMF(40, 60, settings);
    const trainer = new TfjsNeuMFTrainer(40, 60, settings);
    const step = (s: number) => {
      const { users, items, labels } = randomBatch(40, 60, 64, 300 + s);
      expect(trainer.trainBatch(users, items, labels, 0, 64)).toBeCloseTo(fused.trainBatch(users, items, labels, 0, 64), 4);
    };
    const snapshots: Float32Array[][] = [];
    for (let s = 0; s < 6; s++) {
      step(s);
      if (s % 2 === 1) {
        // Read first: `getWeights` brings every row up to the step, as dense Adam (and tfjs) has it.
        snapshots.push(fused.getWeights().map((w) => w.values));
        const keep = snapshots.length === 1 ? 0 : 0.25;
        fused.foldIntoAverage(keep);
        trainer.foldIntoAverage(keep);
      }
    }
    const trained = fused.getWeights();
    // average = 0.25 · (0.25 · w1 + 0.75 · w3) + 0.75 · w5
    const expected = snapshots[0].map((_, t) =>
      snapshots[0][t].map((x, k) => 0.0625 * x + 0.1875 * snapshots[1][t][k] + 0.75 * snapshots[2][t][k]),
    );
    fused.swapAverage();
    trainer.swapAverage();
    fused.getWeights().forEach((w, t) => expect(worstDifference(w.values, expected[t])).toBeLessThan(1e-6));
    expectSamePredictions(fused, trainer);
    fused.swapAverage();
    trainer.swapAverage();
    fused.getWeights().forEach((w, t) => expect(Array.from(w.values)).toEqual(Array.from(trained[t].values)));
    // The moments and step count were left alone: the next steps are still the same on both.
    for (let s = 6; s < 9; s++) step(s);
    expectSamePredictions(fused, trainer);
    trainer.dispose();
  });

  it('starts from the weights FusedNeuMF starts from, and takes the same Adam steps (with the L2 penalty)', () => {
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 8, learningRate: 0.01, l2: 0.01 });
    const fused = new FusedNeuMF(40, 60, settings);
    const trainer = new TfjsNeuMFTrainer(40, 60, settings);
    const a = fused.getWeights();
    const b = trainer.getWeights();
    expect(b.map((w) => w.name)).toEqual(a.map((w) => w.name));
    for (let w = 0; w < a.length; w++) expect(Array.from(b[w].values)).toEqual(Array.from(a[w].values));

    for (let s = 0; s < 15; s++) {
      const { users, items, labels } = randomBatch(40, 60, 64, 100 + s);
      // Same loss before each step: same weights (up to float32 rounding of the updates).
      expect(trainer.trainBatch(users, items, labels, 0, 64)).toBeCloseTo(fused.trainBatch(users, items, labels, 0, 64), 4);
    }
    expectSamePredictions(fused, trainer);
    trainer.dispose();
  });

  it('reading the loss every few batches takes the same steps and reports each window mean', () => {
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 8, learningRate: 0.01 });
    const fused = new FusedNeuMF(40, 60, settings);
    const trainer = new TfjsNeuMFTrainer(40, 60, settings);
    trainer.lossReadInterval = 4;
    const fusedLosses: number[] = [];
    const returned: number[] = [];
    for (let s = 0; s < 9; s++) {
      const { users, items, labels } = randomBatch(40, 60, 64, 200 + s);
      fusedLosses.push(fused.trainBatch(users, items, labels, 0, 64));
      returned.push(trainer.trainBatch(users, items, labels, 0, 64));
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // Batch 0 is read at once; batches 1-4 are read together at batch 4, 5-8 at batch 8; between reads the last read stands.
    expect(returned[0]).toBeCloseTo(fusedLosses[0], 4);
    expect(returned[3]).toBe(returned[0]);
    expect(returned[4]).toBeCloseTo(mean(fusedLosses.slice(1, 5)), 4);
    expect(returned[8]).toBeCloseTo(mean(fusedLosses.slice(5, 9)), 4);
    expectSamePredictions(fused, trainer);
    trainer.dispose();
  });

  it('runs no kernel with more inputs than a WebGPU device binds, whatever the loss read interval', async () => {
    // A WebGPU device has 8 storage buffers per shader unless tfjs asks for more (it does not): one
    // output and at most 7 inputs. Concat is exempt: tfjs's WebGPU concat splits itself to fit.
    const WEBGPU_MAX_INPUTS = 7;
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 8 });
    const fused = new FusedNeuMF(40, 60, settings);
    const trainer = new TfjsNeuMFTrainer(40, 60, settings);
    trainer.lossReadInterval = 16;
    const [fusedLosses, returned]: number[][] = [[], []];
    const profile = await tf.profile(() => {
      for (let s = 0; s < 17; s++) {
        const { users, items, labels } = randomBatch(40, 60, 64, 300 + s);
        fusedLosses.push(fused.trainBatch(users, items, labels, 0, 64));
        returned.push(trainer.trainBatch(users, items, labels, 0, 64));
      }
    });
    // The profile covers a read of a whole window: batches 1-16, read at batch 16.
    const windowMean = fusedLosses.slice(1, 17).reduce((a, b) => a + b, 0) / 16;
    expect(returned[16]).toBeCloseTo(windowMean, 4);
    expect(returned[16]).not.toBeCloseTo(returned[0], 4);
    const kernels = profile.kernels.filter((k) => k.name !== 'Concat');
    const widest = Math.max(...kernels.map((k) => k.inputShapes.length));
    expect(widest, kernels.find((k) => k.inputShapes.length === widest)?.name).toBeLessThanOrEqual(WEBGPU_MAX_INPUTS);
    trainer.dispose();
  });

  it('releases the losses of an unread window when its weights are replaced and when it is disposed', () => {
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 8 });
    const before = tf.memory().numTensors;
    const trainer = new TfjsNeuMFTrainer(40, 60, settings);
    trainer.lossReadInterval = 16;
    const train = (batches: number, seed: number) => {
      for (let s = 0; s < batches; s++) {
        const { users, items, labels } = randomBatch(40, 60, 64, seed + s);
        trainer.trainBatch(users, items, labels, 0, 64);
      }
    };
    const weights = trainer.getWeights();
    train(5, 400); // the first read at once, then 4 unread
    const held = tf.memory().numTensors;
    trainer.setWeights(weights); // drops the unread window (one running sum of 4 losses)
    // The next batch's loss is read at once and is that batch's own (kept, the window would make it a mean of 5),
    // as on a trainer that never had a window; and nothing is left behind (dropped unreleased, a tensor would be).
    const fresh = new TfjsNeuMFTrainer(40, 60, settings);
    fresh.setWeights(weights);
    const next = randomBatch(40, 60, 64, 500);
    expect(trainer.trainBatch(next.users, next.items, next.labels, 0, 64)).toBeCloseTo(
      fresh.trainBatch(next.users, next.items, next.labels, 0, 64),
      6,
    );
    fresh.dispose();
    train(4, 501);
    expect(tf.memory().numTensors).toBe(held);
    trainer.dispose(); // with 4 unread again
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trains through the asynchronous reads exactly as through the synchronous ones: an epoch, its loss, the weights, the scores', async () => {
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 8, learningRate: 0.01, batchSize: 64 });
    const split = plantedSplit();
    const epoch = sampleTrainingEpoch(split, buildUserHistories(split), settings.negatives, 5);
    const [sync, queued] = [0, 1].map(() => new TfjsNeuMFTrainer(split.numUsers, split.numItems, settings));
    for (const trainer of [sync, queued]) trainer.lossReadInterval = 4;
    const expected = trainEpoch(sync, epoch, settings.batchSize);
    const got = await trainEpochAsync(
      { trainBatchQueued: (...args) => queued.trainBatchQueued(...args), settleAsync: () => queued.settleAsync() },
      epoch,
      settings.batchSize,
    );
    expect(got.rows).toBe(expected.rows);
    expect(got.loss).toBeCloseTo(expected.loss, 6);
    const [a, b] = [sync.getWeights(), await queued.readWeights()];
    expect(b.map((w) => Array.from(w.values))).toEqual(a.map((w) => Array.from(w.values)));
    const { users, items } = randomBatch(split.numUsers, split.numItems, 300, 3);
    const [p, q] = [new Float32Array(300), new Float32Array(300)];
    sync.predict(users, items, p);
    await queued.predictAsync(users, items, q);
    expect(q).toEqual(p);
    sync.dispose();
    queued.dispose();
  });

  it('a training stage on a tfjs trainer never reads it synchronously: steps, losses, weights and scores are awaited', async () => {
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 8, learningRate: 0.01, batchSize: 64, epochs: 2, patience: 5 });
    const split = plantedSplit();
    const trainer = new TfjsNeuMFTrainer(split.numUsers, split.numItems, settings);
    const synchronous = () => {
      throw new Error('a synchronous read');
    };
    Object.assign(trainer, { trainBatch: synchronous, settle: synchronous, getWeights: synchronous, predict: synchronous });
    const context = { split, seen: buildUserHistories(split), evaluation: planHeldOutEvaluation(split, { perUser: 99 }) };
    const run = await trainStage('Training', trainer, settings, context);
    expect(run.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(run.epochs[2].loss).toBeLessThan(run.epochs[1].loss!);
    expect(run.bestWeights.length).toBeGreaterThan(0);
    trainer.dispose();
  });

  it('round-trips its weights and rejects a wrong shape', () => {
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 3 });
    const trainer = new TfjsNeuMFTrainer(20, 25, settings);
    const other = new FusedNeuMF(20, 25, { ...settings, seed: 99 }).getWeights();
    trainer.setWeights(other);
    const back = trainer.getWeights();
    for (let w = 0; w < other.length; w++) {
      expect(back[w].shape).toEqual(other[w].shape);
      expect(Array.from(back[w].values)).toEqual(Array.from(other[w].values));
    }
    const wrong = other.map((w, k) => (k === 0 ? { ...w, shape: [19, w.shape[1]], values: w.values.slice(w.shape[1]) } : w));
    expect(() => trainer.setWeights(wrong)).toThrow(/has shape \[19,8\]/);
    expect(() => trainer.setWeights(other.slice(1))).toThrow(/is missing/);
    trainer.dispose();
  });

  it('learns a planted structure without leaking tensors', () => {
    const split = plantedSplit();
    const seen = buildUserHistories(split);
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, learningRate: 0.02, seed: 3 });
    const before = tf.memory().numTensors;
    const trainer = new TfjsNeuMFTrainer(split.numUsers, split.numItems, settings);
    const scorer = (u: Int32Array, i: Int32Array, out: Float32Array) => trainer.predict(u, i, out);
    const untrained = evaluateRanking(split, scorer, { kind: 'sampled', known: knownInteractions(split), perUser: 99, seed: 4 });

    const losses: number[] = [];
    const tensorsAfterEpoch: number[] = [];
    for (let e = 1; e <= 5; e++) {
      losses.push(trainEpoch(trainer, sampleTrainingEpoch(split, seen, 4, e), 128).loss);
      tensorsAfterEpoch.push(tf.memory().numTensors);
    }
    const trained = evaluateRanking(split, scorer, { kind: 'sampled', known: knownInteractions(split), perUser: 99, seed: 4 });
    expect(losses[4]).toBeLessThan(losses[0] * 0.8);
    expect(trained.hr10).toBeGreaterThan(0.3);
    expect(trained.hr10).toBeGreaterThan(untrained.hr10 + 0.1);
    // Adam's moments appear on the first step; from then on the count stays put.
    expect(new Set(tensorsAfterEpoch).size).toBe(1);
    expect(tf.memory().numTensors).toBe(tensorsAfterEpoch[0]);

    trainer.setWeights(trainer.getWeights());
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 15_000);
});
