/**
 * `npm run bench:gpu-node`'s engine side (scripts/bench-gpu-node.mjs bundles this file for Node):
 * the app's tfjs WebGPU trainer measured on a machine's GPU without a browser, through Dawn, the
 * WebGPU implementation inside Chromium, as the `webgpu` package builds it for Node.
 *
 * Why Node and not the browser: a GPU machine lent for a few minutes has no browser, and Chromium
 * does not fit in what can be carried to it; Node with Dawn does. What runs is the app's own code
 * (`createTrainer`, `TfjsNeuMFTrainer`, `trainStage`), so the figures are the trainer's on that
 * GPU; what they leave out is what Chromium adds on top (its GPU process, and the IPC from the
 * page's worker to that process for every command).
 *
 *   node gpuInNode.mjs --mode adapter
 *   node gpuInNode.mjs --mode speed --data <split base> [--batches 1024,8192] [--ms 1500] [--flags NAME=value,...]
 *   node gpuInNode.mjs --mode steps --data <split base> [--batches 1024,8192] [--flags NAME=value,...]
 *   node gpuInNode.mjs --mode train --data <split base> --backend webgpu|fused [--epochs 10] [--batch 1024]
 *
 * One JSON line per result; `train` prints the same lines as `npm run bench` (src/bench/benchLines.ts).
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { createTrainer, LOSS_READ_INTERVAL, measureTrainingSpeed, probeSteps, type NeuMFTrainer } from '../engine/backends/chooseBackend';
import { detectWebGpu } from '../engine/backends/gpuDetection';
import { buildUserHistories } from '../engine/data/sparseRows';
import { planHeldOutEvaluation } from '../engine/evaluation/heldOutEvaluation';
import { resolveNeuMFSettings, type NeuMFSettings } from '../engine/model/neumfSettings';
import { trainStage } from '../engine/training/trainingRun';
import { benchEpochLine, benchSummaryLine } from './benchLines';
import { readNcfSplitFiles } from './ncfSplitFiles';

/** What this file uses of the `webgpu` package (fetched by the bench script, not a dependency of the app). */
interface DawnModule {
  create(options: string[]): unknown;
  globals: Record<string, unknown>;
}

/** Gives Node the browser's `navigator.gpu` and WebGPU constants, as a page has them, before tfjs looks for them. */
async function exposeWebGpu(): Promise<void> {
  // Named through a variable so that the bundler leaves the import to Node: the package is fetched
  // next to the bundle by the bench script, not installed where the app builds.
  const packageName = 'webgpu';
  const dawn = (await import(/* @vite-ignore */ packageName)) as DawnModule;
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: dawn.create([]), hardwareConcurrency: availableParallelism() },
    configurable: true,
  });
}

/** `--a 1 --b x` → { a: '1', b: 'x' }, as scripts/lib/ssrModules.mjs's (which this bundle cannot import: it loads Vite). */
function parseFlags(argv: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) flags[argv[i].replace(/^--/, '')] = argv[i + 1];
  return flags;
}

const print = (line: object): void => console.log(JSON.stringify(line));

/** A trainer on exactly `backend` (`createTrainer` falls back to another where it fails: here that is an error). */
async function createExactly(numUsers: number, numItems: number, settings: NeuMFSettings, backend: 'webgpu' | 'fused') {
  const created = await createTrainer(numUsers, numItems, settings, backend);
  if (created.id !== backend) throw new Error(`${backend} did not start: ${created.reason}`);
  return created;
}

/** The fused trainer's and the WebGPU trainer's samples/s at each batch size, and what 'auto' picks at the first. */
async function measureSpeeds(base: string, batches: number[], milliseconds: number): Promise<void> {
  const { split } = readNcfSplitFiles(base);
  for (const batchSize of batches) {
    const settings = resolveNeuMFSettings({ batchSize, threads: 1 });
    const candidates: [string, NeuMFTrainer, number][] = [];
    const fused = await createExactly(split.numUsers, split.numItems, settings, 'fused');
    candidates.push(['fused', fused.trainer, 1]);
    const webgpu = await createExactly(split.numUsers, split.numItems, settings, 'webgpu');
    for (const readEvery of [LOSS_READ_INTERVAL, 1]) candidates.push([webgpu.backend, webgpu.trainer, readEvery]);
    for (const [backend, trainer, readEvery] of candidates) {
      if ('lossReadInterval' in trainer) trainer.lossReadInterval = readEvery;
      const rate = await measureTrainingSpeed(trainer, batchSize, milliseconds);
      print({ mode: 'speed', backend, batch: batchSize, loss_read_every: readEvery, samples_per_s: Math.round(rate) });
    }
    webgpu.trainer.dispose?.();
    if (batchSize === batches[0]) {
      const auto = await createTrainer(split.numUsers, split.numItems, settings, 'auto', { probeMilliseconds: milliseconds });
      print({ mode: 'auto', batch: batchSize, chosen: auto.backend, reason: auto.reason });
      auto.trainer.dispose?.();
    }
  }
}

