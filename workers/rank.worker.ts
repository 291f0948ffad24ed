/// <reference lib="webworker" />
import type { EvaluateRequest, Evaluation, RankingAnswer, RankingRequest, ScoreRequest, Scores } from '../src/bridge/rankingMessages';
import { failureOf, serveCalls } from '../src/bridge/workerEnd';
import { evaluateHeldOut, planHeldOutEvaluation } from '../src/engine/evaluation/heldOutEvaluation';
import { EVALUATION_NEGATIVES } from '../src/engine/metrics/rankingMetrics';
import { candidateItems, itemOfMovieMap } from '../src/recommend/itemIndex';
import { loadRecommender, type LoadedRecommender } from '../src/recommend/loadedRecommender';
import { loadSplit } from '../src/storage/datasetStore';
import type { ModelRecord } from '../src/storage/db';
import { currentModel, currentModels } from '../src/storage/modelStore';

/**
 * Scores candidate movies for a profile, and evaluates a model. Keeps the loaded model between
 * calls (loading it means reading and deserialising the weights), and loads again when the model
 * asked for is another one (another kind, or a newer one was saved).
 */

let loaded: LoadedRecommender | null = null;

async function load(datasetId: number, record: ModelRecord | null): Promise<LoadedRecommender | null> {
  if (!record) return null;
  if (loaded?.record.id === record.id) return loaded;
  const split = await loadSplit(datasetId);
  loaded = await loadRecommender(record, itemOfMovieMap(split.itemMovieIds));
  return loaded;
}

/** The held-out figures of one of the data set's current models, on the data set's own users. */
async function evaluate(request: EvaluateRequest): Promise<Evaluation | null> {
  const record = (await currentModels(request.datasetId)).find((m) => m.id === request.modelId) ?? null;
  const model = await load(request.datasetId, record);
  if (!model) return null;
  const split = await loadSplit(request.datasetId);
  const plan = planHeldOutEvaluation(split, { perUser: EVALUATION_NEGATIVES });
  return { type: 'evaluation', ...evaluateHeldOut(plan, model.evaluation), modelId: model.record.id };
}

async function score(request: ScoreRequest): Promise<Scores | null> {
  const started = performance.now();
  const model = await load(request.datasetId, await currentModel(request.datasetId, request.model));
  if (!model) return null;
  const { scores: all, source, foldInSeconds } = await model.scoreProfile(request);
  const items = candidateItems(model.itemOfMovie, request.candidateMovieIds);
  const scores = Float32Array.from(items, (item) => all[item]);
  return {
    type: 'scores',
    scores,
    source,
    foldInSeconds,
    seconds: (performance.now() - started) / 1000,
    modelId: model.record.id,
    kind: model.record.kind,
  };
}

serveCalls<RankingRequest, RankingAnswer>(
  self,
  async (request) => (await (request.type === 'score' ? score(request) : evaluate(request))) ?? { type: 'no-model' },
  (error, request) => failureOf(error, request.type === 'score' ? 'Could not score movies' : 'Evaluation failed'),
  (answer) => (answer.type === 'scores' ? [answer.scores.buffer] : []),
);
