/// <reference lib="webworker" />
import type {
  EvaluateRequest,
  Evaluation,
  ExplainRequest,
  RankingAnswer,
  RankingRequest,
  Reasons,
  ScoreRequest,
  Scores,
} from '../src/bridge/rankingMessages';
import { failureOf, serveCalls } from '../src/bridge/workerEnd';
import { evaluateHeldOut, planHeldOutEvaluation } from '../src/engine/evaluation/heldOutEvaluation';
import { EVALUATION_NEGATIVES } from '../src/engine/metrics/rankingMetrics';
import { buildUserHistories, transposeRows, type SparseRows } from '../src/engine/data/sparseRows';
import { candidateItems, historyItems, itemOfMovieMap, type ItemOfMovie } from '../src/recommend/itemIndex';
import { becauseYouWatched } from '../src/recommend/reasons';
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

/** Who watched each movie in the data set's training part, for "why this film" (kept per data set). */
let watchers: { datasetId: number; itemUsers: SparseRows; itemOfMovie: ItemOfMovie; movieOfItem: ArrayLike<number> } | null = null;

async function explain(request: ExplainRequest): Promise<Reasons> {
  if (watchers?.datasetId !== request.datasetId) {
    const split = await loadSplit(request.datasetId);
    watchers = {
      datasetId: request.datasetId,
      itemUsers: transposeRows(buildUserHistories(split)),
      itemOfMovie: itemOfMovieMap(split.itemMovieIds),
      movieOfItem: split.itemMovieIds,
    };
  }
  const { itemUsers, itemOfMovie, movieOfItem } = watchers;
  const history = historyItems(itemOfMovie, request.historyMovieIds);
  const because = request.movieIds.map((movieId) => {
    const item = itemOfMovie.get(movieId);
    return item === undefined ? [] : becauseYouWatched(itemUsers, item, history).map((i) => movieOfItem[i]);
  });
  return { type: 'reasons', because };
}

const FAILURE_CONTEXT: Record<RankingRequest['type'], string> = {
  score: 'Could not score movies',
  evaluate: 'Evaluation failed',
  explain: 'Could not explain the recommendations',
};

async function answer(request: RankingRequest): Promise<RankingAnswer | null> {
  switch (request.type) {
    case 'score':
      return score(request);
    case 'evaluate':
      return evaluate(request);
    case 'explain':
      return explain(request);
  }
}

serveCalls<RankingRequest, RankingAnswer>(
  self,
  async (request) => (await answer(request)) ?? { type: 'no-model' },
  (error, request) => failureOf(error, FAILURE_CONTEXT[request.type]),
  (answer) => (answer.type === 'scores' ? [answer.scores.buffer] : []),
);
