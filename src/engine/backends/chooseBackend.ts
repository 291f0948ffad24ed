/**
 * Which trainer runs NeuMF: the fused CPU trainer (hand-written WebAssembly SIMD kernels) or
 * TensorFlow.js on one of its official backends (WebGPU, WebGL, wasm, CPU), picked
 * automatically or by the person, with the label the UI and the benchmark show.
 *
 * 'auto': a GPU backend only has a chance where WebGL or WebGPU is hardware-accelerated (on a
 * software rasteriser tfjs trains 100-400x slower than the fused trainer, see
 * docs/tfjs-without-gpu.md), so without one the fused trainer is chosen at once. With
 * one, each accelerated GPU backend and the fused trainer train a few batches of the real batch
 * size on rows of the run (random pairs where the caller gives none), and the fastest for the run
 * wins (the fused trainer's rate weighed by the threads it would train on); its weights are then
 * reset to the start.
 *
 * For workers only: tfjs is loaded (dynamically) when a tfjs backend is tried.
 */
import { SeededRandom } from '../../shared/random';
import { FusedNeuMF, fusedKernelsFor, type FusedKernels } from '../model/fusedNeuMF';
import type { NamedWeights } from '../model/neumfLayout';
import type { NeuMFSettings } from '../model/neumfSettings';
import { resolveNeuMFSettings } from '../model/neumfSettings';
import type { TrainingEpoch } from '../sampling/negatives';
import type { BatchTrainer, QueuedBatchTrainer } from '../training/trainEpoch';
import type { AveragingTrainer } from '../training/weightAveraging';
import type { GpuInfo } from './gpuDetection';
import { detectWebGl, detectWebGpu } from './gpuDetection';
import type { TfjsBackendId } from './tfjsBackend';

export type TrainingBackend = 'auto' | 'fused' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type ConcreteBackend = Exclude<TrainingBackend, 'auto'>;

/** What the training worker uses of a trainer; `FusedNeuMF` and `TfjsNeuMFTrainer` both are one. */
export interface NeuMFTrainer extends BatchTrainer, AveragingTrainer {
  readonly numUsers: number;
  readonly numItems: number;
  readonly settings: NeuMFSettings;
  predict(users: Int32Array, items: Int32Array, out: Float32Array, start?: number, end?: number): void;
  getWeights(): NamedWeights;
  /** Also resets the optimiser. */
  setWeights(weights: NamedWeights): void;
  /** Frees backend memory (tfjs trainers); absent where there is nothing to free. */
  dispose?(): void;
  /** Waits for queued steps (tfjs trainers that read their loss every few batches); absent where steps are synchronous. */
  settle?(): void;
  /**
   * The same operations with asynchronous reads (tfjs trainers): what training, probing and
   * evaluation use where the trainer has them, so a GPU backend never blocks the worker on a read
   * (and WebGPU, whose synchronous read is not dependable, works at all).
   */
  trainBatchQueued?(users: Int32Array, items: Int32Array, labels: Float32Array, start: number, end: number): Promise<number>;
  settleAsync?(): Promise<number>;
  predictAsync?(users: Int32Array, items: Int32Array, out: Float32Array): Promise<void>;
  readWeights?(): Promise<NamedWeights>;
}

/** The trainer as one whose steps read their loss asynchronously, or null where steps are synchronous (the fused kernels). */
export function queuedTrainer(trainer: NeuMFTrainer): QueuedBatchTrainer | null {
  const { trainBatchQueued, settleAsync } = trainer;
  return trainBatchQueued && settleAsync
    ? { trainBatchQueued: trainBatchQueued.bind(trainer), settleAsync: settleAsync.bind(trainer) }
    : null;
}

/** One step, awaiting the loss where the trainer reads it asynchronously. */
export async function trainBatchAwaiting(
  trainer: NeuMFTrainer,
  users: Int32Array,
  items: Int32Array,
  labels: Float32Array,
  start: number,
  end: number,
) {
  return trainer.trainBatchQueued
    ? trainer.trainBatchQueued(users, items, labels, start, end)
    : trainer.trainBatch(users, items, labels, start, end);
}

