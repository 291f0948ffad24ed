/// <reference lib="webworker" />
import type { EvaluateRequest, RankingEvent, RankingRequest, ScoreRequest } from '../src/bridge/rankingMessages';
import { evaluateRanking } from '../src/engine/evaluation/evaluateRanking';
import { EVALUATION_NEGATIVES } from '../src/engine/metrics/rankingMetrics';
import { buildSeenSets } from '../src/engine/sampling/negatives';
import type { FusedNeuMF } from '../src/engine/model/fusedNeuMF';
import { loadFusedModel } from '../src/engine/model/modelPersistence';
import { loadSplit } from '../src/storage/datasetStore';
import { db, type ModelRecord } from '../src/storage/db';
import { resolveProfileUser } from '../src/recommend/profileVector';

/**
 * Scores candidate movies for a profile. Keeps the loaded model between requests (loading it
 * means reading and deserialising the weights), and reloads when a newer model was saved.
 */

interface LoadedModel {
  record: ModelRecord;
  fused: FusedNeuMF;
  itemOfMovie: Map<number, number>;
  /** The data set's train items of each user, for fold-in negatives. */
  datasetId: number;
}

let loaded: LoadedModel | null = null;
const post = (event: RankingEvent, transfer: Transferable[] = []): void => self.postMessage(event, transfer);

async function currentModel(datasetId: number): Promise<LoadedModel | null> {
  const ids = await db.models.where('datasetId').equals(datasetId).primaryKeys();
  const latest = ids.length ? Math.max(...ids) : null;
  if (latest === null) return null;
  if (loaded?.record.id === latest) return loaded;
  const record = await db.models.get(latest);
  if (!record) return null;
  const split = await loadSplit(datasetId);
  const itemOfMovie = new Map<number, number>();
  split.itemMovieIds.forEach((movieId, item) => itemOfMovie.set(movieId, item));
  // One spare user row: where a profile folded in after training sits while its movies are scored.
  const fused = await loadFusedModel(record, 1);
  loaded = { record, fused, itemOfMovie, datasetId };
  return loaded;
}

self.onmessage = (message: MessageEvent<RankingRequest>) => {
  const request = message.data;
  void (request.type === 'score' ? score(request) : evaluate(request));
};

/** The product's HR@10 over the data set's held-out interactions, with the trained data set users' rows. */
async function evaluate(request: EvaluateRequest): Promise<void> {
  try {
    const model = await currentModel(request.datasetId);
    if (!model) {
      post({ type: 'no-model', requestId: request.requestId });
      return;
    }
    const split = await loadSplit(request.datasetId);
    const seen = buildSeenSets(split);
    const result = evaluateRanking(split, (u, i, out) => model.fused.predict(u, i, out), { kind: 'sampled', seen, perUser: EVALUATION_NEGATIVES, seed: request.seed });
    post({ type: 'evaluation', requestId: request.requestId, ...result, modelId: model.record.id });
  } catch (error) {
    post({ type: 'failed', requestId: request.requestId, message: `Evaluation failed: ${(error as Error)?.message ?? String(error)}` });
  }
}

async function score(request: ScoreRequest): Promise<void> {
  const started = performance.now();
  try {
    const model = await currentModel(request.datasetId);
    if (!model) {
      post({ type: 'no-model', requestId: request.requestId });
      return;
    }
    const { user, source, foldInSeconds } = await resolveProfileUser(model.fused, model.record, model.itemOfMovie, request);
    const count = request.candidateMovieIds.length;
    const users = new Int32Array(count).fill(user);
    const items = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const item = model.itemOfMovie.get(request.candidateMovieIds[i]);
      if (item === undefined) throw new Error(`Movie ${request.candidateMovieIds[i]} is not in the data set the model was trained on.`);
      items[i] = item;
    }
    const scores = new Float32Array(count);
    model.fused.predict(users, items, scores);
    post(
      { type: 'scores', requestId: request.requestId, scores, source, foldInSeconds, seconds: (performance.now() - started) / 1000, modelId: model.record.id },
      [scores.buffer],
    );
  } catch (error) {
    post({ type: 'failed', requestId: request.requestId, message: `Could not score movies: ${(error as Error)?.message ?? String(error)}` });
  }
}
