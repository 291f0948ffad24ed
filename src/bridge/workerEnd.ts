import { describeStorageFailure } from '../storage/storageSpace';
import { describeError, type Failure } from './failure';
import type { CallAnswer, CallRequest, JobMessage } from './workerProtocol';

/**
 * The worker's end of the bridge (workerBridge.ts is the page's): a worker entry hands its work to
 * `serveJob` or `serveCalls` and never posts a message itself, so every worker answers and fails
 * in the same shape.
 */

/** What a worker entry's `self` offers; tests pass a fake. */
export interface WorkerScope {
  onmessage: ((message: MessageEvent) => unknown) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Sorts what a worker caught: errors of `inputErrors` carry the sentence for the person, a full
 * disk has its own sentence, and anything else is a bug, reported after `unexpected` ("Training failed").
 */
export function failureOf(error: unknown, unexpected: string, inputErrors: readonly ErrorClass[] = []): Failure {
  if (inputErrors.some((type) => error instanceof type)) return { kind: 'input', message: describeError(error) };
  const storage = describeStorageFailure(error);
  if (storage !== null) return { kind: 'storage', message: storage };
  return { kind: 'unexpected', message: `${unexpected}: ${describeError(error)}` };
}

/**
 * A one-job worker: the request runs `work`, which may `emit` events before its result. `failure`
 * may clean up (a job record) before it says what went wrong.
 */
export function serveJob<Request, Event, Result>(
  scope: WorkerScope,
  work: (request: Request, emit: (event: Event) => void) => Promise<Result>,
  failure: (error: unknown) => Failure | Promise<Failure>,
): void {
  const post = (message: JobMessage<Event, Result>): void => scope.postMessage(message, []);
  scope.onmessage = async (message: MessageEvent<Request>) => {
    try {
      const result = await work(message.data, (event) => post({ type: 'event', event }));
      post({ type: 'done', result });
    } catch (error) {
      post({ type: 'failed', failure: await failure(error) });
    }
  };
}

/**
 * A long-lived worker: every call is answered once under its id. Calls run as they come (one may
 * wait on storage while another computes); `transfer` names the parts of a result handed over.
 */
export function serveCalls<Request, Result>(
  scope: WorkerScope,
  answer: (request: Request) => Promise<Result>,
  failure: (error: unknown, request: Request) => Failure,
  transfer: (result: Result) => Transferable[] = () => [],
): void {
  const post = (message: CallAnswer<Result>, transferred: Transferable[] = []): void => scope.postMessage(message, transferred);
  scope.onmessage = async (message: MessageEvent<CallRequest<Request>>) => {
    const { id, request } = message.data;
    try {
      const result = await answer(request);
      post({ id, type: 'done', result }, transfer(result));
    } catch (error) {
      post({ id, type: 'failed', failure: failure(error, request) });
    }
  };
}
