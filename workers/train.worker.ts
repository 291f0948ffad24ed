/// <reference lib="webworker" />
import {
  TRAINING_STAGE,
  type ModelRun,
  type ModelSpec,
  type TrainingData,
  type TrainingEstimate,
  type TrainingEvent,
  type TrainingRequest,
  type TrainingResult,
} from '../src/bridge/trainingMessages';
import { failureOf, serveJob } from '../src/bridge/workerEnd';
import type { InteractionSplit } from '../src/data/interactions';
import { appendProfiles, type ProfileUser } from '../src/data/profileInteractions';
import {
  createTrainer,
  describeFusedTrainer,
  toFusedNeuMF,
  trainBatchAwaiting,
  type ConcreteBackend,
  type CreateTrainerOptions,
  type NeuMFTrainer,
} from '../src/engine/backends/chooseBackend';
import { describeError } from '../src/bridge/failure';
import type { SparseRows } from '../src/engine/data/sparseRows';
import type { NeuMFSettings } from '../src/engine/model/neumfSettings';
import {
  canShareMemory,
  TrainingThreads,
  type TrainingThreadSetup,
  type TrainingThreadWorker,
} from '../src/engine/training/trainingThreads';
import { buildUserHistories } from '../src/engine/data/sparseRows';
import { planHeldOutEvaluation, type HeldOutEvaluation } from '../src/engine/evaluation/heldOutEvaluation';
import { saveFusedModel } from '../src/engine/model/modelPersistence';
import { fitBaseline, type BaselineSpec } from '../src/engine/training/baselineRun';
import { ProgressMeter } from '../src/engine/training/progressMeter';
import { evaluateTrainer, pretrainNeuMF, trainStage, type RunContext, type StageResult } from '../src/engine/training/trainingRun';
import { epochSeed, planTrainingEpoch, sampleEpochChunk, sampleTrainingRows, type EpochPlan } from '../src/engine/sampling/negatives';
import { threadsTheDataAllow } from '../src/engine/sampling/strata';
import { positivesPerChunk } from '../src/engine/training/trainEpoch';
import { itemOfMovieMap } from '../src/recommend/itemIndex';
import { loadSplit } from '../src/storage/datasetStore';
import { clearJobRecord, startJobRecord } from '../src/storage/jobStore';
import type { NewModelRecord } from '../src/storage/db';
import { DatasetDeletedError, saveModel } from '../src/storage/modelStore';

/**
 * Trains the requested models (NeuMF and the baselines) on the active data set plus the profiles'
 * histories, one after the other on the same split and evaluation. Cancel is terminate(): each
 * model is saved in one transaction when it is done, so a cancelled or closed run leaves the
 * previous model of every kind not yet saved as it was.
 */

const PROGRESS_INTERVAL_MS = 150;
/** Baseline fits report their progress this often at most. */
const FIT_PROGRESS_INTERVAL_MS = 250;

interface Prepared {
  split: InteractionSplit;
  datasetUsers: number;
  profileUsers: ProfileUser[];
  evaluation: HeldOutEvaluation;
}

/** The split to train on (data set users first, the evaluated ones, then the profiles) and its evaluation. */
async function prepare(data: TrainingData, request: TrainingRequest): Promise<Prepared> {
  let prepared: Omit<Prepared, 'evaluation'>;
  if (data.kind === 'split') prepared = { split: data.split, datasetUsers: data.split.numUsers, profileUsers: [] };
  else {
    const stored = await loadSplit(data.datasetId);
    const { split, profileUsers } = appendProfiles(stored, itemOfMovieMap(stored.itemMovieIds), data.profiles);
    prepared = { split, datasetUsers: stored.numUsers, profileUsers };
  }
  const evaluation = planHeldOutEvaluation(prepared.split, {
    givenNegatives: data.kind === 'split' && data.negatives ? { items: data.negatives, perUser: request.evaluationNegatives } : null,
    perUser: request.evaluationNegatives,
    evaluatedUsers: prepared.datasetUsers,
    maxFullUsers: request.maxFullUsers ?? undefined,
  });
  return { ...prepared, evaluation };
}

