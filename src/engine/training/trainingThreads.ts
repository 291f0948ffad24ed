/**
 * NeuMF training on several threads: one FusedNeuMF in a shared WebAssembly memory, trained by
 * the training worker (thread 0) and `threads - 1` helper workers at once, to the same numbers
 * whatever the number of threads.
 *
 * An epoch in strata (src/engine/sampling/strata.ts): users and movies cut into B blocks, and in
 * each phase of the epoch task k trains user block k against one movie block, no two tasks the
 * same user or movie rows. A phase is cut into segments, one chunk of every task each (at the
 * defaults on two blocks ~35,000 rows a task, 34 batches of 1,024). In a segment each task starts from the same dense layers (the
 * small MLP and prediction layer, with their Adam moments and step count), trains its chunk in a
 * copy of its own, and writes its embedding rows in place (they are its alone); then thread 0
 * merges the copies: the weights move by the sum of the tasks' moves (every step counts, as on
 * one thread), the moments become their mean, and the step count goes on by all the tasks' steps.
 * Thread t trains tasks t, t + threads, ..., so a task's numbers depend on the segment's start
 * and its own rows only, never on which thread trains it or when: one thread and two train the
 * same model for a seed, bit for bit, given the blocks (`strataBlocksFor`: one thread trains two
 * blocks, as two threads do). A run is reproducible for a seed and a block count.
 *
 * Why not lock-free updates of shared dense layers (Hogwild, Niu et al. 2011), which this did
 * until session 19: the threads' interleaving changed every run, and with it the model. Over 8
 * ml-100k seeds two threads' chosen test HR@10 landed within 0.01 of one thread's in 4 to 6, and
 * repeats of one seed on two threads spread by 0.0036; mostly the schedule (strata against one
 * thread's plain epoch), some the timing (docs/BENCHMARKS.md, "What the two-thread spread is made
 * of"). Why a merge a segment and not a barrier a step: a step is ~1-3 ms of work and a barrier
 * makes every thread wait for the slowest each time; a segment (~0.05-0.1 s) waits once for dozens.
 * Why sum the moves: the same as the lock-free updates did, which trained as far an epoch as one
 * thread. The price of all this: a thread slowed by other work holds its segment up (nothing
 * helps it, since a task's chunks must be trained in order by one thread at a time).
 *
 * An epoch: thread 0 plans it (the visiting order, in shared memory; `planEpoch`), and for each
 * segment bumps the generation and wakes the helpers; each trains its tasks' chunk and reports
 * done, and thread 0 waits until every helper has (a helper that shows no work for a minute ends
 * the run instead: `HELPER_SILENCE_MS`), then merges. A chunk's rows depend only on the plan and
 * its index (`sampleStratumChunk`). Where the data allow only one block (too few users or movies
 * for two at the batch size), one thread trains the plain epoch (`sampleEpochChunk`), as without threads.
 *
 * Evaluation, between epochs, is split the same way: thread 0 puts a block of (user, item) pairs
 * or of users into shared memory, every thread claims slices of it and scores them with its own
 * view of the model (thread 0's dense layers, taken at the job's start; scores depend only on the
 * weights, so who scores what changes nothing), and thread 0 ranks the scores. Drawing the
 * sampled candidates and ranking stay on thread 0. Scoring only reads the shared weights: an
 * epoch ends with thread 0 bringing every embedding row up to the last step (`FusedNeuMF.flush`),
 * so no thread's scoring owes a row a catch-up to write.
 */
import type { SparseRows, TrainingPositives } from '../data/sparseRows';
import { usersPerScoringBlock } from '../evaluation/fullCatalogue';
import type { ScoringModel } from '../evaluation/heldOutEvaluation';
import { createTrainingThreadsMemory, FusedNeuMF } from '../model/fusedNeuMF';
import type { NeuMFSettings } from '../model/neumfSettings';
import { chunkBuffer, epochPlanOver, planTrainingEpoch, sampleEpochChunk, type EpochPlan, type TrainingEpoch } from '../sampling/negatives';
import {
  chunksOfTask,
  planStrata,
  sampleStratumChunk,
  shuffleWithinUserBlocks,
  strataPhases,
  stratumChunkBuffer,
  strataBlocksFor,
  stratumPositivesPerChunk,
  type Strata,
  type StrataPhase,
  type StratifiedEpoch,
} from '../sampling/strata';
import { StratumBatches, type TrainBatch } from './stratumBatches';
import type { EpochResult } from './trainEpoch';

