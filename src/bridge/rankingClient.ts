import type { EvaluateRequest, RankingEvent, RankingRequest, ScoreRequest } from './rankingMessages';

type ScoresEvent = Extract<RankingEvent, { type: 'scores' }>;
type EvaluationEvent = Extract<RankingEvent, { type: 'evaluation' }>;
type Answer = ScoresEvent | EvaluationEvent;

export class RankingFailed extends Error {}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (e: Answer | null) => void; reject: (e: Error) => void }>();

/** One long-lived ranking worker: it keeps the loaded model between requests. */
function rankingWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('../../workers/rank.worker.ts', import.meta.url), { type: 'module', name: 'ranking' });
  worker.onmessage = (message: MessageEvent<RankingEvent>) => {
    const event = message.data;
    const waiting = pending.get(event.requestId);
    if (!waiting) return;
    pending.delete(event.requestId);
    if (event.type === 'scores' || event.type === 'evaluation') waiting.resolve(event);
    else if (event.type === 'no-model') waiting.resolve(null);
    else waiting.reject(new RankingFailed(event.message));
  };
  worker.onerror = (event) => {
    for (const waiting of pending.values()) waiting.reject(new RankingFailed(`The ranking worker stopped: ${event.message}`));
    pending.clear();
    worker?.terminate();
    worker = null;
  };
  return worker;
}

function ask(message: RankingRequest, transfer: Transferable[] = []): Promise<Answer | null> {
  return new Promise((resolve, reject) => {
    pending.set(message.requestId, { resolve, reject });
    rankingWorker().postMessage(message, transfer);
  });
}

/** Scores for the candidates, or null when the data set has no trained model yet. */
export async function scoreCandidates(request: Omit<ScoreRequest, 'type' | 'requestId'>): Promise<ScoresEvent | null> {
  const message: ScoreRequest = { type: 'score', requestId: nextId++, ...request };
  return (await ask(message, [message.candidateMovieIds.buffer])) as ScoresEvent | null;
}

/** HR@10 / NDCG@10 of the data set's model, or null when there is none. */
export async function evaluateModel(request: Omit<EvaluateRequest, 'type' | 'requestId'>): Promise<EvaluationEvent | null> {
  return (await ask({ type: 'evaluate', requestId: nextId++, ...request })) as EvaluationEvent | null;
}