/** Posts batch progress at most every PROGRESS_INTERVAL_MS, with the run's smoothed rate. */
function progressReporter(post: (event: TrainingEvent) => void): NonNullable<RunContext['onBatch']> {
  let lastPost = 0;
  let stageOfMeter = '';
  let meter = new ProgressMeter();
  return (stage, epoch, epochs, rowsDone, rowsPerEpoch, loss, seconds) => {
    if (stage !== stageOfMeter) {
      stageOfMeter = stage;
      meter = new ProgressMeter();
    }
    meter.batchDone(epoch, rowsDone, seconds);
    const now = performance.now();
    if (now - lastPost < PROGRESS_INTERVAL_MS) return;
    lastPost = now;
    const rowsLeft = rowsPerEpoch - rowsDone + (epochs - epoch) * rowsPerEpoch;
    post({
      type: 'batch',
      model: 'neumf',
      progress: {
        stage,
        epoch,
        epochs,
        rowsDone,
        rowsPerEpoch,
        loss,
        samplesPerSecond: meter.samplesPerSecond,
        etaSeconds: meter.secondsFor(rowsLeft),
      },
    });
  };
}

const PRETRAINED_ONE_THREAD = 'Pre-trained NeuMF trains on one thread.';
const NOT_ISOLATED =
  'Training on one thread: this page is not cross-origin isolated, so workers cannot share the model in memory (the Threads setting says what to do).';

/** Starts a helper worker for a run on several threads; resolves once it has attached to the shared model. */
function spawnTrainingThread(setup: TrainingThreadSetup): Promise<TrainingThreadWorker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./trainThread.worker.ts', import.meta.url), {
      type: 'module',
      name: `training thread ${setup.thread}`,
    });
    worker.onmessage = () => resolve(worker);
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`Training thread ${setup.thread} could not start: ${event.message}`));
    };
    worker.postMessage(setup);
  });
}

/** What `createTrainer` needs of a run to choose its trainer: the threads the fused one would have, and rows to probe on. */
function trainerChoice(split: InteractionSplit, seen: SparseRows, settings: NeuMFSettings, fusedThreads: number): CreateTrainerOptions {
  return {
    fusedThreads,
    probeRows: (rows) => sampleTrainingRows(split, seen, settings.negatives, epochSeed(settings.seed, 0), rows),
  };
}

/** The threads the fused trainer trains this split on: as many as asked and the data allow where workers can share memory, else one. */
function fusedThreadsFor(split: InteractionSplit, settings: NeuMFSettings): number {
  const wanted = settings.threads ?? 1;
  return wanted > 1 && canShareMemory() ? threadsTheDataAllow(wanted, split.numUsers, split.numItems, settings.batchSize) : 1;
}

/**
 * The training threads a fused NeuMF run trains on (null for the other trainers), with a note
 * when it gets fewer than the settings ask for. One thread trains on them too, so that it trains
 * the epoch two threads would (src/engine/training/trainingThreads.ts): on an ordinary memory,
 * which needs no cross-origin isolation.
 */
async function startThreads(
  backend: ConcreteBackend,
  split: InteractionSplit,
  seen: SparseRows,
  settings: NeuMFSettings,
): Promise<{ threads: TrainingThreads | null; note: string } | null> {
  const wanted = settings.threads ?? 1;
  if (backend !== 'fused')
    return wanted > 1 ? { threads: null, note: 'Training on one thread: only the fused trainer runs on several.' } : null;
  const usable = fusedThreadsFor(split, settings);
  const start = (threads: number) =>
    TrainingThreads.start(split, seen, settings, threads, positivesPerChunk(settings.batchSize), spawnTrainingThread);
  const fewer =
    usable < wanted && canShareMemory()
      ? `Not ${wanted}: ${split.numUsers.toLocaleString('en')} users and ${split.numItems.toLocaleString('en')} movies are too few to share among ${wanted} at batch ${settings.batchSize.toLocaleString('en')} without learning less an epoch than one thread.`
      : '';
  const oneThreadNote = wanted <= 1 ? '' : canShareMemory() ? `Training on one thread. ${fewer}`.trim() : NOT_ISOLATED;
  if (usable <= 1) return { threads: await start(1), note: oneThreadNote };
  try {
    return {
      threads: await start(usable),
      note: `Training on ${usable} threads sharing one model, each on its own users and movies at a time. ${fewer}`.trim(),
    };
  } catch (error) {
    return { threads: await start(1), note: `Training on one thread: ${describeError(error)}` };
  }
}