/** Slots of the control block (Int32, shared). */
const GENERATION = 0;
const SEED = 1;
const NEXT_CHUNK = 2;
const DONE = 3;
const ROWS = 4;
const FAILED = 5;
const STOP = 6;
/** What the threads do when woken: one of the JOB_ values. */
const JOB = 7;
/** A scoring job's size: pairs, or users. */
const JOB_SIZE = 8;
/** A training job's segment of the epoch's strata: its phase (`StrataPhase`: round, first and end chunk) and chunk. */
const ROUND = 9;
const PHASE_FIRST = 10;
const PHASE_END = 11;
const CHUNK = 12;
/** The step count of the merged dense state (`SharedEpochState.dense`): where every task's steps of a segment start. */
const STEP_BASE = 13;
const CONTROL_SLOTS = 14;

const JOB_TRAIN = 0;
const JOB_SCORE_PAIRS = 1;
const JOB_SCORE_USERS = 2;

/** Pairs a scoring job holds (shared), and pairs a thread claims at a time. */
const SCORING_PAIRS = 1 << 16;
const PAIRS_PER_SLICE = 2048;
/** A value of NEXT_CHUNK past any job's chunks or slices: stored there, it leaves nothing to claim. */
const NOTHING_LEFT = 1 << 30;
/** Characters of a failed helper's message that reach thread 0. */
const FAILURE_MESSAGE_CHARS = 512;

/**
 * How long thread 0, done with its share of a job, waits on a helper that shows no sign of work
 * (no batch trained, no slice scored, job not done) before it looks again; the second such
 * silence in a row ends the run with an error naming the helper. Why: a page is told nothing
 * when a worker is ended from outside (the HTML standard fires `error` only when its script
 * throws), so without a watch thread 0 would wait for it until the person cancels. A helper's
 * units of work take milliseconds (a batch, a slice; a chunk is sampled in well under a second),
 * so 30 s of silence on a working device is not slowness; twice, so that a device that slept
 * through one wait (every thread frozen, the clock not) is not taken for a lost helper.
 */
export const HELPER_SILENCE_MS = 30_000;

/** What every thread of one training run shares besides the model's memory. */
export interface SharedEpochState {
  control: Int32Array;
  /** Each task's loss sum over its rows of the latest segment (index = task). */
  losses: Float64Array;
  /** The epoch's visiting order (`EpochPlan.order`). */
  order: Int32Array;
  /**
   * Dense states (`FusedNeuMF.copyDenseStateTo`), `denseStateLength` floats each: slot k is task
   * k's after the latest segment, slot `blocks` the merged one every task of a segment starts from
   * (and every scoring job scores with).
   */
  dense: Float32Array;
  /** Adam steps each task took in the latest segment (index = task). */
  taskSteps: Int32Array;
  /** A scoring job: its users (and items, for pairs), and where every thread writes its scores. */
  scoring: { users: Int32Array; items: Int32Array; scores: Float32Array };
  /** The first failed helper's message (UTF-16 code units, 0-terminated when shorter). */
  failure: Uint16Array;
  /** Per thread: units of work done so far (batches trained, slices scored), the sign of life thread 0 watches. */
  beats: Int32Array;
  /** Per thread: the GENERATION of the last job it finished. */
  finished: Int32Array;
}

/** Counts a unit of work done on `thread`, for thread 0's watch on silent helpers. */
function beat(state: SharedEpochState, thread: number): void {
  Atomics.add(state.beats, thread, 1);
}

/** Keeps `message` in `slot` for thread 0 (cut to the slot's length). */
function writeFailure(slot: Uint16Array, message: string): void {
  const length = Math.min(message.length, slot.length);
  for (let k = 0; k < length; k++) slot[k] = message.charCodeAt(k);
  if (length < slot.length) slot[length] = 0;
}

function readFailure(slot: Uint16Array): string {
  const end = slot.indexOf(0);
  return String.fromCharCode(...slot.subarray(0, end < 0 ? slot.length : end));
}

/**
 * Claims slices of the current scoring job until none is left and scores each into the shared
 * scores: pairs `PAIRS_PER_SLICE` at a time, or one user's whole catalogue at a time.
 */
