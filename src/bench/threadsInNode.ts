/**
 * `npm run bench:threads-node`'s engine side (scripts/bench-threads-node.mjs bundles this file for
 * Node): NeuMF training on N worker_threads exactly as the app's training threads do
 * (src/engine/training/trainingThreads.ts), one epoch at a time, each followed by the round trip
 * of a value between two threads through shared memory.
 *
 * Why the round trip: how fast two threads train one shared model depends on how long a cache
 * line takes to pass from one core to the other, which on a virtual machine depends on where the
 * host places its virtual cores (docs/BENCHMARKS.md, "Issue 12"). Timing it right after each
 * epoch lets a reader see which placement an epoch probably ran on.
 *
 * With `apart`, each epoch on N threads is followed by the same epoch on N separate one-thread
 * models trained at once, one a worker: what N busy cores give when nothing is shared, measured
 * seconds from the shared epoch, so that a slow shared epoch can be told from a slow host.
 *
 * With `stage`, a whole training stage as the app's worker runs it (validation-chosen epoch, the
 * held-out figures after each epoch, on every thread), printing `npm run bench`'s lines
 * (src/bench/benchLines.ts): the quality of N threads on a machine with N cores, where the browser
 * bench cannot go (a lent GPU machine has no browser; scripts/gpu-machine/run.sh).
 *
 * Run as the main thread: `node bundle.mjs <split base path> <threads> <epochs> [apart]`, one JSON
 * line an epoch, or `node bundle.mjs <split base path> <threads> <epochs, 0: the default> stage <seed>`.
 * The same file is every worker: workerData says which part it plays.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildUserHistories } from '../engine/data/sparseRows';
import { planHeldOutEvaluation } from '../engine/evaluation/heldOutEvaluation';
import { resolveNeuMFSettings, type NeuMFSettings } from '../engine/model/neumfSettings';
import { epochSeed } from '../engine/sampling/negatives';
import { threadsTheDataAllow } from '../engine/sampling/strata';
import { positivesPerChunk } from '../engine/training/trainEpoch';
import { trainStage } from '../engine/training/trainingRun';
import { serveTrainingThread, TrainingThreads, type TrainingThreadSetup } from '../engine/training/trainingThreads';
import { benchEpochLine, benchSummaryLine } from './benchLines';
import { readNcfSplitFiles } from './ncfSplitFiles';

const ROUND_TRIPS = 300_000;
/** Slots of the round-trip block: the value passed back and forth, and "the echo thread is running". */
const VALUE = 0;
const RUNNING = 16; // its own cache line, so that the start signal does not disturb the timed line

type Part =
  | { kind: 'train'; setup: TrainingThreadSetup }
  | { kind: 'echo'; block: SharedArrayBuffer }
  | { kind: 'apart'; base: string; seed: number };

/** Mean nanoseconds for one value to go to another thread and come back (spinning, no waits). */
async function coreRoundTripNs(): Promise<number> {
  const block = new SharedArrayBuffer(128);
  const slots = new Int32Array(block);
  const echo = new Worker(new URL(import.meta.url), { workerData: { kind: 'echo', block } satisfies Part });
  await new Promise((resolve) => echo.once('online', resolve));
  while (Atomics.load(slots, RUNNING) === 0); // spin until the echo thread spins too
  const started = performance.now();
  for (let k = 1; k <= ROUND_TRIPS; k++) {
    Atomics.store(slots, VALUE, k);
    while (Atomics.load(slots, VALUE) !== -k);
  }
  const ns = ((performance.now() - started) * 1e6) / ROUND_TRIPS;
  await echo.terminate();
  return ns;
}

function echoValues(block: SharedArrayBuffer): void {
  const slots = new Int32Array(block);
  Atomics.store(slots, RUNNING, 1);
  for (let k = 1; k <= ROUND_TRIPS; k++) {
    while (Atomics.load(slots, VALUE) !== k);
    Atomics.store(slots, VALUE, -k);
  }
}

/** A worker started from this file as `part`, once it has said it is ready. */
async function startPart(part: Part): Promise<Worker> {
  const worker = new Worker(new URL(import.meta.url), { workerData: part });
  await new Promise((resolve) => worker.once('message', resolve));
  return worker;
}

/** `threadCount` training threads on worker_threads, started as the app's training worker starts its helpers. */
function startThreads(split: ReturnType<typeof readNcfSplitFiles>['split'], settings: NeuMFSettings, threadCount: number) {
  const seen = buildUserHistories(split);
  return TrainingThreads.start(split, seen, settings, threadCount, positivesPerChunk(settings.batchSize), async (setup) => {
    const worker = await startPart({ kind: 'train', setup });
    return { terminate: () => void worker.terminate() };
  });
}

/**
 * The split at `base` and a model of the default settings (training seed `seed`) on `threadCount`
 * threads; `trainEpoch(epoch)` trains that epoch of it, as the app's training threads do.
 */
