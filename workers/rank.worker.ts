/// <reference lib="webworker" />
import type { EvaluateRequest, Evaluation, RankingAnswer, RankingRequest, ScoreRequest, Scores } from '../src/bridge/rankingMessages';
import { failureOf, serveCalls } from '../src/bridge/workerEnd';
import { evaluateRanking } from '../src/engine/evaluation/evaluateRanking';
import { EVALUATION_NEGATIVES } from '../src/engine/metrics/rankingMetrics';
import { knownInteractions } from '../src/engine/data/sparseRows';
import type { FusedNeuMF } from '../src/engine/model/fusedNeuMF';
import { loadFusedModel } from '../src/engine/model/modelPersistence';
import { candidateItems, itemOfMovieMap, type ItemOfMovie } from '../src/recommend/itemIndex';
import { resolveProfileUser } from '../src/recommend/profileVector';
import { loadSplit } from '../src/storage/datasetStore';
import type { ModelRecord } from '../src/storage/db';
import { currentModel } from '../src/storage/modelStore';

/**
 * Scores candidate movies for a profile, and evaluates the model. Keeps the loaded model between
 * calls (loading it means reading and deserialising the weights), and loads again when the data
 * set's current model is another one (a newer one was saved).
 */

interface LoadedModel {
  record: ModelRecord;
  fused: FusedNeuMF;
  itemOfMovie: ItemOfMovie;
}

let loaded: LoadedModel | null = null;

async function loadCurrentModel(datasetId: number): Promise<LoadedModel | null> {
  const record = await currentModel(datasetId);
  if (!record) return null;
  if (loaded?.record.id === record.id) return loaded;
  const split = await loadSplit(datasetId);
  // One spare user row: where a profile folded in after training sits while its movies are scored.
  const fused = await loadFusedModel(record, 1);
  loaded = { record, fused, itemOfMovie: itemOfMovieMap(split.itemMovieIds) };
  return loaded;
}

/** The product's HR@10 over the data set's held-out interactions, with the trained data set users' rows. */
async function evaluate(request: EvaluateRequest): Promise<Evaluation | null> {
  const model = await loadCurrentModel(request.datasetId);
  if (!model) return null;
  const split = await loadSplit(request.datasetId);
  const known = knownInteractions(split);
  const result = evaluateRanking(split, (u, i, out) => model.fused.predict(u, i, out), {
    kind: 'sampled',
    known,
    perUser: EVALUATION_NEGATIVES,
    seed: request.seed,
  });
  return { type: 'evaluation', ...result, modelId: model.record.id };
}

async function score(request: ScoreRequest): Promise<Scores | null> {
  const started = performance.now();
  const model = await loadCurrentModel(request.datasetId);
  if (!model) return null;
  const { user, source, foldInSeconds } = await resolveProfileUser(model.fused, model.record, model.itemOfMovie, request);
  const items = candidateItems(model.itemOfMovie, request.candidateMovieIds);
  const users = new Int32Array(items.length).fill(user);
  const scores = new Float32Array(items.length);
  model.fused.predict(users, items, scores);
  return { type: 'scores', scores, source, foldInSeconds, seconds: (performance.now() - started) / 1000, modelId: model.record.id };
}

serveCalls<RankingRequest, RankingAnswer>(
  self,
  async (request) => (await (request.type === 'score' ? score(request) : evaluate(request))) ?? { type: 'no-model' },
  (error, request) => failureOf(error, request.type === 'score' ? 'Could not score movies' : 'Evaluation failed'),
  (answer) => (answer.type === 'scores' ? [answer.scores.buffer] : []),
);