function scoreClaimedSlices(model: FusedNeuMF, state: SharedEpochState, thread: number, job: number, size: number): void {
  const { control, scoring } = state;
  const { users, items, scores } = scoring;
  const numItems = model.numItems;
  for (;;) {
    const slice = Atomics.add(control, NEXT_CHUNK, 1);
    if (job === JOB_SCORE_PAIRS) {
      const start = slice * PAIRS_PER_SLICE;
      if (start >= size) return;
      model.predict(users, items, scores, start, Math.min(size, start + PAIRS_PER_SLICE));
    } else {
      if (slice >= size) return;
      model.scoreUser(users[slice], scores.subarray(slice * numItems, (slice + 1) * numItems));
    }
    beat(state, thread);
  }
}

/** What a helper worker is sent once: everything to rebuild thread `thread`'s view of the run. */
export interface TrainingThreadSetup {
  memory: WebAssembly.Memory;
  thread: number;
  threads: number;
  numUsers: number;
  numItems: number;
  settings: NeuMFSettings;
  positives: TrainingPositives;
  seen: SparseRows;
  ratio: number;
  positivesPerChunk: number;
  /** Blocks of users and movies the threads train apart (several threads), or null (one thread: the plain epoch). */
  strata: Strata | null;
  state: SharedEpochState;
}

/** Raised on thread 0 when a helper failed during an epoch or an evaluation; carries the helper's message. */
export class TrainingThreadError extends Error {
  constructor(message: string) {
    super(`A training thread failed: ${message}`);
    this.name = 'TrainingThreadError';
  }
}

