/// <reference lib="webworker" />
import {
  TRAINING_STAGE,
  type TrainingData,
  type TrainingEvent,
  type TrainingRequest,
  type TrainingResult,
} from '../src/bridge/trainingMessages';
import { failureOf, serveJob } from '../src/bridge/workerEnd';
import type { InteractionSplit } from '../src/data/interactions';
import { appendProfiles, type ProfileUser } from '../src/data/profileInteractions';
import type { EvaluationNegatives } from '../src/engine/evaluation/evaluateRanking';
import { EVALUATION_SEED } from '../src/engine/metrics/rankingMetrics';
import { createTrainer, describeFusedTrainer, toFusedNeuMF, type NeuMFTrainer } from '../src/engine/backends/chooseBackend';
import { saveFusedModel } from '../src/engine/model/modelPersistence';
import { buildUserHistories, knownInteractions } from '../src/engine/data/sparseRows';
import { pretrainNeuMF, trainStage, type RunContext } from '../src/engine/training/trainingRun';
import { loadSplit } from '../src/storage/datasetStore';
import { itemOfMovieMap } from '../src/recommend/itemIndex';
import { clearJobRecord, startJobRecord } from '../src/storage/jobStore';

/**
 * Trains NeuMF on the active data set plus the profiles' histories. Cancel is terminate(): the
 * model is saved in one transaction at the end, so a cancelled or closed run leaves the previous
 * model as it was.
 */

const PROGRESS_INTERVAL_MS = 150;
/** The stage whose epochs are the run's curve; the Train page knows it as TRAINING_STAGE. */
const MAIN_STAGE = TRAINING_STAGE;

/** The split to train on; data set users first (the evaluated ones), then the profiles. */
async function trainingSplit(data: TrainingData): Promise<{ split: InteractionSplit; datasetUsers: number; profileUsers: ProfileUser[] }> {
  if (data.kind === 'split') return { split: data.split, datasetUsers: data.split.numUsers, profileUsers: [] };
  const stored = await loadSplit(data.datasetId);
  const { split, profileUsers } = appendProfiles(stored, itemOfMovieMap(stored.itemMovieIds), data.profiles);
  return { split, datasetUsers: stored.numUsers, profileUsers };
}

function progressReporter(post: (event: TrainingEvent) => void): NonNullable<RunContext['onBatch']> {
  let lastPost = 0;
  let epochStarted = performance.now();
  let currentEpoch = -1;
  return (stage, epoch, epochs, rowsDone, rowsPerEpoch, loss) => {
    const now = performance.now();
    if (epoch !== currentEpoch) {
      currentEpoch = epoch;
      epochStarted = now;
    }
    if (now - lastPost < PROGRESS_INTERVAL_MS) return;
    lastPost = now;
    const speed = rowsDone / Math.max((now - epochStarted) / 1000, 1e-6);
    const rowsLeft = rowsPerEpoch - rowsDone + (epochs - epoch) * rowsPerEpoch;
    post({
      type: 'batch',
      progress: { stage, epoch, epochs, rowsDone, rowsPerEpoch, loss, samplesPerSecond: speed, etaSeconds: rowsLeft / speed },
    });
  };
}

serveJob<TrainingRequest, TrainingEvent, TrainingResult>(
  self,
  async (request, post) => {
    const { settings } = request;
    const started = performance.now();
    if (request.save) await startJobRecord('training', `${settings.model} for ${settings.epochs} epochs`);
    const { split, datasetUsers, profileUsers } = await trainingSplit(request.data);
    const seen = buildUserHistories(split);
    const given = request.data.kind === 'split' ? request.data.negatives : null;
    const negatives: EvaluationNegatives = given
      ? { kind: 'given', items: given, perUser: request.evaluationNegatives }
      : { kind: 'sampled', known: knownInteractions(split), perUser: request.evaluationNegatives, seed: EVALUATION_SEED };
    const context: RunContext = {
      split,
      seen,
      negatives,
      evaluatedUsers: Int32Array.from({ length: datasetUsers }, (_, u) => u),
      onBatch: progressReporter(post),
      onEpoch: (stage, metrics) => {
        if (stage === MAIN_STAGE) post({ type: 'epoch', metrics });
      },
    };

    const rowsPerEpoch = split.trainItems.length * (1 + settings.negatives);
    // Pre-trained NeuMF is assembled from fused GMF and MLP models, so it trains on the fused kernels (built by pretrainNeuMF).
    const pretrained = settings.model === 'neumf-pretrained';
    const created = pretrained
      ? { ...describeFusedTrainer(settings), trainer: null }
      : await createTrainer(split.numUsers, split.numItems, settings, request.backend);
    post({ type: 'started', backend: created.backend, reason: created.reason, users: split.numUsers, items: split.numItems, rowsPerEpoch });
    const model: NeuMFTrainer = created.trainer ?? pretrainNeuMF(split.numUsers, split.numItems, settings, context);
    const run = trainStage(MAIN_STAGE, model, settings, context);

    if (!request.save || request.data.kind !== 'dataset') return { modelId: null, bestEpoch: run.bestEpoch, metrics: run.epochs };
    post({ type: 'saving' });
    model.setWeights(run.bestWeights);
    // Saved through the fused model: saving switches tfjs to its cpu backend, whatever trained.
    const fused = toFusedNeuMF(model);
    model.dispose?.();
    const modelId = await saveFusedModel(fused, {
      datasetId: request.data.datasetId,
      createdAt: Date.now(),
      settings,
      backend: created.backend,
      numUsers: split.numUsers,
      numItems: split.numItems,
      datasetUsers,
      profileUsers,
      epochs: run.epochs,
      bestEpoch: run.bestEpoch,
      trainSeconds: (performance.now() - started) / 1000,
    });
    return { modelId, bestEpoch: run.bestEpoch, metrics: run.epochs };
  },
  async (error) => {
    // The failure being reported matters more than a job record that could not be removed.
    await clearJobRecord('training').catch(() => undefined);
    return failureOf(error, 'Training failed');
  },
);