async function trainingOn(base: string, threadCount: number, seed: number) {
  const { split } = readNcfSplitFiles(base);
  const threads = await startThreads(split, resolveNeuMFSettings({ seed }), threadCount);
  const trainEpoch = (epoch: number) => threads.trainEpoch(threads.planEpoch(epochSeed(seed, epoch)));
  return { trainEpoch, close: () => threads.close() };
}

/** Samples/s of `models` one-thread models, one a worker, each training epoch `epoch` at once: all rows over the wall time. */
function trainApart(models: Worker[], epoch: number): Promise<number> {
  const started = performance.now();
  const rows = models.map(
    (worker) =>
      new Promise<number>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(epoch);
      }),
  );
  return Promise.all(rows).then((done) => done.reduce((sum, r) => sum + r, 0) / ((performance.now() - started) / 1000));
}

async function main(base: string, threadCount: number, epochs: number, apart: boolean): Promise<void> {
  const defaultSeed = resolveNeuMFSettings({}).seed;
  const training = await trainingOn(base, threadCount, defaultSeed);
  // Seeds of their own, so that no two models draw the same rows at the same moment.
  const apartModels =
    apart && threadCount > 1
      ? await Promise.all(Array.from({ length: threadCount }, (_, k) => startPart({ kind: 'apart', base, seed: defaultSeed + 1 + k })))
      : [];
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const { rows, seconds, loss } = training.trainEpoch(epoch);
      const apartSamplesPerSecond = apartModels.length > 0 ? await trainApart(apartModels, epoch) : null;
      const roundTrip = await coreRoundTripNs();
      console.log(
        JSON.stringify({
          threads: threadCount,
          epoch,
          samples_per_s: Math.round(rows / seconds),
          ...(apartSamplesPerSecond === null ? {} : { apart_samples_per_s: Math.round(apartSamplesPerSecond) }),
          loss: Number(loss.toFixed(4)),
          core_round_trip_ns: Math.round(roundTrip),
        }),
      );
    }
  } finally {
    training.close();
    await Promise.all(apartModels.map((worker) => worker.terminate()));
  }
}

/**
 * One training stage of NeuMF (default settings, training seed `seed`, `epochs` or the default) on
 * `threadsAsked` threads, as the app's training worker runs it on NCF data with its given negatives:
 * on as many of them as the data allow (`threadsTheDataAllow`), on training threads as the app's
 * fused runs train (one thread too). Prints the bench's lines (threads: those used).
 */
async function trainWholeStage(base: string, threadsAsked: number, epochs: number, seed: number): Promise<void> {
  const { split, negatives, negativesPerUser } = readNcfSplitFiles(base);
  const asked = resolveNeuMFSettings({ seed, threads: threadsAsked, ...(epochs > 0 ? { epochs } : {}) });
  const threadCount = threadsTheDataAllow(threadsAsked, split.numUsers, split.numItems, asked.batchSize);
  const settings = { ...asked, threads: threadCount };
  const evaluation = planHeldOutEvaluation(split, {
    givenNegatives: { items: negatives, perUser: negativesPerUser },
    perUser: negativesPerUser,
  });
  const threads = await startThreads(split, settings, threadCount);
  const model = threads.model;
  const run = {
    model: 'neumf' as const,
    backend: 'fused',
    batch: settings.batchSize,
    threads: threadCount,
    average_epochs: settings.averageEpochs ?? 0,
  };
  try {
    const result = await trainStage('NeuMF', model, settings, {
      split,
      seen: buildUserHistories(split),
      evaluation,
      threads,
      onEpoch: (_stage, report) => console.log(JSON.stringify({ seed, ...benchEpochLine(report, run) })),
    });
    const summary = benchSummaryLine({ model: 'neumf', ...result, metrics: result.epochs });
    console.log(JSON.stringify({ seed, threads: threadCount, threads_asked: threadsAsked, ...summary }));
  } finally {
    threads.close();
  }
}

/** A separate one-thread model in this worker: trains the epoch it is sent and answers its rows. */
async function serveApartModel(base: string, seed: number): Promise<void> {
  const training = await trainingOn(base, 1, seed);
  parentPort?.on('message', (epoch: number) => parentPort?.postMessage(training.trainEpoch(epoch).rows));
  parentPort?.postMessage('ready');
}

if (isMainThread) {
  const [base, threadCount, epochs, mode, seed] = process.argv.slice(2);
  if (mode === 'stage') await trainWholeStage(base, Number(threadCount), Number(epochs), Number(seed));
  else await main(base, Number(threadCount), Number(epochs), mode === 'apart');
} else {
  const part = workerData as Part;
  if (part.kind === 'echo') echoValues(part.block);
  else if (part.kind === 'apart') await serveApartModel(part.base, part.seed);
  else serveTrainingThread(part.setup, () => parentPort?.postMessage('ready'));
}