/** The trainer's weights, read asynchronously where it can. */
export async function readTrainerWeights(trainer: NeuMFTrainer): Promise<NamedWeights> {
  return trainer.readWeights ? trainer.readWeights() : trainer.getWeights();
}

export interface CreatedTrainer {
  trainer: NeuMFTrainer;
  /** Which trainer runs. */
  id: ConcreteBackend;
  /** For the UI and the benchmark, e.g. "wasm-simd (fused kernels)" or "tfjs webgl2 (ANGLE (NVIDIA ...))". */
  backend: string;
  /** Why this one, in a sentence for the UI, e.g. "no hardware-accelerated GPU (webgl: software renderer): ...". */
  reason: string;
}

export interface CreateTrainerOptions {
  /** Warm-up, then as long again timed, per candidate in an 'auto' probe (`measureTrainingSpeed`; default 400 ms). */
  probeMilliseconds?: number;
  /**
   * The threads the fused trainer would train on in this run if it were chosen (default 1). Its probe trains
   * one thread, so 'auto' weighs that rate by `fusedSpeedupOn(fusedThreads)` against the GPU backends.
   */
  fusedThreads?: number;
  /**
   * About `rows` rows of this run to probe on (asked only where 'auto' probes). Default: seeded random pairs,
   * which use more distinct users a batch than the run's rows do, where the fused trainer pays per row a batch
   * uses (on NCF ml-1m at batch 8,192 its probe on the run's rows came 5-13 % higher here, docs/BENCHMARKS.md).
   */
  probeRows?: (rows: number) => TrainingEpoch;
}

/**
 * What each thread of the fused trainer beyond the first adds, as a share of one thread's speed: the least
 * measured (docs/BENCHMARKS.md: two threads on two cores 1.51-2.17x one; on 16 cores two threads 1.62-1.97x,
 * four 3.4-4.3x, eight 7.4-8.1x, fifteen 13.1x). A low estimate, so a GPU that wins by it is faster indeed.
 */
export const FUSED_THREAD_EFFICIENCY = 0.75;

/** How many times one thread's speed the fused trainer is expected to train at on `threads` threads. */
export function fusedSpeedupOn(threads: number): number {
  return 1 + (Math.max(1, threads) - 1) * FUSED_THREAD_EFFICIENCY;
}

/** One candidate of an 'auto' probe: its samples/s on one thread (the fused trainer) or on its device (a GPU backend). */
export interface ProbedSpeed {
  id: ConcreteBackend;
  samplesPerSecond: number;
}

/**
 * The probed candidates, fastest first for this run (the fused trainer's rate weighed by the threads it would
 * train on), and the words the reason gives them, e.g. "webgpu 527k, fused 409k a thread, ~716k on 2 threads".
 */
export function rankProbedSpeeds(speeds: ProbedSpeed[], fusedThreads = 1): { order: ConcreteBackend[]; measured: string } {
  const expected = (s: ProbedSpeed) => (s.id === 'fused' ? s.samplesPerSecond * fusedSpeedupOn(fusedThreads) : s.samplesPerSecond);
  const ranked = [...speeds].sort((a, b) => expected(b) - expected(a));
  const words = (s: ProbedSpeed) =>
    s.id === 'fused' && fusedThreads > 1
      ? `fused ${formatRate(s.samplesPerSecond)} a thread, ~${formatRate(expected(s))} on ${fusedThreads} threads`
      : `${s.id} ${formatRate(s.samplesPerSecond)}`;
  return { order: ranked.map((s) => s.id), measured: ranked.map(words).join(', ') };
}

/** Thrown where the requested backend failed and so did every fallback (the fused trainer never fails, so rare). */
export class TrainerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TrainerUnavailableError';
  }
}

interface GpuState {
  webgpu: GpuInfo;
  webgl: GpuInfo;
}

async function detectGpus(): Promise<GpuState> {
  return { webgpu: await detectWebGpu(), webgl: detectWebGl() };
}

const CHOSEN_IN_SETTINGS = 'Chosen in the settings.';

/** The fused trainer's label, e.g. "wasm-simd (fused kernels)". */
function fusedLabel(kernels: FusedKernels): string {
  return `${kernels} (fused kernels)`;
}

function createFused(numUsers: number, numItems: number, settings: NeuMFSettings): CreatedTrainer {
  const model = new FusedNeuMF(numUsers, numItems, settings);
  return { trainer: model, id: 'fused', backend: fusedLabel(model.kernels), reason: '' };
}

