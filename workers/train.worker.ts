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
import { createTrainer, describeFusedTrainer, toFusedNeuMF, type NeuMFTrainer } from '../src/engine/backends/chooseBackend';
import { buildUserHistories } from '../src/engine/data/sparseRows';
import { planHeldOutEvaluation, type HeldOutEvaluation } from '../src/engine/evaluation/heldOutEvaluation';
import { saveFusedModel } from '../src/engine/model/modelPersistence';
import { fitBaseline, type BaselineSpec } from '../src/engine/training/baselineRun';
import { ProgressMeter } from '../src/engine/training/progressMeter';
import { evaluateTrainer, pretrainNeuMF, trainStage, type RunContext } from '../src/engine/training/trainingRun';
import { sampleTrainingEpoch } from '../src/engine/sampling/negatives';
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
    : await createTrainer(split.numUsers, split.numItems, settings, spec.backend);
  post({
    type: 'started',
    model: 'neumf',
    backend: created.backend,
    reason: created.reason,
    users: split.numUsers,
    items: split.numItems,
    rowsPerEpoch,
  });
  const model: NeuMFTrainer = created.trainer ?? pretrainNeuMF(split.numUsers, split.numItems, settings, context);
  const run = trainStage(TRAINING_STAGE, model, settings, context);
  const result = { model: 'neumf' as const, bestEpoch: run.bestEpoch, metrics: run.epochs, stoppedEarly: run.stoppedEarly };
  if (!request.save || request.data.kind !== 'dataset') return { ...result, modelId: null };
  post({ type: 'saving', model: 'neumf' });
  model.setWeights(run.bestWeights);
  // Saved through the fused model: saving switches tfjs to its cpu backend, whatever trained.
  const fused = toFusedNeuMF(model);
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

/** Times sampling one epoch, training NeuMF for about `seconds`, and one evaluation: what a run of these settings costs here. */
async function estimateNeuMF(spec: Extract<ModelSpec, { kind: 'neumf' }>, prepared: Prepared, seconds: number): Promise<TrainingEstimate> {
  const { split, evaluation } = prepared;
  const { settings } = spec;
  const created = await createTrainer(split.numUsers, split.numItems, settings, spec.backend);
  try {
    let started = performance.now();
    const rows = sampleTrainingEpoch(split, buildUserHistories(split), settings.negatives, settings.seed * 1000 + 1);
    const samplingSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    let trained = 0;
    while (trained < rows.users.length && performance.now() - started < seconds * 1000) {
      const end = Math.min(rows.users.length, trained + settings.batchSize);
      created.trainer.trainBatch(rows.users, rows.items, rows.labels, trained, end);
      trained = end;
    }
    const samplesPerSecond = trained / ((performance.now() - started) / 1000);
    const { evalSeconds } = evaluateTrainer(created.trainer, evaluation);
    const rowsPerEpoch = rows.users.length;
    return {
      samplesPerSecond,
      rowsPerEpoch,
      evalSeconds,
      maxEpochs: settings.epochs,
      secondsPerEpoch: samplingSeconds + rowsPerEpoch / samplesPerSecond + evalSeconds,
    };
  } finally {
    created.trainer.dispose?.();
  }
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
