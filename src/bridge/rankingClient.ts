import { WorkerFailed } from './failure';
import type {
  EvaluateRequest,
  Evaluation,
  ExplainRequest,
  RankingAnswer,
  RankingRequest,
  Reasons,
  ScoreRequest,
  Scores,
} from './rankingMessages';
import { WorkerConnection, type RequestOptions } from './workerBridge';

type CallOptions = Pick<RequestOptions, 'signal'>;

/** One long-lived ranking worker: it keeps the loaded model between requests. */
const ranking = new WorkerConnection<RankingRequest, RankingAnswer>(
  () => new Worker(new URL('../../workers/rank.worker.ts', import.meta.url), { type: 'module', name: 'ranking' }),
  { name: 'ranking', cancelledMessage: 'Ranking cancelled.' },
);

function answerOf<T extends RankingAnswer['type']>(answer: RankingAnswer, type: T): Extract<RankingAnswer, { type: T }> | null {
  if (answer.type === 'no-model') return null;
  if (answer.type !== type) throw new WorkerFailed('unexpected', `The ranking worker answered ${answer.type} to a ${type} request.`);
  return answer as Extract<RankingAnswer, { type: T }>;
}

/** Scores for the candidates, or null when the data set has no trained model yet. */
export async function scoreCandidates(request: Omit<ScoreRequest, 'type'>, options: CallOptions = {}): Promise<Scores | null> {
  const answer = await ranking.call({ type: 'score', ...request }, { ...options, transfer: [request.candidateMovieIds.buffer] });
  return answerOf(answer, 'scores');
}

/** HR@10 / NDCG@10 of the data set's model, or null when there is none. */
export async function evaluateModel(request: Omit<EvaluateRequest, 'type'>, options: CallOptions = {}): Promise<Evaluation | null> {
  return answerOf(await ranking.call({ type: 'evaluate', ...request }, options), 'evaluation');
}

/** "Because you watched …" for each movie asked about. */
export async function explainRecommendations(request: Omit<ExplainRequest, 'type'>, options: CallOptions = {}): Promise<Reasons> {
  const answer = answerOf(await ranking.call({ type: 'explain', ...request }, options), 'reasons');
  if (!answer) throw new WorkerFailed('unexpected', 'The ranking worker found no data set to explain from.');
  return answer;
}
