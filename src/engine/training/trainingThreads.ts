/**
 * NeuMF training on several threads: one FusedNeuMF in a shared WebAssembly memory, trained by
 * the training worker (thread 0) and `threads - 1` helper workers at once.
 *
 * Why lock-free updates of shared weights (Hogwild, Niu et al. 2011) rather than data-parallel
 * steps with a barrier: a NeuMF step is ~1-3 ms of work, and a barrier per step would make every
 * thread wait for the slowest one each step, which on a device whose cores also run the page and
 * other programs costs more than the races do (the threads do wait for each other between the
 * epoch's phases, below: every few dozen steps). Why in strata (src/engine/sampling/strata.ts):
 * threads that write the same embedding rows hand their cache lines to each other every step,
 * which on cores without a shared cache cost a third of the speed; in strata no two threads
 * train the same user or movie rows at once (only the small dense layers stay shared). The
 * price: runs on several threads are not reproducible bit for bit (threads interleave
 * differently each time); one thread is, and trains the plain epoch, as without threads.
 *
 * What is shared and what is each thread's: see `FusedNeuMFOptions.shared`. Every thread counts
 * steps on one shared counter, so Adam's bias correction and the catch-up of rows the batches
 * skipped see one sequence of steps, as on one thread.
 *
 * An epoch: thread 0 plans it (the visiting order, in shared memory; `planEpoch`), bumps the
 * generation and wakes the helpers; each thread claims chunks one at a time from a shared
 * counter, samples and trains each, and thread 0 waits until every helper has reported the job
 * done (a helper that shows no work for a minute ends the run instead: `HELPER_SILENCE_MS`). On
 * several threads an epoch is a series of such jobs, the strata's phases (a round of the strata
 * over a few chunks of every task, `strataPhases`): in each, thread t claims the chunks of its
 * own task (its user block against one movie block) first, then helps with the others' (so a
 * thread slowed by other work holds no phase up). A chunk's rows depend only on
 * the plan and its index (`sampleEpochChunk`, `sampleStratumChunk`), so which thread trains it
 * changes nothing but the order.
 *
 * Evaluation, between epochs, is split the same way: thread 0 puts a block of (user, item) pairs
 * or of users into shared memory, every thread claims slices of it and scores them with its own
 * view of the model (scores depend only on the weights, so who scores what changes nothing), and
 * thread 0 ranks the scores. Drawing the sampled candidates and ranking stay on thread 0. Scoring
 * only reads the shared weights: an epoch ends with thread 0 bringing every embedding row up to
 * the last step (`FusedNeuMF.flush`), so no thread's scoring owes a row a catch-up to write.
 */