/** Whether this context can share memory between workers (a cross-origin isolated page, or Node). */
export function canShareMemory(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

function sharedInt32(source: Int32Array): Int32Array {
  const out = new Int32Array(new SharedArrayBuffer(source.byteLength));
  out.set(source);
  return out;
}

/** The strata copied into shared memory, for every thread to read. */
function shareStrata(strata: Strata): Strata {
  return {
    blocks: strata.blocks,
    userStarts: sharedInt32(strata.userStarts),
    itemBlockSizes: sharedInt32(strata.itemBlockSizes),
    positiveStarts: sharedInt32(strata.positiveStarts),
    unseenInBlock: sharedInt32(strata.unseenInBlock),
  };
}

/** The split's training rows and histories copied once into shared memory, for every thread to read. */
export function shareTrainingData(positives: TrainingPositives, seen: SparseRows): { positives: TrainingPositives; seen: SparseRows } {
  return {
    positives: {
      numUsers: positives.numUsers,
      numItems: positives.numItems,
      trainUsers: sharedInt32(positives.trainUsers),
      trainItems: sharedInt32(positives.trainItems),
    },
    seen: { rows: seen.rows, columns: seen.columns, offsets: sharedInt32(seen.offsets), entries: sharedInt32(seen.entries) },
  };
}

/** The stratified epoch thread 0 planned (`TrainingThreads.planEpoch`), as every thread samples it. */
function stratifiedEpochOf(setup: Omit<TrainingThreadSetup, 'thread'>, strata: Strata, seed: number): StratifiedEpoch {
  const { positives, seen, ratio, positivesPerChunk, state } = setup;
  return {
    positives,
    seen,
    ratio,
    seed,
    order: state.order,
    positivesPerChunk: stratumPositivesPerChunk(strata, positivesPerChunk),
    strata,
  };
}

/** The running loss sum of a thread's batches (rows are counted in the shared ROWS). */
interface ThreadTally {
  lossSum: number;
}

/** Trains one batch of rows on `model` as thread `thread`, counting it in the tally, the shared ROWS and the thread's beats. */
function batchTrainer(
  model: FusedNeuMF,
  state: SharedEpochState,
  thread: number,
  tally: ThreadTally,
  onBatch?: (loss: number) => void,
): TrainBatch {
  return ({ users, items, labels }, start, end) => {
    const loss = model.trainBatch(users, items, labels, start, end);
    tally.lossSum += loss * (end - start);
    Atomics.add(state.control, ROWS, end - start);
    beat(state, thread);
    onBatch?.(loss);
  };
}

/** One segment of a stratified epoch (`TrainingThreads.trainEpoch`): chunk `chunk` of every task in phase `phase`. */
interface StrataSegment {
  phase: StrataPhase;
  chunk: number;
}

/** The segment thread 0 stored in the control block for the current job. */
function segmentOf(control: Int32Array): StrataSegment {
  return {
    phase: {
      round: Atomics.load(control, ROUND),
      firstChunk: Atomics.load(control, PHASE_FIRST),
      endChunk: Atomics.load(control, PHASE_END),
    },
    chunk: Atomics.load(control, CHUNK),
  };
}

/** A thread's tasks (t, t + threads, ...) with the batches each fills across the chunks of a phase, and the running tally its batches add to. */
interface OwnTasks {
  tally: ThreadTally;
  /** Index = task; null for the other threads' tasks. */
  batches: (StratumBatches | null)[];
}

function ownTasks(
  model: FusedNeuMF,
  state: SharedEpochState,
  thread: number,
  threads: number,
  blocks: number,
  onBatch?: (loss: number) => void,
): OwnTasks {
  const tally = { lossSum: 0 };
  const train = batchTrainer(model, state, thread, tally, onBatch);
  const batches = Array.from({ length: blocks }, (_, task) =>
    task % threads === thread ? new StratumBatches(model.settings.batchSize, train) : null,
  );
  return { tally, batches };
}

/**
 * Thread `thread`'s share of a segment: for each of its tasks that has chunk `segment.chunk` in
 * the phase, the merged dense state is loaded, the chunk trained (in whole batches, `StratumBatches`;
 * the task's rows left over wait for its next chunk, and are trained at its last chunk of the
 * phase), and the task's dense state, steps and loss written to its slots for thread 0's merge.
 */
function trainOwnTasks(
  model: FusedNeuMF,
  epoch: StratifiedEpoch,
  segment: StrataSegment,
  state: SharedEpochState,
  own: OwnTasks,
  buffer: TrainingEpoch,
): void {
  const { control, dense, taskSteps, losses } = state;
  const { phase, chunk } = segment;
  const blocks = epoch.strata.blocks;
  const size = model.denseStateLength;
  const base = Atomics.load(control, STEP_BASE);
  for (let task = 0; task < blocks; task++) {
    const batches = own.batches[task];
    if (!batches) continue;
    // A phase starts with nothing held (an epoch stopped in a phase may have left rows).
    if (chunk === phase.firstChunk) batches.discard();
    const end = Math.min(phase.endChunk, chunksOfTask(epoch.strata, task, epoch.positivesPerChunk));
    taskSteps[task] = 0;
    losses[task] = 0;
    if (chunk >= end) continue;
    model.loadDenseState(dense, blocks * size, base);
    own.tally.lossSum = 0;
    batches.add(sampleStratumChunk(epoch, task, phase.round, chunk, buffer));
    if (chunk === end - 1) batches.flush();
    model.copyDenseStateTo(dense, task * size);
    taskSteps[task] = model.steps - base;
    losses[task] = own.tally.lossSum;
  }
}

/**
 * Thread 0, once every task of a segment is done: the merged dense state moves by the sum of the
 * tasks' moves (weights) and takes the mean of their Adam moments, over the tasks that trained;
 * the step count goes on by all their steps. In task order, so that the sums are the same numbers
 * on any number of threads. Returns the segment's loss sum.
 */
function mergeTasks(state: SharedEpochState, blocks: number, size: number): number {
  const { control, dense, taskSteps, losses } = state;
  let steps = 0;
  let lossSum = 0;
  const trained: number[] = [];
  for (let task = 0; task < blocks; task++) {
    lossSum += losses[task];
    if (taskSteps[task] === 0) continue;
    trained.push(task * size);
    steps += taskSteps[task];
  }
  FusedNeuMF.mergeDenseStates(dense, blocks * size, trained, size);
  Atomics.add(control, STEP_BASE, steps);
  return lossSum;
}

/**
 * Claims chunks of `plan` until none is left, samples and trains each: the plain epoch, which only
 * a run on data too small for two blocks trains (one thread). Returns the loss sum of its rows.
 */
function trainClaimedChunks(
  model: FusedNeuMF,
  plan: EpochPlan,
  thread: number,
  state: SharedEpochState,
  buffer: TrainingEpoch,
  batchSize: number,
  onBatch?: (loss: number) => void,
): ThreadTally {
  const { control } = state;
  const tally = { lossSum: 0 };
  const train = batchTrainer(model, state, thread, tally, onBatch);
  for (let chunk = Atomics.add(control, NEXT_CHUNK, 1); chunk < plan.chunks; chunk = Atomics.add(control, NEXT_CHUNK, 1)) {
    // A plain chunk is a whole number of batches (`positivesPerChunk`), but for the epoch's last.
    const rows = sampleEpochChunk(plan, chunk, buffer);
    for (let start = 0; start < rows.users.length; start += batchSize) train(rows, start, Math.min(rows.users.length, start + batchSize));
  }
  return tally;
}

/** A buffer for the chunks this run's threads sample: stratum chunks, or one thread's plain ones. */
function trainingBuffer(setup: Omit<TrainingThreadSetup, 'thread'>): TrainingEpoch {
  return setup.strata
    ? stratumChunkBuffer(setup.strata, stratumPositivesPerChunk(setup.strata, setup.positivesPerChunk), setup.ratio)
    : chunkBuffer(setup);
}

/**
 * A helper thread's whole life: attach to the shared model, then train each epoch thread 0 starts
 * until told to stop. Blocks its worker (Atomics.wait) between epochs.
 */
export function serveTrainingThread(setup: TrainingThreadSetup, onReady: () => void): void {
  const { control, dense } = setup.state;
  const model = new FusedNeuMF(setup.numUsers, setup.numItems, setup.settings, {
    shared: { memory: setup.memory, thread: setup.thread, threads: setup.threads },
  });
  const buffer = trainingBuffer(setup);
  // A helper exists only where the epoch is in strata (one block: one thread, no helpers).
  const strata = setup.strata;
  if (!strata) throw new Error('A helper thread trains an epoch in strata, and this run has none.');
  const own = ownTasks(model, setup.state, setup.thread, setup.threads, strata.blocks);
  const merged = strata.blocks * model.denseStateLength;
  onReady();
  let generation = 0;
  for (;;) {
    Atomics.wait(control, GENERATION, generation);
    generation = Atomics.load(control, GENERATION);
    if (Atomics.load(control, STOP)) return;
    try {
      const job = Atomics.load(control, JOB);
      if (job === JOB_TRAIN) {
        trainOwnTasks(model, stratifiedEpochOf(setup, strata, Atomics.load(control, SEED)), segmentOf(control), setup.state, own, buffer);
        // Every thread changed the tables: what this view cached from them (scoreUser's item parts) is stale.
        model.weightsChangedElsewhere();
      } else {
        // Thread 0's dense layers as they stand (the average, while it stands in), and its step count.
        model.loadDenseState(dense, merged, Atomics.load(control, STEP_BASE));
        scoreClaimedSlices(model, setup.state, setup.thread, job, Atomics.load(control, JOB_SIZE));
      }
    } catch (error) {
      // The first helper to fail tells thread 0 its message; the console keeps the stack.
      if (Atomics.compareExchange(control, FAILED, 0, setup.thread + 1) === 0)
        writeFailure(setup.state.failure, error instanceof Error ? error.message : String(error));
      console.error(error);
    } finally {
      Atomics.store(setup.state.finished, setup.thread, generation);
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
  }
}

/**
 * `spawn(setup)`, or a TrainingThreadError once `ms` have passed without the helper reporting
 * ready (its worker ended before it attached, which a page is not told of either:
 * `HELPER_SILENCE_MS`). A helper that reports ready only after that is ended at once.
 */
function spawnWithin(
  spawn: (setup: TrainingThreadSetup) => Promise<TrainingThreadWorker>,
  setup: TrainingThreadSetup,
  ms: number,
): Promise<TrainingThreadWorker> {
  return new Promise((resolve, reject) => {
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      reject(new TrainingThreadError(`thread ${setup.thread} did not start: no answer from it for ${Math.round(ms / 1000)} s.`));
    }, ms);
    spawn(setup).then(
      (helper) => {
        clearTimeout(timer);
        if (late) helper.terminate();
        else resolve(helper);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A started helper (its worker, attached to the shared model): all thread 0 does with it is end it. */
export interface TrainingThreadWorker {
  terminate(): void;
}

/**
 * Thread 0's side: the shared model, the helpers, and one epoch at a time. Create with `start`;
 * `close` when the run is over (the helpers are stopped and terminated).
 */
export class TrainingThreads {
  readonly model: FusedNeuMF;
  readonly threads: number;
  private readonly setup: Omit<TrainingThreadSetup, 'thread'>;
  private readonly helpers: TrainingThreadWorker[];
  private readonly buffer: TrainingEpoch;
  private readonly helperSilenceMs: number;
  /** The plan `planEpoch` made last: the only one `trainEpoch` takes (the shared order holds it). */
  private planned: EpochPlan | null = null;
  /** Thread 0's tasks in strata, made at the first epoch; their batches tell `onOwnBatch`, the current epoch's. */
  private ownTasks: OwnTasks | null = null;
  private onOwnBatch: (loss: number) => void = () => {};

  private constructor(
    model: FusedNeuMF,
    setup: Omit<TrainingThreadSetup, 'thread'>,
    helpers: TrainingThreadWorker[],
    helperSilenceMs: number,
  ) {
    this.model = model;
    this.helperSilenceMs = helperSilenceMs;
    this.threads = setup.threads;
    this.setup = setup;
    this.helpers = helpers;
    this.buffer = trainingBuffer(setup);
  }

  /**
   * A model of this size in a shared memory, initialised as `new FusedNeuMF` would be (same
   * seed, same weights), and `threads - 1` helpers from `spawn`, each attached and waiting.
   * `spawn(setup)` starts a worker, sends it the setup and resolves once it reports ready.
   * `helperSilenceMs`: how long a helper may show no work before thread 0 looks again (`HELPER_SILENCE_MS`).
   */
  static async start(
    positives: TrainingPositives,
    seen: SparseRows,
    settings: NeuMFSettings,
    threads: number,
    positivesPerChunk: number,
    spawn: (setup: TrainingThreadSetup) => Promise<TrainingThreadWorker>,
    helperSilenceMs = HELPER_SILENCE_MS,
  ): Promise<TrainingThreads> {
    const blocks = strataBlocksFor(threads, positives.numUsers, positives.numItems, settings.batchSize);
    if (threads > blocks)
      throw new RangeError(`These data train on ${blocks} thread${blocks === 1 ? '' : 's'} at most (threadsTheDataAllow), not ${threads}.`);
    const memory = createTrainingThreadsMemory(positives.numUsers, positives.numItems, settings, threads);
    const model = new FusedNeuMF(positives.numUsers, positives.numItems, settings, { shared: { memory, thread: 0, threads } });
    // One thread shares nothing: ordinary buffers, so that it needs no cross-origin isolation.
    const share = threads > 1;
    const buffer = (bytes: number) => (share ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const strata = blocks > 1 ? planStrata(positives, seen, blocks) : null;
    const tasks = strata?.blocks ?? 1;
    const state: SharedEpochState = {
      control: new Int32Array(buffer(4 * CONTROL_SLOTS)),
      losses: new Float64Array(buffer(8 * tasks)),
      order: new Int32Array(buffer(4 * Math.max(1, positives.trainUsers.length))),
      dense: new Float32Array(buffer(4 * (tasks + 1) * model.denseStateLength)),
      taskSteps: new Int32Array(buffer(4 * tasks)),
      scoring: {
        users: new Int32Array(buffer(4 * SCORING_PAIRS)),
        items: new Int32Array(buffer(4 * SCORING_PAIRS)),
        scores: new Float32Array(buffer(4 * Math.max(SCORING_PAIRS, usersPerScoringBlock(positives.numItems) * positives.numItems))),
      },
      failure: new Uint16Array(buffer(2 * FAILURE_MESSAGE_CHARS)),
      beats: new Int32Array(buffer(4 * threads)),
      finished: new Int32Array(buffer(4 * threads)),
    };
    const setup = {
      memory,
      threads,
      numUsers: positives.numUsers,
      numItems: positives.numItems,
      settings,
      ...(share ? shareTrainingData(positives, seen) : { positives, seen }),
      ratio: settings.negatives,
      positivesPerChunk,
      strata: strata && share ? shareStrata(strata) : strata,
      state,
    };
    const started = await Promise.allSettled(
      Array.from({ length: threads - 1 }, (_, k) => spawnWithin(spawn, { ...setup, thread: k + 1 }, 2 * helperSilenceMs)),
    );
    const helpers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      for (const helper of helpers) helper.terminate();
      throw failed.reason;
    }
    return new TrainingThreads(model, setup, helpers, helperSilenceMs);
  }

  /**
   * The plan of the epoch seeded `seed`, in shared memory for every thread: one thread's is
   * `planTrainingEpoch`'s (the same epoch as without threads); several threads' orders each user
   * block's positives at random (`shuffleWithinUserBlocks`), and `trainEpoch` trains it in strata.
   */
  planEpoch(seed: number): EpochPlan {
    const { positives, seen, ratio, positivesPerChunk, strata, state } = this.setup;
    if (strata) shuffleWithinUserBlocks(strata, seed, state.order);
    this.planned = strata
      ? epochPlanOver(positives, seen, ratio, seed, positivesPerChunk, state.order)
      : planTrainingEpoch(positives, seen, ratio, seed, positivesPerChunk, state.order);
    return this.planned;
  }

  /**
   * Trains the epoch `planEpoch` planned last on every thread. `onBatch` is told, after each of
   * thread 0's batches, the rows all threads have done, that batch's loss and the seconds so far.
   * `onWhole` is told the rows done whenever the model is whole and no thread trains: after each
   * segment's merge (strata) or each batch (the plain epoch); what reads the weights mid-epoch
   * (`WeightAveraging`) reads them then, so that it reads the same numbers on any number of
   * threads. With `stopAfterSeconds`, no segment (no chunk, in the plain epoch) starts after that
   * many seconds (a speed measurement: `rows` says what was done).
   */
  trainEpoch(
    plan: EpochPlan,
    onBatch?: (rowsDone: number, batchLoss: number, seconds: number) => void,
    stopAfterSeconds = Infinity,
    onWhole?: (rowsDone: number) => void,
  ): EpochResult {
    if (plan !== this.planned) throw new Error('TrainingThreads trains the epoch its planEpoch planned last.');
    const { control, dense } = this.setup.state;
    const { strata, settings } = this.setup;
    const started = performance.now();
    Atomics.store(control, SEED, plan.seed);
    Atomics.store(control, ROWS, 0);
    let stopped = false;
    const onOwnBatch = (loss: number) => {
      const seconds = (performance.now() - started) / 1000;
      onBatch?.(Atomics.load(control, ROWS), loss, seconds);
      if (!strata) onWhole?.(Atomics.load(control, ROWS));
      if (seconds >= stopAfterSeconds) {
        stopped = true;
        this.claimNothingMore();
      }
    };
    let lossSum = 0;
    if (strata) {
      const epoch = stratifiedEpochOf(this.setup, strata, plan.seed);
      const size = this.model.denseStateLength;
      const own = (this.ownTasks ??= ownTasks(this.model, this.setup.state, 0, this.threads, strata.blocks, (loss) =>
        this.onOwnBatch(loss),
      ));
      this.onOwnBatch = onOwnBatch;
      // Every task of the first segment starts from thread 0's dense state as it stands.
      this.publishDenseState();
      let chunks = 0;
      for (let task = 0; task < strata.blocks; task++) chunks = Math.max(chunks, chunksOfTask(strata, task, epoch.positivesPerChunk));
      for (const phase of strataPhases(strata, epoch.positivesPerChunk)) {
        for (let chunk = phase.firstChunk; chunk < Math.min(phase.endChunk, chunks) && !stopped; chunk++) {
          Atomics.store(control, ROUND, phase.round);
          Atomics.store(control, PHASE_FIRST, phase.firstChunk);
          Atomics.store(control, PHASE_END, phase.endChunk);
          Atomics.store(control, CHUNK, chunk);
          this.runJob(JOB_TRAIN, 0, () => trainOwnTasks(this.model, epoch, { phase, chunk }, this.setup.state, own, this.buffer));
          lossSum += mergeTasks(this.setup.state, strata.blocks, size);
          this.model.loadDenseState(dense, strata.blocks * size, Atomics.load(control, STEP_BASE));
          onWhole?.(Atomics.load(control, ROWS));
        }
      }
    } else {
      this.runJob(JOB_TRAIN, 0, () => {
        lossSum += trainClaimedChunks(this.model, plan, 0, this.setup.state, this.buffer, settings.batchSize, onOwnBatch).lossSum;
      });
    }
    const seconds = (performance.now() - started) / 1000;
    // With every helper done, bring every row up to the last step here, once (thread 0's view,
    // the same shared rows): scoring on several threads then only reads the weights. Left to each
    // thread's `predict`, the catch-ups would race, moving a row twice or scoring it half-moved.
    this.model.flush();
    this.model.weightsChangedElsewhere();
    const rows = Atomics.load(control, ROWS);
    return { loss: rows > 0 ? lossSum / rows : 0, rows, seconds };
  }

  /** Thread 0's dense state and step count, as the merged one: where the next segment's tasks, or a scoring job's helpers, start from. */
  private publishDenseState(): void {
    const { strata, state } = this.setup;
    this.model.copyDenseStateTo(state.dense, (strata?.blocks ?? 1) * this.model.denseStateLength);
    Atomics.store(state.control, STEP_BASE, this.model.steps);
  }

  /**
   * The model's scores for an evaluation, computed on every thread: pairs and whole catalogues in
   * blocks through shared memory; one user's catalogue (`scoreUser`) on this thread alone.
   */
  scoringModel(): ScoringModel {
    const model = this.model;
    const { users: jobUsers, items: jobItems, scores } = this.setup.state.scoring;
    const numItems = model.numItems;
    return {
      scoreUser: (user, out) => model.scoreUser(user, out),
      scorePairs: (users, items, out) => {
        for (let from = 0; from < users.length; from += SCORING_PAIRS) {
          const size = Math.min(SCORING_PAIRS, users.length - from);
          jobUsers.set(users.subarray(from, from + size));
          jobItems.set(items.subarray(from, from + size));
          this.runScoring(JOB_SCORE_PAIRS, size);
          out.set(scores.subarray(0, size), from);
        }
      },
      scoreUsers: (users, out) => {
        const perJob = usersPerScoringBlock(numItems);
        for (let from = 0; from < users.length; from += perJob) {
          const size = Math.min(perJob, users.length - from);
          jobUsers.set(users.subarray(from, from + size));
          this.runScoring(JOB_SCORE_USERS, size);
          out.set(scores.subarray(0, size * numItems), from * numItems);
        }
      },
    };
  }

  private runScoring(job: number, size: number): void {
    this.publishDenseState();
    this.runJob(job, size, () => scoreClaimedSlices(this.model, this.setup.state, 0, job, size));
  }

  /**
   * Wakes the helpers for one job, does this thread's share (`own`), and waits until every helper
   * has done its own, also when `own` throws (no helper is left working on shared memory).
   */
  private runJob(job: number, size: number, own: () => void): void {
    const { control, failure } = this.setup.state;
    Atomics.store(control, JOB, job);
    Atomics.store(control, JOB_SIZE, size);
    Atomics.store(control, NEXT_CHUNK, 0);
    Atomics.store(control, DONE, 0);
    Atomics.store(control, FAILED, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    try {
      own();
    } finally {
      // Nothing is left to claim, so helpers stop at their current chunk or slice.
      this.claimNothingMore();
      this.awaitHelpers();
    }
    const failed = Atomics.load(control, FAILED);
    if (failed)
      throw new TrainingThreadError(
        `thread ${failed - 1} stopped during the ${job === JOB_TRAIN ? 'epoch' : 'evaluation'}: ${readFailure(failure)}`,
      );
  }

  /**
   * Waits until every helper has finished the current job. A helper that does no work through two
   * `helperSilenceMs` waits in a row (`HELPER_SILENCE_MS`: a worker ended from outside) ends the
   * run: throws, naming it, rather than waiting for it for ever.
   */
  private awaitHelpers(): void {
    const { control, beats, finished } = this.setup.state;
    const generation = Atomics.load(control, GENERATION);
    const helpers = this.helpers.length;
    let heard = Array.from(beats);
    let silences = 0;
    for (let done = Atomics.load(control, DONE); done < helpers; done = Atomics.load(control, DONE)) {
      if (Atomics.wait(control, DONE, done, this.helperSilenceMs) !== 'timed-out') continue;
      const working = Array.from({ length: helpers }, (_, k) => k + 1).filter((t) => Atomics.load(finished, t) !== generation);
      const silent = working.filter((t) => Atomics.load(beats, t) === heard[t]);
      heard = Array.from(beats);
      silences = silent.length > 0 && silent.length === working.length ? silences + 1 : 0;
      if (silences >= 2)
        throw new TrainingThreadError(
          `${silent.map((t) => `thread ${t}`).join(' and ')} stopped answering: no work from it for ${Math.round((2 * this.helperSilenceMs) / 1000)} s ` +
            `(a worker ended from outside, or a device that stopped it). Train again, or with Threads set to 1.`,
        );
    }
  }

  /** Leaves no chunk (plain epoch) or slice (scoring) of the current job to claim: every thread stops at the one it holds. */
  private claimNothingMore(): void {
    Atomics.store(this.setup.state.control, NEXT_CHUNK, NOTHING_LEFT);
  }

  /** Stops and terminates the helpers. The model stays usable on this thread. */
  close(): void {
    const { control } = this.setup.state;
    Atomics.store(control, STOP, 1);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    for (const helper of this.helpers) helper.terminate();
  }
}
