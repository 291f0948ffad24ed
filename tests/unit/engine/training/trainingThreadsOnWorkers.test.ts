import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleForNode } from '../../../../scripts/lib/nodeBundle.mjs';
import { buildUserHistories } from '../../../../src/engine/data/sparseRows';
import { evaluateHeldOut, planHeldOutEvaluation } from '../../../../src/engine/evaluation/heldOutEvaluation';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { trainStage, type StageResult } from '../../../../src/engine/training/trainingRun';
import { HELPER_SILENCE_MS, TrainingThreadError, TrainingThreads } from '../../../../src/engine/training/trainingThreads';
import { plantedSplit } from '../fixtures';
import { expectSharedScoresAsAlone } from './sharedScoring';

// Two real threads: thread 0 here, one helper on Node worker_threads running the app's
// `serveTrainingThread` from a bundle (trainingThreadOnNode.ts), over one shared memory.

const split = plantedSplit(400, 300, 4, 30, 3);
const seen = buildUserHistories(split);
const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, gmfDim: 8, mlpLayers: [16, 8], batchSize: 64, learningRate: 0.01 });
const POSITIVES_PER_CHUNK = 64;

let bundleDir = '';
beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'reel-training-thread-'));
  await bundleForNode({ trainingThreadOnNode: 'tests/unit/engine/training/trainingThreadOnNode.ts' }, bundleDir);
}, 120_000);
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

/**
 * Two threads over one model; `helperBatches[0]` counts the batches the helper has started, and
 * `endHelper` ends its worker from outside (resolves once it has exited).
 */
async function twoThreads({
  failWith = null as string | null,
  positivesPerChunk = POSITIVES_PER_CHUNK,
  helperSilenceMs = HELPER_SILENCE_MS,
} = {}) {
  const helperBatches = new Int32Array(new SharedArrayBuffer(4));
  let helper: Worker | null = null;
  const threads = await TrainingThreads.start(
    split,
    seen,
    settings,
    2,
    positivesPerChunk,
    async (setup) => {
      const worker = new Worker(join(bundleDir, 'trainingThreadOnNode.mjs'), { workerData: { setup, batches: helperBatches, failWith } });
      await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      helper = worker;
      return { terminate: () => void worker.terminate() };
    },
    helperSilenceMs,
  );
  const endHelper = async () => {
    await helper?.terminate();
  };
  return { threads, helperBatches, endHelper };
}

/**
 * For thread 0's `onBatch`: holds its first batch until the helper has started one more batch than
 * it had when this was made (state, not time; 60 s at most), so both threads really train.
 */
function waitForHelper(helperBatches: Int32Array): () => void {
  const before = Atomics.load(helperBatches, 0);
  let waited = false;
  return () => {
    if (waited) return;
    waited = true;
    const deadline = Date.now() + 60_000;
    for (let seen = Atomics.load(helperBatches, 0); seen === before && Date.now() < deadline; seen = Atomics.load(helperBatches, 0))
      Atomics.wait(helperBatches, 0, seen, 1000);
  };
}

const plan = (threads: TrainingThreads, seed = 7) => threads.planEpoch(seed);

