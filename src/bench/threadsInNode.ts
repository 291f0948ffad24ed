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
 * Run as the main thread: `node bundle.mjs <split base path> <threads> <epochs>`, one JSON line an
 * epoch. The same file is every worker: workerData says which part it plays.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildUserHistories } from '../engine/data/sparseRows';
import { resolveNeuMFSettings } from '../engine/model/neumfSettings';
import { epochSeed, planTrainingEpoch } from '../engine/sampling/negatives';
import { positivesPerChunk } from '../engine/training/trainEpoch';
import { serveTrainingThread, TrainingThreads, type TrainingThreadSetup } from '../engine/training/trainingThreads';
import { readNcfSplitFiles } from './ncfSplitFiles';

const ROUND_TRIPS = 300_000;
/** Slots of the round-trip block: the value passed back and forth, and "the echo thread is running". */
const VALUE = 0;
const RUNNING = 16; // its own cache line, so that the start signal does not disturb the timed line

type Part = { kind: 'train'; setup: TrainingThreadSetup } | { kind: 'echo'; block: SharedArrayBuffer };

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

async function main(base: string, threadCount: number, epochs: number): Promise<void> {
  const { split } = readNcfSplitFiles(base);
  const seen = buildUserHistories(split);
  const settings = resolveNeuMFSettings({});
  const perChunk = positivesPerChunk(settings.batchSize);
  const threads = await TrainingThreads.start(split, seen, settings, threadCount, perChunk, async (setup) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { kind: 'train', setup } satisfies Part });
    await new Promise((resolve) => worker.once('message', resolve));
    return { terminate: () => void worker.terminate() };
  });
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const plan = planTrainingEpoch(split, seen, settings.negatives, epochSeed(settings.seed, epoch), perChunk, threads.orderBuffer);
      const { rows, seconds, loss } = threads.trainEpoch(plan);
      const roundTrip = await coreRoundTripNs();
      console.log(
        JSON.stringify({
          threads: threadCount,
          epoch,
          samples_per_s: Math.round(rows / seconds),
          loss: Number(loss.toFixed(4)),
          core_round_trip_ns: Math.round(roundTrip),
        }),
      );
    }
  } finally {
    threads.close();
  }
}

if (isMainThread) {
  const [base, threadCount, epochs] = process.argv.slice(2);
  await main(base, Number(threadCount), Number(epochs));
} else {
  const part = workerData as Part;
  if (part.kind === 'echo') echoValues(part.block);
  else serveTrainingThread(part.setup, () => parentPort?.postMessage('ready'));
}