/**
 * What `createTrainer(..., 'fused')` says, without building a trainer: for a run that builds
 * its own fused models (pre-trained NeuMF trains GMF and MLP first, then NeuMF from both).
 * Throws `InvalidSettingsError` as the trainer would.
 */
export function describeFusedTrainer(settings: NeuMFSettings): Omit<CreatedTrainer, 'trainer'> {
  return { id: 'fused', backend: fusedLabel(fusedKernelsFor(settings)), reason: CHOSEN_IN_SETTINGS };
}

/** A tfjs trainer reads its loss every this many batches in training (`TfjsNeuMFTrainer.lossReadInterval`). */
export const LOSS_READ_INTERVAL = 16;

/**
 * A tfjs trainer on `id`, starting from `initial` (default: the fused trainer's initialisation),
 * checked against the fused trainer before it is handed out: a backend can start and still
 * compute garbage (WebGPU's synchronous read returned zeros and lost the device in headless
 * Chromium) or miss a kernel that only training needs.
 */
async function createTfjs(
  numUsers: number,
  numItems: number,
  settings: NeuMFSettings,
  id: TfjsBackendId,
  device: string,
  initial?: NamedWeights,
): Promise<CreatedTrainer> {
  const [{ activateTfjsBackend }, { TfjsNeuMFTrainer }] = await Promise.all([import('./tfjsBackend'), import('./tfjsTrainer')]);
  const backend = await activateTfjsBackend(id, device);
  const reference = new FusedNeuMF(numUsers, numItems, settings);
  if (initial) reference.setWeights(initial);
  const start = initial ?? reference.getWeights();
  const trainer = new TfjsNeuMFTrainer(numUsers, numItems, settings, start);
  try {
    const problem = await compareWithReference(trainer, reference);
    if (problem) throw new Error(`the tfjs ${id} backend ${problem}`);
    trainer.setWeights(start);
    trainer.lossReadInterval = LOSS_READ_INTERVAL;
  } catch (error) {
    trainer.dispose();
    throw error;
  }
  return { trainer, id, backend, reason: '' };
}