describe('TrainingThreads on two real threads', () => {
  it('train every row of an epoch once between them, then score on both exactly as the model scores alone', async () => {
    const { threads, helperBatches } = await twoThreads();
    try {
      const epoch = plan(threads);
      const result = threads.trainEpoch(epoch, waitForHelper(helperBatches));
      expect(Atomics.load(helperBatches, 0)).toBeGreaterThan(0);
      expect(result.rows).toBe(epoch.rows);
      expect(result.loss).toBeGreaterThan(0.1);
      expect(result.loss).toBeLessThan(0.7);

      // Scored on both threads (pairs, and whole catalogues), then on this thread alone: the same numbers.
      expectSharedScoresAsAlone(threads, 100_000, [0, 133, split.numUsers - 1]);
    } finally {
      threads.close();
    }
  }, 60_000);

  it('train the same model as one thread does, bit for bit: the figures of every epoch and the kept weights, averaging and all', async () => {
    const averaged = { ...settings, epochs: 3, averageEpochs: 0.5 };
    const evaluation = planHeldOutEvaluation(split, { perUser: 99 });
    const one = await TrainingThreads.start(split, seen, averaged, 1, POSITIVES_PER_CHUNK, () =>
      Promise.reject(new Error('one thread needs no helper')),
    );
    const { threads: two, helperBatches } = await twoThreads();
    try {
      const runs: StageResult[] = [];
      for (const threads of [one, two])
        runs.push(await trainStage('Training', threads.model, averaged, { split, seen, evaluation, threads }));
      expect(Atomics.load(helperBatches, 0)).toBeGreaterThan(0);
      const figures = (run: StageResult) =>
        run.epochs.map(({ loss, hr10, ndcg10, fullHr10, valNdcg10 }) => [loss, hr10, ndcg10, fullHr10, valNdcg10]);
      expect(figures(runs[1])).toEqual(figures(runs[0]));
      expect(runs[1].bestEpoch).toBe(runs[0].bestEpoch);
      expect(runs[1].bestWeights.map((w) => Array.from(w.values))).toEqual(runs[0].bestWeights.map((w) => Array.from(w.values)));
      expect(two.model.steps).toBe(one.model.steps);
    } finally {
      one.close();
      two.close();
    }
  }, 60_000);

  it('fill whole batches across the chunks of a stratum, so an epoch takes about the Adam steps one thread takes', async () => {
    // Chunks of 8 positives keep ~20 rows in each round's stratum, a third of a batch: trained a batch
    // a chunk (until session 12), the epoch took ~3.2 times one thread's steps.
    const { threads, helperBatches } = await twoThreads({ positivesPerChunk: 8 });
    try {
      const epoch = plan(threads);
      const before = threads.model.steps;
      const result = threads.trainEpoch(epoch);
      expect(Atomics.load(helperBatches, 0)).toBeGreaterThan(0);
      expect(result.rows).toBe(epoch.rows);
      const oneThreadSteps = Math.ceil(epoch.rows / settings.batchSize);
      expect(threads.model.steps - before).toBeGreaterThanOrEqual(oneThreadSteps);
      expect(threads.model.steps - before).toBeLessThan(1.5 * oneThreadSteps);
    } finally {
      threads.close();
    }
  }, 60_000);

  it('score the average of the weights on both threads while it stands in, keep it, and train on from the trained weights', async () => {
    const { threads, helperBatches } = await twoThreads();
    try {
      const averaged = { ...settings, epochs: 2, averageEpochs: 0.5 };
      const evaluation = planHeldOutEvaluation(split, { perUser: 99 });
      const wait = waitForHelper(helperBatches);
      const run = await trainStage('Training', threads.model, averaged, { split, seen, evaluation, threads, onBatch: () => wait() });
      expect(run.bestEpoch).toBeGreaterThan(0);
      const alone = new FusedNeuMF(split.numUsers, split.numItems, averaged);
      alone.setWeights(run.bestWeights);
      const again = evaluateHeldOut(evaluation, { scoreUser: (user, out) => alone.scoreUser(user, out) });
      const kept = run.epochs[run.bestEpoch];
      expect([again.valNdcg10, again.hr10, again.fullHr10]).toEqual([kept.valNdcg10, kept.hr10, kept.fullHr10]);
      // The shared model holds the trained weights again, not an average it was scored with.
      const trained = threads.model.getWeights();
      expect(trained.some((w, t) => w.values.some((x, k) => x !== run.bestWeights[t].values[k]))).toBe(true);
    } finally {
      threads.close();
    }
  }, 60_000);

  it('stop starting chunks once the time given is up (the Train page estimate), having trained only part of the epoch', async () => {
    const { threads, helperBatches } = await twoThreads();
    try {
      const epoch = plan(threads);
      const result = threads.trainEpoch(epoch, waitForHelper(helperBatches), 0);
      expect(Atomics.load(helperBatches, 0)).toBeGreaterThan(0);
      // Time is up at thread 0's first batch: each thread finishes the segment's chunk it holds, and no
      // other segment starts: two chunks of the epoch's ~180.
      expect(result.rows).toBeGreaterThan(0);
      expect(result.rows).toBeLessThan(epoch.rows / 2);
    } finally {
      threads.close();
    }
  }, 60_000);

  it("report a helper's failure on thread 0 with the helper's own message, once every thread has stopped", async () => {
    const { threads, helperBatches } = await twoThreads({ failWith: 'the helper ran out of memory' });
    try {
      const failure = (() => {
        try {
          threads.trainEpoch(plan(threads), waitForHelper(helperBatches));
        } catch (error) {
          return error;
        }
      })();
      expect(failure).toBeInstanceOf(TrainingThreadError);
      expect((failure as Error).message).toBe('A training thread failed: thread 1 stopped during the epoch: the helper ran out of memory');
    } finally {
      threads.close();
    }
  }, 60_000);

  it('end the run with an error naming a helper whose worker was ended from outside, instead of waiting for it for ever', async () => {
    // Two seconds without work from a live helper do not happen here (its batches take
    // milliseconds): the first epoch, on both threads, must not be taken for a lost helper.
    const { threads, helperBatches, endHelper } = await twoThreads({ helperSilenceMs: 2000 });
    try {
      const epoch = plan(threads);
      expect(threads.trainEpoch(epoch, waitForHelper(helperBatches)).rows).toBe(epoch.rows);
      // Ended as a device or another program might end it: no error event, no message, just gone.
      await endHelper();
      const failure = (() => {
        try {
          threads.trainEpoch(plan(threads, 8));
        } catch (error) {
          return error;
        }
      })();
      expect(failure).toBeInstanceOf(TrainingThreadError);
      expect((failure as Error).message).toMatch(/^A training thread failed: thread 1 stopped answering: no work from it for 4 s/);
    } finally {
      threads.close();
    }
  }, 60_000);
});
