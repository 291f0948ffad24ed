import type { Failure } from './failure';

/**
 * The envelopes every worker speaks, whatever its work. Two shapes:
 * - a job: one request to a fresh worker, any number of events, then one `done` or `failed`
 *   (import, training: the worker ends with the job, and cancelling it is terminate());
 * - calls: requests with ids to one long-lived worker that keeps state between them (ranking keeps
 *   the loaded model), each answered once under its id.
 */
export type JobMessage<Event, Result> =
  { type: 'event'; event: Event } | { type: 'done'; result: Result } | { type: 'failed'; failure: Failure };

export interface CallRequest<Request> {
  id: number;
  request: Request;
}

export type CallAnswer<Result> = { id: number; type: 'done'; result: Result } | { id: number; type: 'failed'; failure: Failure };