/**
 * Where a WebGPU step's time goes: the kernels one step dispatches (by name), the milliseconds
 * JavaScript takes to enqueue a step, and those the device then needs to finish the queued steps.
 * Enqueueing that takes as long as a step means the CPU side (tfjs and Dawn) is the limit, not the GPU.
 */
async function profileSteps(base: string, batches: number[], flagList: string | undefined): Promise<void> {
  const { split } = readNcfSplitFiles(base);
  const STEPS = 32;
  for (const batchSize of batches) {
    const settings = resolveNeuMFSettings({ batchSize, threads: 1 });
    const created = await createExactly(split.numUsers, split.numItems, settings, 'webgpu');
    const trainer = created.trainer;
    if (!trainer.settleAsync) throw new Error('the WebGPU trainer has no asynchronous read');
    const step = probeSteps(trainer, batchSize);
    for (let k = 0; k < 3; k++) await step(k); // compiles the shaders, reads the first loss
    const settle = trainer.settleAsync.bind(trainer);
    await settle();
    const profile = await tf.profile(async () => {
      await step(0);
      await settle();
    });
    const byName = new Map<string, number>();
    for (const kernel of profile.kernels) byName.set(kernel.name, (byName.get(kernel.name) ?? 0) + 1);
    if ('lossReadInterval' in trainer) trainer.lossReadInterval = STEPS + 1;
    const started = performance.now();
    for (let k = 0; k < STEPS; k++) await step(k);
    const enqueued = performance.now();
    await settle();
    const finished = performance.now();
    print({
      mode: 'steps',
      backend: created.backend,
      batch: batchSize,
      flags: flagList ?? '',
      kernels_per_step: profile.kernels.length,
      kernels: Object.fromEntries([...byName].sort((a, b) => b[1] - a[1])),
      enqueue_ms_per_step: Number(((enqueued - started) / STEPS).toFixed(2)),
      drain_ms: Number((finished - enqueued).toFixed(1)),
      samples_per_s: Math.round((STEPS * batchSize) / ((finished - started) / 1000)),
    });
    trainer.dispose?.();
  }
}

/** One training stage as the app's worker runs it (validation-chosen epoch), on `backend`. */
async function train(base: string, backend: 'webgpu' | 'fused', overrides: Partial<NeuMFSettings>): Promise<void> {
  const { split, negatives, negativesPerUser } = readNcfSplitFiles(base);
  const settings = resolveNeuMFSettings({ ...overrides, threads: 1 });
  const created = await createExactly(split.numUsers, split.numItems, settings, backend);
  const evaluation = planHeldOutEvaluation(split, {
    givenNegatives: { items: negatives, perUser: negativesPerUser },
    perUser: negativesPerUser,
  });
  const run = {
    model: 'neumf' as const,
    backend: created.backend,
    batch: settings.batchSize,
    threads: 1,
    average_epochs: settings.averageEpochs ?? 0,
  };
  const result = await trainStage('NeuMF', created.trainer, settings, {
    split,
    seen: buildUserHistories(split),
    evaluation,
    onEpoch: (_stage, report) => print({ mode: 'train', ...benchEpochLine(report, run) }),
  });
  print({ mode: 'train', backend: created.backend, ...benchSummaryLine({ model: 'neumf', ...result, metrics: result.epochs }) });
  created.trainer.dispose?.();
}

/** `NAME=value,...` → tfjs flags (numbers and booleans as such), set once the WebGPU backend's flags are registered. */
async function setTfjsFlags(list: string | undefined): Promise<void> {
  await import('@tensorflow/tfjs-backend-webgpu');
  for (const pair of list ? list.split(',') : []) {
    const [name, text] = pair.split('=');
    tf.env().set(name, text === 'true' ? true : text === 'false' ? false : Number(text));
  }
}

async function main(flags: Record<string, string>): Promise<void> {
  await exposeWebGpu();
  await setTfjsFlags(flags.flags);
  const base = flags.data;
  const batches = (flags.batches ?? '1024').split(',').map(Number);
  switch (flags.mode) {
    case 'adapter':
      print({ mode: 'adapter', ...(await detectWebGpu()), cpu_cores: availableParallelism() });
      return;
    case 'speed':
      await measureSpeeds(base, batches, Number(flags.ms ?? 1500));
      return;
    case 'steps':
      await profileSteps(base, batches, flags.flags);
      return;
    case 'train': {
      const overrides: Partial<NeuMFSettings> = { epochs: Number(flags.epochs ?? 10) };
      if (flags.batch) overrides.batchSize = Number(flags.batch);
      await train(base, flags.backend === 'fused' ? 'fused' : 'webgpu', overrides);
      return;
    }
    default:
      throw new Error(`--mode must be adapter, speed, steps or train (got ${flags.mode})`);
  }
}

await main(parseFlags(process.argv.slice(2)));
// Dawn keeps the event loop alive; the results are printed.
process.exit(0);
