/// <reference lib="webworker" />
import type { TrainingData, TrainingEvent, TrainingRequest } from '../src/bridge/trainingMessages';
import type { InteractionSplit } from '../src/data/interactions';
import { appendProfiles, type ProfileUser } from '../src/data/profileInteractions';
import { evaluateRanking, type EvaluationNegatives } from '../src/engine/evaluation/evaluateRanking';
import { saveFusedModel } from '../src/engine/model/modelPersistence';
import { createFusedNeuMF } from '../src/engine/model/createFusedNeuMF';
import { buildSeenSets, sampleTrainingEpoch } from '../src/engine/sampling/negatives';
import { trainEpoch } from '../src/engine/training/trainEpoch';
import { loadSplit } from '../src/storage/datasetStore';
import { db, type EpochMetrics } from '../src/storage/db';
import { describeStorageFailure } from '../src/storage/storageSpace';

/**
 * Trains NeuMF on the active data set plus the profiles' histories. Cancel is terminate(): the
 * model is saved in one transaction at the end, so a cancelled or closed run leaves the previous
 * model as it was.
 */

const post = (event: TrainingEvent): void => self.postMessage(event);
/** Seed of the evaluation candidates: the same 99 per user every epoch, so the curve compares like with like. */
const EVALUATION_SEED = 99;
const PROGRESS_INTERVAL_MS = 150;

/** The split to train on; data set users first (the evaluated ones), then the profiles. */
async function trainingSplit(data: TrainingData): Promise<{ split: InteractionSplit; datasetUsers: number; profileUsers: ProfileUser[] }> {
  if (data.kind === 'split') return { split: data.split, datasetUsers: data.split.numUsers, profileUsers: [] };
  const stored = await loadSplit(data.datasetId);
  const itemOfMovie = new Map<number, number>();
  stored.itemMovieIds.forEach((movieId, item) => itemOfMovie.set(movieId, item));
  const { split, profileUsers } = appendProfiles(stored, itemOfMovie, data.profiles);
  return { split, datasetUsers: stored.numUsers, profileUsers };
}

self.onmessage = async (message: MessageEvent<TrainingRequest>) => {
  const request = message.data;
  const { settings } = request;
  const started = performance.now();
  try {
    if (request.save) await db.jobs.put({ kind: 'training', startedAt: Date.now(), description: `${settings.model} for ${settings.epochs} epochs` });
    const { split, datasetUsers, profileUsers } = await trainingSplit(request.data);
    const seen = buildSeenSets(split);
    const { model, backend } = await createFusedNeuMF(split.numUsers, split.numItems, settings);
    const rowsPerEpoch = split.trainItems.length * (1 + settings.negatives);
    post({ type: 'started', backend, users: split.numUsers, items: split.numItems, rowsPerEpoch });

    const evaluatedUsers = Int32Array.from({ length: datasetUsers }, (_, u) => u);
    const given = request.data.kind === 'split' ? request.data.negatives : null;
    const negatives: EvaluationNegatives = given
      ? { kind: 'given', items: given, perUser: request.evaluationNegatives }
      : { kind: 'sampled', seen, perUser: request.evaluationNegatives, seed: EVALUATION_SEED };
    const evaluate = () => evaluateRanking(split, (u, i, out) => model.predict(u, i, out), negatives, { users: evaluatedUsers });

    const epochs: EpochMetrics[] = [];
    const untrained = evaluate();
    epochs.push({ epoch: 0, loss: null, hr10: untrained.hr10, ndcg10: untrained.ndcg10, trainSeconds: 0, evalSeconds: untrained.seconds, samplesPerSecond: null });
    post({ type: 'epoch', metrics: epochs[0] });

    let best = { epoch: 0, hr10: -1, weights: model.getWeights() };
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const rows = sampleTrainingEpoch(split, seen, settings.negatives, settings.seed * 1000 + epoch);
      let lastPost = 0;
      const epochStarted = performance.now();
      const result = trainEpoch(model, rows, settings.batchSize, (rowsDone, loss) => {
        const now = performance.now();
        if (now - lastPost < PROGRESS_INTERVAL_MS) return;
        lastPost = now;
        const seconds = (now - epochStarted) / 1000;
        const speed = rowsDone / Math.max(seconds, 1e-6);
        const rowsLeft = rowsPerEpoch - rowsDone + (settings.epochs - epoch) * rowsPerEpoch;
        post({
          type: 'batch',
          progress: { epoch, epochs: settings.epochs, rowsDone, rowsPerEpoch, loss, samplesPerSecond: speed, etaSeconds: rowsLeft / speed },
        });
      });
      const ranking = evaluate();
      const metrics: EpochMetrics = {
        epoch,
        loss: result.loss,
        hr10: ranking.hr10,
        ndcg10: ranking.ndcg10,
        trainSeconds: result.seconds,
        evalSeconds: ranking.seconds,
        samplesPerSecond: result.rows / result.seconds,
      };
      epochs.push(metrics);
      post({ type: 'epoch', metrics });
      if (ranking.hr10 > best.hr10) best = { epoch, hr10: ranking.hr10, weights: model.getWeights() };
    }

    if (!request.save || request.data.kind !== 'dataset') {
      post({ type: 'done', modelId: null, bestEpoch: best.epoch, metrics: epochs });
      return;
    }
    post({ type: 'saving' });
    model.setWeights(best.weights);
    const modelId = await saveFusedModel(model, {
      datasetId: request.data.datasetId,
      createdAt: Date.now(),
      settings,
      backend,
      numUsers: split.numUsers,
      numItems: split.numItems,
      datasetUsers,
      profileUsers,
      epochs,
      bestEpoch: best.epoch,
      trainSeconds: (performance.now() - started) / 1000,
    });
    post({ type: 'done', modelId, bestEpoch: best.epoch, metrics: epochs });
  } catch (error) {
    await db.jobs.delete('training').catch(() => undefined);
    const storage = describeStorageFailure(error);
    post({ type: 'failed', message: storage ?? `Training failed: ${(error as Error)?.message ?? String(error)}` });
  }
};