async function trainNeuMF(
  spec: Extract<ModelSpec, { kind: 'neumf' }>,
  prepared: Prepared,
  request: TrainingRequest,
  post: (event: TrainingEvent) => void,
  isLast: boolean,
): Promise<ModelRun> {
  const { settings } = spec;
  const started = performance.now();
  const { split, evaluation } = prepared;
  const context: RunContext = {
    split,
    seen: buildUserHistories(split),
    evaluation,
    onBatch: progressReporter(post),
    onEpoch: (stage, metrics) => {
      if (stage === TRAINING_STAGE) post({ type: 'epoch', model: 'neumf', metrics });
    },
  };
  const rowsPerEpoch = split.trainItems.length * (1 + settings.negatives);
  // Pre-trained NeuMF is assembled from fused GMF and MLP models, so it trains on the fused kernels (built by pretrainNeuMF).
  const pretrained = settings.model === 'neumf-pretrained';
  const created = pretrained
    ? { ...describeFusedTrainer(settings), trainer: null }
    : await createTrainer(
        split.numUsers,
        split.numItems,
        settings,
        spec.backend,
        trainerChoice(split, context.seen, settings, fusedThreadsFor(split, settings)),
      );
  const threads = created.trainer ? await startThreads(created.id, split, context.seen, settings) : null;
  const reason = [created.reason, threads?.note ?? (pretrained && (settings.threads ?? 1) > 1 ? PRETRAINED_ONE_THREAD : '')];
  post({
    type: 'started',
    model: 'neumf',
    backend: (threads?.threads?.threads ?? 1) > 1 ? `${created.backend} on ${threads?.threads?.threads} threads` : created.backend,
    reason: reason.filter(Boolean).join(' '),
    threads: threads?.threads?.threads ?? 1,
    users: split.numUsers,
    items: split.numItems,
    rowsPerEpoch,
  });
  if (threads?.threads) {
    created.trainer?.dispose?.();
    context.threads = threads.threads;
  }
  const model: NeuMFTrainer =
    threads?.threads?.model ?? created.trainer ?? (await pretrainNeuMF(split.numUsers, split.numItems, settings, context));
  let run: StageResult;
  try {
    run = await trainStage(TRAINING_STAGE, model, settings, context);
  } finally {
    threads?.threads?.close();
  }
  const result = { model: 'neumf' as const, bestEpoch: run.bestEpoch, metrics: run.epochs, stoppedEarly: run.stoppedEarly };
  if (!request.save || request.data.kind !== 'dataset') return { ...result, modelId: null };
  post({ type: 'saving', model: 'neumf' });
  model.setWeights(run.bestWeights);
  // Saved through the fused model: saving switches tfjs to its cpu backend, whatever trained.
  const fused = await toFusedNeuMF(model);
  model.dispose?.();
  const modelId = await saveFusedModel(
    fused,
    {
      kind: 'neumf',
      datasetId: request.data.datasetId,
      createdAt: Date.now(),
      settings,
      backend: created.backend,
      numUsers: split.numUsers,
      numItems: split.numItems,
      datasetUsers: prepared.datasetUsers,
      profileUsers: prepared.profileUsers,
      epochs: run.epochs,
      bestEpoch: run.bestEpoch,
      epochChoice: 'smoothed',
      trainSeconds: (performance.now() - started) / 1000,
    },
    isLast,
  );
  return { ...result, modelId };
}

/** What the baselines run on: this worker's JavaScript, with WebAssembly SIMD kernels for their dense algebra. */
const BASELINE_BACKEND = 'JavaScript + WebAssembly SIMD (this worker)';

async function trainBaseline(
  spec: BaselineSpec,
  prepared: Prepared,
  request: TrainingRequest,
  post: (event: TrainingEvent) => void,
  isLast: boolean,
): Promise<ModelRun> {
  const started = performance.now();
  const { split, evaluation } = prepared;
  const model = spec.kind;
  post({
    type: 'started',
    model,
    backend: BASELINE_BACKEND,
    reason: 'Closed-form or least-squares fits need no GPU.',
    threads: 1,
    users: split.numUsers,
    items: split.numItems,
    rowsPerEpoch: split.trainItems.length,
  });
  let lastPost = 0;
  const run = fitBaseline(spec, split, evaluation, {
    onStep: (metrics) => post({ type: 'epoch', model, metrics }),
    onProgress: (fraction) => {
      const now = performance.now();
      if (now - lastPost < FIT_PROGRESS_INTERVAL_MS) return;
      lastPost = now;
      post({ type: 'fitting', model, fraction });
    },
  });
  const result = { model, bestEpoch: run.bestStep, metrics: run.steps, stoppedEarly: false };
  if (!request.save || request.data.kind !== 'dataset') return { ...result, modelId: null };
  post({ type: 'saving', model });
  const common = {
    datasetId: request.data.datasetId,
    createdAt: Date.now(),
    backend: BASELINE_BACKEND,
    numUsers: split.numUsers,
    numItems: split.numItems,
    datasetUsers: prepared.datasetUsers,
    profileUsers: prepared.profileUsers,
    epochs: run.steps,
    bestEpoch: run.bestStep,
    trainSeconds: (performance.now() - started) / 1000,
  };
  const { parameters, histories } = run;
  const record: NewModelRecord =
    spec.kind === 'itempop'
      ? { ...common, kind: 'itempop', settings: null }
      : spec.kind === 'ials'
        ? { ...common, kind: 'ials', settings: spec.settings }
        : // The λ kept is the one validation chose among the candidates.
          {
            ...common,
            kind: 'ease',
            settings: { ...spec.settings, lambda: parameters.kind === 'ease' ? parameters.lambda : spec.settings.lambda },
          };
  const modelId = await saveModel(record, { baseline: { parameters, histories } }, isLast);
  return { ...result, modelId };
}

