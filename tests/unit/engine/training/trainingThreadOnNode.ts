/**
 * A helper thread of `trainingThreadsOnWorkers.test.ts`, bundled for Node and run on
 * worker_threads: the app's `serveTrainingThread`, with every batch this thread trains counted in
 * `batches[0]` (so the test can wait until the helper has really trained) and, with `failWith`,
 * throwing that message instead (a helper that fails in the middle of an epoch).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { serveTrainingThread, type TrainingThreadSetup } from '../../../../src/engine/training/trainingThreads';

const { setup, batches, failWith } = workerData as { setup: TrainingThreadSetup; batches: Int32Array; failWith: string | null };
// The failure this thread is told to have is expected: its stack (serveTrainingThread logs it) would only clutter the test output.
if (failWith !== null) console.error = () => {};
const trainBatch = FusedNeuMF.prototype.trainBatch;
FusedNeuMF.prototype.trainBatch = function (this: FusedNeuMF, ...args: Parameters<FusedNeuMF['trainBatch']>) {
  Atomics.add(batches, 0, 1);
  Atomics.notify(batches, 0);
  if (failWith !== null) throw new Error(failWith);
  return trainBatch.apply(this, args);
};
serveTrainingThread(setup, () => parentPort?.postMessage('ready'));