/** Scores and one training step on a few pairs, compared with the fused trainer's; a description of the first mismatch, or ''. */
async function compareWithReference(trainer: NeuMFTrainer, reference: FusedNeuMF): Promise<string> {
  const n = 16;
  const users = Int32Array.from({ length: n }, (_, k) => (k * 7919) % trainer.numUsers);
  const items = Int32Array.from({ length: n }, (_, k) => (k * 104729) % trainer.numItems);
  const labels = Float32Array.from({ length: n }, (_, k) => k % 2);
  const [expected, got] = [new Float32Array(n), new Float32Array(n)];
  reference.predict(users, items, expected);
  await (trainer.predictAsync ? trainer.predictAsync(users, items, got) : trainer.predict(users, items, got));
  for (let k = 0; k < n; k++) {
    if (!(Math.abs(got[k] - expected[k]) < 1e-4)) return `scored ${got[k]} where the fused trainer scores ${expected[k]}`;
  }
  const loss = await trainBatchAwaiting(trainer, users, items, labels, 0, n);
  const expectedLoss = reference.trainBatch(users, items, labels, 0, n);
  if (!(Math.abs(loss - expectedLoss) < 1e-4))
    return `computed a training loss of ${loss} where the fused trainer computes ${expectedLoss}`;
  return '';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatRate(samplesPerSecond: number): string {
  return samplesPerSecond >= 10_000 ? `${Math.round(samplesPerSecond / 1000)}k` : `${Math.round(samplesPerSecond)}`;
}

/**
 * Step k of a speed probe: one batch of `batchSize` rows, four batches in turn (so that no step
 * repeats its predecessor's rows), the loss awaited where the trainer reads it so. The rows are
 * `rows` (cycled where fewer than four batches) or, without them, seeded random pairs.
 */
export function probeSteps(trainer: NeuMFTrainer, batchSize: number, rows?: TrainingEpoch): (k: number) => Promise<number> {
  const count = batchSize * 4;
  const source = rows && rows.users.length > 0 ? rows : randomPairs(trainer, count);
  const cycled = <T extends Int32Array | Float32Array>(from: T, to: T): T => to.map((_, r) => from[r % from.length]) as T;
  const users = cycled(source.users, new Int32Array(count));
  const items = cycled(source.items, new Int32Array(count));
  const labels = cycled(source.labels, new Float32Array(count));
  return (k) => {
    const start = (k % 4) * batchSize;
    return trainBatchAwaiting(trainer, users, items, labels, start, start + batchSize);
  };
}

/** `count` seeded random pairs of the trainer's users and movies, a fifth of them positive. */
function randomPairs(trainer: NeuMFTrainer, count: number): TrainingEpoch {
  const rng = new SeededRandom(12345);
  const users = Int32Array.from({ length: count }, () => rng.nextInt(trainer.numUsers));
  const items = Int32Array.from({ length: count }, () => rng.nextInt(trainer.numItems));
  const labels = Float32Array.from({ length: count }, () => (rng.nextFloat() < 0.2 ? 1 : 0));
  return { users, items, labels };
}

/**
 * Samples/s of `trainer` at `batchSize` on `rows` (default: random pairs, `probeSteps`): warm-up
 * batches for `milliseconds` (two at least: shader compilation, first allocations, and V8's switch
 * from its baseline WebAssembly code to optimised code, which comes after a few hundred milliseconds
 * of use: on NCF ml-1m at batch 8,192 the fused trainer's probe gave 256k samples/s after two warm-up
 * batches and 355k after this warm-up, on an H200 machine, docs/BENCHMARKS.md), then batches until
 * `milliseconds` more have passed (200 at most).
 */
export async function measureTrainingSpeed(
  trainer: NeuMFTrainer,
  batchSize: number,
  milliseconds: number,
  rows?: TrainingEpoch,
): Promise<number> {
  const step = probeSteps(trainer, batchSize, rows);
  const warming = performance.now();
  for (let k = 0; k < 2 || (performance.now() - warming < milliseconds && k < 200); k++) await step(k);
  const started = performance.now();
  let batches = 0;
  while (batches < 3 || (performance.now() - started < milliseconds && batches < 200)) await step(batches++);
  // Steps still queued on a device count in the time.
  await (trainer.settleAsync ? trainer.settleAsync() : trainer.settle?.());
  return (batches * batchSize) / ((performance.now() - started) / 1000);
}

async function chooseAutomatically(
  numUsers: number,
  numItems: number,
  settings: NeuMFSettings,
  options: CreateTrainerOptions,
  exclude: ConcreteBackend[] = [],
): Promise<CreatedTrainer> {
  const gpus = await detectGpus();
  const gpuIds = (['webgpu', 'webgl'] as const).filter((id) => gpus[id].accelerated && !exclude.includes(id));
  const fused = createFused(numUsers, numItems, settings);
  if (gpuIds.length === 0) {
    const why = (['webgpu', 'webgl'] as const).map((id) => `${id}: ${gpus[id].problem || 'not tried'}`).join('; ');
    return { ...fused, reason: `No hardware-accelerated GPU (${why}), so the fused CPU trainer is fastest.` };
  }

  const milliseconds = options.probeMilliseconds ?? 400;
  const initial = fused.trainer.getWeights();
  const rows = options.probeRows?.(4 * settings.batchSize);
  const measure = (trainer: NeuMFTrainer) => measureTrainingSpeed(trainer, settings.batchSize, milliseconds, rows);
  const candidates: CreatedTrainer[] = [fused];
  const speeds: ProbedSpeed[] = [{ id: 'fused', samplesPerSecond: await measure(fused.trainer) }];
  const failures: string[] = [];
  for (const id of gpuIds) {
    try {
      const created = await createTfjs(numUsers, numItems, settings, id, gpus[id].device, initial);
      candidates.push(created);
      speeds.push({ id, samplesPerSecond: await measure(created.trainer) });
    } catch (error) {
      failures.push(`${id} failed: ${describeError(error)}`);
    }
  }
  const { order, measured } = rankProbedSpeeds(speeds, options.fusedThreads);
  const winner = candidates.find((c) => c.id === order[0])!;
  for (const created of candidates) if (created !== winner) created.trainer.dispose?.();
  if (winner.id !== 'fused') {
    // The loop above may have left another backend active; the winner's variables live on its own.
    const { activateTfjsBackend } = await import('./tfjsBackend');
    await activateTfjsBackend(winner.id as TfjsBackendId, gpus[winner.id as 'webgpu' | 'webgl'].device);
  }
  winner.trainer.setWeights(initial);
  return {
    ...winner,
    reason: `Fastest in a short probe at batch ${settings.batchSize} (samples/s: ${measured})${failures.length ? `; ${failures.join('; ')}` : ''}.`,
  };
}

/**
 * The trainer to use for `requested`: that one where it starts (a GPU backend without a real
 * GPU does start, slowly, and the reason says so), otherwise what 'auto' picks among the rest,
 * with the reason saying what failed.
 */
export async function createTrainer(
  numUsers: number,
  numItems: number,
  settings: NeuMFSettings,
  requested: TrainingBackend,
  options: CreateTrainerOptions = {},
): Promise<CreatedTrainer> {
  if (requested === 'auto') return chooseAutomatically(numUsers, numItems, settings, options);
  if (requested === 'fused') return { ...createFused(numUsers, numItems, settings), reason: CHOSEN_IN_SETTINGS };
  let device = '';
  let slow = '';
  try {
    if (requested === 'webgpu' || requested === 'webgl') {
      const gpu = requested === 'webgpu' ? await detectWebGpu() : detectWebGl();
      if (!gpu.available) throw new Error(gpu.problem);
      device = gpu.device;
      if (!gpu.accelerated) slow = ` It runs without a GPU (${gpu.problem}): expect it to be much slower than the fused trainer.`;
    }
    const created = await createTfjs(numUsers, numItems, settings, requested, device);
    return { ...created, reason: `${CHOSEN_IN_SETTINGS}${slow}` };
  } catch (error) {
    const fallback = await chooseAutomatically(numUsers, numItems, settings, options, [requested]).catch((e: unknown) => {
      throw new TrainerUnavailableError(
        `${requested} unavailable: ${describeError(error)}; no other trainer started either: ${describeError(e)}`,
      );
    });
    return { ...fallback, reason: `${requested} unavailable: ${describeError(error)}; using ${fallback.backend}. ${fallback.reason}` };
  }
}

/** A stored-model form of `trainer`'s weights: the fused model itself, or a new one holding the same weights (read asynchronously). */
export async function toFusedNeuMF(trainer: NeuMFTrainer): Promise<FusedNeuMF> {
  if (trainer instanceof FusedNeuMF) return trainer;
  const fused = new FusedNeuMF(trainer.numUsers, trainer.numItems, trainer.settings);
  fused.setWeights(await readTrainerWeights(trainer));
  return fused;
}

export interface BackendDescription {
  id: ConcreteBackend;
  available: boolean;
  /** Runs on a real GPU. */
  accelerated: boolean;
  /** One line for the settings screen, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader ...)): software renderer". */
  note: string;
}

/** What each trainer would run on in this browser, without starting tfjs. */
export async function describeBackends(): Promise<BackendDescription[]> {
  const gpus = await detectGpus();
  const fusedKernels = fusedKernelsFor(resolveNeuMFSettings());
  const simd = fusedKernels === 'wasm-simd';
  const hasWasm = typeof WebAssembly === 'object';
  const gpuNote = (info: GpuInfo) => [info.device, info.problem].filter((s) => s).join(': ');
  return [
    { id: 'fused', available: true, accelerated: false, note: `${fusedLabel(fusedKernels)}: hand-written kernels on the CPU` },
    { id: 'webgpu', available: gpus.webgpu.available, accelerated: gpus.webgpu.accelerated, note: gpuNote(gpus.webgpu) },
    { id: 'webgl', available: gpus.webgl.available, accelerated: gpus.webgl.accelerated, note: gpuNote(gpus.webgl) },
    {
      id: 'wasm',
      available: hasWasm,
      accelerated: false,
      note: hasWasm ? `tfjs on the CPU${simd ? ' with SIMD' : ' without SIMD'}` : 'no WebAssembly',
    },
    { id: 'cpu', available: true, accelerated: false, note: 'tfjs in plain JavaScript: the slowest' },
  ];
}