/**
 * Times sampling one epoch, training NeuMF for about `seconds` (on the threads the run would use),
 * and one evaluation: what a run of these settings costs here.
 */
async function estimateNeuMF(spec: Extract<ModelSpec, { kind: 'neumf' }>, prepared: Prepared, seconds: number): Promise<TrainingEstimate> {
  const { split, evaluation } = prepared;
  const { settings } = spec;
  const seen = buildUserHistories(split);
  // Pre-trained NeuMF trains on one thread (trainNeuMF); every other run on the threads it asks for.
  const pretrained = settings.model === 'neumf-pretrained';
  const created = await createTrainer(
    split.numUsers,
    split.numItems,
    settings,
    spec.backend,
    trainerChoice(split, seen, settings, pretrained ? 1 : fusedThreadsFor(split, settings)),
  );
  const threads = pretrained ? null : ((await startThreads(created.id, split, seen, settings))?.threads ?? null);
  try {
    // Sampling happens chunk by chunk inside the timed loop, as in training, so the rate includes it.
    const plan =
      threads?.planEpoch(epochSeed(settings.seed, 1)) ??
      planTrainingEpoch(split, seen, settings.negatives, epochSeed(settings.seed, 1), positivesPerChunk(settings.batchSize));
    const trained = threads
      ? threads.trainEpoch(plan, undefined, seconds)
      : await trainForSeconds(created.trainer, plan, settings.batchSize, seconds);
    const samplesPerSecond = trained.rows / trained.seconds;
    const { evalSeconds } = await evaluateTrainer(threads?.model ?? created.trainer, evaluation, threads ?? undefined);
    const rowsPerEpoch = plan.rows;
    return {
      samplesPerSecond,
      rowsPerEpoch,
      evalSeconds,
      maxEpochs: settings.epochs,
      secondsPerEpoch: rowsPerEpoch / samplesPerSecond + evalSeconds,
    };
  } finally {
    threads?.close();
    created.trainer.dispose?.();
  }
}

/** Trains `trainer` on `plan`'s chunks in order for about `seconds`: the rows done and the seconds taken. */
async function trainForSeconds(
  trainer: NeuMFTrainer,
  plan: EpochPlan,
  batchSize: number,
  seconds: number,
): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let rows = 0;
  for (let c = 0; c < plan.chunks && elapsed() < seconds; c++) {
    const chunk = sampleEpochChunk(plan, c);
    for (let at = 0; at < chunk.users.length && elapsed() < seconds; at += batchSize) {
      const end = Math.min(chunk.users.length, at + batchSize);
      await trainBatchAwaiting(trainer, chunk.users, chunk.items, chunk.labels, at, end);
      rows += end - at;
    }
  }
  return { rows, seconds: elapsed() };
}

serveJob<TrainingRequest, TrainingEvent, TrainingResult>(
  self,
  async (request, post) => {
    if (request.estimateSeconds !== undefined) {
      const spec = request.models.find((m) => m.kind === 'neumf');
      if (!spec || spec.kind !== 'neumf') throw new Error('An estimate needs NeuMF among the models.');
      return { runs: [], estimate: await estimateNeuMF(spec, await prepare(request.data, request), request.estimateSeconds) };
    }
    const names = request.models.map((m) => (m.kind === 'neumf' ? `${m.settings.model} for up to ${m.settings.epochs} epochs` : m.kind));
    if (request.save) await startJobRecord('training', names.join(', '));
    const prepared = await prepare(request.data, request);
    const runs: ModelRun[] = [];
    for (const [k, spec] of request.models.entries()) {
      // The job record goes with the last model's save: until then an interruption is reported.
      const isLast = k === request.models.length - 1;
      runs.push(
        spec.kind === 'neumf'
          ? await trainNeuMF(spec, prepared, request, post, isLast)
          : await trainBaseline(spec, prepared, request, post, isLast),
      );
    }
    return { runs };
  },
  async (error) => {
    // The failure being reported matters more than a job record that could not be removed.
    await clearJobRecord('training').catch(() => undefined);
    return failureOf(error, 'Training failed', [DatasetDeletedError]);
  },
);