import type { SparseRows, TrainingPositives } from '../data/sparseRows';
import { usersPerScoringBlock } from '../evaluation/fullCatalogue';
import type { ScoringModel } from '../evaluation/heldOutEvaluation';
import { createSharedNeuMFMemory, FusedNeuMF } from '../model/fusedNeuMF';
import type { NeuMFSettings } from '../model/neumfSettings';
import { chunkBuffer, epochPlanOver, planTrainingEpoch, sampleEpochChunk, type EpochPlan, type TrainingEpoch } from '../sampling/negatives';
import {
  chunksOfTask,
  planStrata,
  sampleStratumChunk,
  shuffleWithinUserBlocks,
  strataPhases,
  stratumChunkBuffer,
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
/** A training job's phase of the epoch's strata (`StrataPhase`): its round, and the end of its chunks. */
const ROUND = 9;
const PHASE_END = 10;
const CONTROL_SLOTS = 11;

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
  /** Each helper's loss sum over its rows of the latest epoch (index = thread). */
  losses: Float64Array;
  /** The epoch's visiting order (`EpochPlan.order`). */
  order: Int32Array;
  /** For each task of a phase (strata), the next chunk to claim. */
  taskChunks: Int32Array;
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

/** The epoch thread 0 planned into shared memory (`planTrainingEpoch` into `orderBuffer`), as a helper sees it. */
function planOf(setup: TrainingThreadSetup, seed: number): EpochPlan {
  return epochPlanOver(setup.positives, setup.seen, setup.ratio, seed, setup.positivesPerChunk, setup.state.order);
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

/** An epoch's running loss sum and rows on one thread. */
interface ThreadTally {
  lossSum: number;
  rows: number;
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
    tally.rows += end - start;
    Atomics.add(state.control, ROWS, end - start);
    beat(state, thread);
    onBatch?.(loss);
  };
}

/**
 * A phase of a stratified epoch on thread `thread`: its own task's chunks of the phase first
 * (rows no other thread writes), then, once those are claimed, chunks of the others' tasks, so
 * that a thread the device slows does not hold the phase up (only then do two threads share
 * rows). Thread 0 set each task's next chunk (`taskChunks`) to the phase's first.
 */
function trainClaimedStrata(
  model: FusedNeuMF,
  epoch: StratifiedEpoch,
  phase: Omit<StrataPhase, 'firstChunk'>,
  thread: number,
  state: SharedEpochState,
  buffer: TrainingEpoch,
  batchSize: number,
  onBatch?: (loss: number) => void,
): ThreadTally {
  const tally = { lossSum: 0, rows: 0 };
  const batches = new StratumBatches(batchSize, batchTrainer(model, state, thread, tally, onBatch));
  const blocks = epoch.strata.blocks;
  for (let k = 0; k < blocks; k++) {
    const task = (thread + k) % blocks;
    const end = Math.min(phase.endChunk, chunksOfTask(epoch.strata, task, epoch.positivesPerChunk));
    for (let chunk = Atomics.add(state.taskChunks, task, 1); chunk < end; chunk = Atomics.add(state.taskChunks, task, 1)) {
      batches.add(sampleStratumChunk(epoch, task, phase.round, chunk, buffer));
    }
    batches.flush(); // the next task's stratum may be another thread's rows
  }
  return tally;
}

/**
 * Claims chunks of `plan` until none is left, samples and trains each: the work of every thread
 * in an epoch on one thread's plan. Returns the loss sum and rows this thread trained.
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
  const tally = { lossSum: 0, rows: 0 };
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
  const { control, losses } = setup.state;
  const model = new FusedNeuMF(setup.numUsers, setup.numItems, setup.settings, {
    shared: { memory: setup.memory, thread: setup.thread, threads: setup.threads },
  });
  const buffer = trainingBuffer(setup);
  onReady();
  let generation = 0;
  for (;;) {
    Atomics.wait(control, GENERATION, generation);
    generation = Atomics.load(control, GENERATION);
    if (Atomics.load(control, STOP)) return;
    try {
      const job = Atomics.load(control, JOB);
      if (job === JOB_TRAIN) {
        const seed = Atomics.load(control, SEED);
        const batchSize = setup.settings.batchSize;
        const { lossSum } = setup.strata
          ? trainClaimedStrata(
              model,
              stratifiedEpochOf(setup, setup.strata, seed),
              { round: Atomics.load(control, ROUND), endChunk: Atomics.load(control, PHASE_END) },
              setup.thread,
              setup.state,
              buffer,
              batchSize,
            )
          : trainClaimedChunks(model, planOf(setup, seed), setup.thread, setup.state, buffer, batchSize);
        losses[setup.thread] = lossSum;
        // Every thread changed the weights: what this view cached from them (scoreUser's item parts) is stale.
        model.weightsChangedElsewhere();
      } else scoreClaimedSlices(model, setup.state, setup.thread, job, Atomics.load(control, JOB_SIZE));
    } catch (error) {
      // The first helper to fail tells thread 0 its message; the console keeps the stack.
      if (Atomics.compareExchange(control, FAILED, 0, setup.thread + 1) === 0)
        writeFailure(setup.state.failure, error instanceof Error ? error.message : String(error));
      losses[setup.thread] = NaN;
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
    const memory = createSharedNeuMFMemory(positives.numUsers, positives.numItems, settings, threads);
    const model = new FusedNeuMF(positives.numUsers, positives.numItems, settings, { shared: { memory, thread: 0, threads } });
    const shared = shareTrainingData(positives, seen);
    const state: SharedEpochState = {
      control: new Int32Array(new SharedArrayBuffer(4 * CONTROL_SLOTS)),
      losses: new Float64Array(new SharedArrayBuffer(8 * threads)),
      order: new Int32Array(new SharedArrayBuffer(4 * Math.max(1, positives.trainUsers.length))),
      taskChunks: new Int32Array(new SharedArrayBuffer(4 * threads)),
      scoring: {
        users: new Int32Array(new SharedArrayBuffer(4 * SCORING_PAIRS)),
        items: new Int32Array(new SharedArrayBuffer(4 * SCORING_PAIRS)),
        scores: new Float32Array(
          new SharedArrayBuffer(4 * Math.max(SCORING_PAIRS, usersPerScoringBlock(positives.numItems) * positives.numItems)),
        ),
      },
      failure: new Uint16Array(new SharedArrayBuffer(2 * FAILURE_MESSAGE_CHARS)),
      beats: new Int32Array(new SharedArrayBuffer(4 * threads)),
      finished: new Int32Array(new SharedArrayBuffer(4 * threads)),
    };
    const setup = {
      memory,
      threads,
      numUsers: positives.numUsers,
      numItems: positives.numItems,
      settings,
      ...shared,
      ratio: settings.negatives,
      positivesPerChunk,
      // One thread trains the plain epoch, exactly as without threads; several train it in strata.
      strata: threads > 1 ? shareStrata(planStrata(positives, seen, threads)) : null,
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
   * With `stopAfterSeconds`, no thread starts a chunk after that many seconds (a speed
   * measurement: `rows` says what was done). Several threads train the strata's phases one after
   * the other, each thread on its own block pair first.
   */
  trainEpoch(
    plan: EpochPlan,
    onBatch?: (rowsDone: number, batchLoss: number, seconds: number) => void,
    stopAfterSeconds = Infinity,
  ): EpochResult {
    if (plan !== this.planned) throw new Error('TrainingThreads trains the epoch its planEpoch planned last.');
    const { control, losses } = this.setup.state;
    const { strata, settings } = this.setup;
    const started = performance.now();
    Atomics.store(control, SEED, plan.seed);
    Atomics.store(control, ROWS, 0);
    let stopped = false;
    const onOwnBatch = (loss: number) => {
      const seconds = (performance.now() - started) / 1000;
      onBatch?.(Atomics.load(control, ROWS), loss, seconds);
      // Every chunk counts as claimed: the threads finish the ones they hold and stop.
      if (seconds >= stopAfterSeconds) {
        stopped = true;
        this.claimNothingMore();
      }
    };
    let lossSum = 0;
    const epoch = strata ? stratifiedEpochOf(this.setup, strata, plan.seed) : null;
    // One thread: the plain epoch as one job. Several: the strata's phases, one job each.
    const phases = epoch ? strataPhases(epoch.strata, epoch.positivesPerChunk) : [null];
    for (let p = 0; p < phases.length && !stopped; p++) {
      const phase = phases[p];
      if (phase) {
        Atomics.store(control, ROUND, phase.round);
        Atomics.store(control, PHASE_END, phase.endChunk);
        const { taskChunks } = this.setup.state;
        for (let task = 0; task < taskChunks.length; task++) Atomics.store(taskChunks, task, phase.firstChunk);
      }
      this.runJob(JOB_TRAIN, 0, () => {
        const own =
          epoch && phase
            ? trainClaimedStrata(this.model, epoch, phase, 0, this.setup.state, this.buffer, settings.batchSize, onOwnBatch)
            : trainClaimedChunks(this.model, plan, 0, this.setup.state, this.buffer, settings.batchSize, onOwnBatch);
        lossSum += own.lossSum;
      });
      for (let t = 1; t < this.threads; t++) lossSum += losses[t];
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

  /** Leaves no chunk or slice of the current job to claim: every thread stops at the one it holds. */
  private claimNothingMore(): void {
    const { control, taskChunks } = this.setup.state;
    Atomics.store(control, NEXT_CHUNK, NOTHING_LEFT);
    for (let task = 0; task < taskChunks.length; task++) Atomics.store(taskChunks, task, NOTHING_LEFT);
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
