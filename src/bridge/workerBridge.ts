import { WorkerFailed } from './failure';
import type { CallAnswer, CallRequest, JobMessage } from './workerProtocol';

/**
 * The page's end of every worker (after Squoosh's worker bridge): the clients in this folder turn
 * requests into ordinary promises through here, and only here are messages, ids, `onerror` and
 * terminate() handled. Everything rejects with `WorkerFailed`.
 */

/** What the bridge uses of a Worker: the clients pass real ones, tests a fake. */
export interface WorkerLike {
  onmessage: ((message: MessageEvent) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
}

export interface WorkerAbout {
  /** As in "The import worker stopped: …". */
  name: string;
  /** What the person reads after cancelling. */
  cancelledMessage: string;
}

export interface RequestOptions<Event = never> {
  onEvent?: (event: Event) => void;
  /** Aborting rejects at once with kind 'cancelled'. */
  signal?: AbortSignal;
  /** Parts of the request handed over rather than copied. */
  transfer?: Transferable[];
}

const cancelled = (about: WorkerAbout): WorkerFailed => new WorkerFailed('cancelled', about.cancelledMessage);
const stopped = (about: WorkerAbout, event: ErrorEvent): WorkerFailed =>
  new WorkerFailed('unexpected', `The ${about.name} worker stopped: ${event.message}`);
const failed = (answer: { failure: { kind: WorkerFailed['kind']; message: string } }): WorkerFailed =>
  new WorkerFailed(answer.failure.kind, answer.failure.message);

/**
 * A job in a worker of its own, which ends with it: terminated when it answers, fails, or the signal
 * aborts. Terminating is how a job is cancelled, so a job must save nothing until its last step.
 */
export function runJob<Request, Event, Result>(
  create: () => WorkerLike,
  about: WorkerAbout,
  request: Request,
  options: RequestOptions<Event> = {},
): Promise<Result> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelled(about));
  const worker = create();
  return new Promise<Result>((resolve, reject) => {
    const end = (): void => {
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
      signal?.removeEventListener('abort', cancel);
    };
    const cancel = (): void => {
      end();
      reject(cancelled(about));
    };
    signal?.addEventListener('abort', cancel, { once: true });
    worker.onmessage = (message: MessageEvent<JobMessage<Event, Result>>) => {
      const data = message.data;
      if (data.type === 'event') {
        options.onEvent?.(data.event);
        return;
      }
      end();
      if (data.type === 'done') resolve(data.result);
      else reject(failed(data));
    };
    worker.onerror = (event) => {
      end();
      reject(stopped(about, event));
    };
    worker.postMessage(request, options.transfer ?? []);
  });
}

interface Waiting<Result> {
  resolve(result: Result): void;
  reject(error: WorkerFailed): void;
  forget(): void;
}

/**
 * One long-lived worker that answers calls by id and keeps its state between them. Started on the
 * first call; if it dies, every waiting call is rejected and the next call starts a fresh one.
 * A cancelled call is rejected at once; the worker's late answer to it is dropped.
 */
export class WorkerConnection<Request, Result> {
  readonly #create: () => WorkerLike;
  readonly #about: WorkerAbout;
  #worker: WorkerLike | null = null;
  #nextId = 1;
  readonly #waiting = new Map<number, Waiting<Result>>();

  constructor(create: () => WorkerLike, about: WorkerAbout) {
    this.#create = create;
    this.#about = about;
  }

  call(request: Request, options: Omit<RequestOptions, 'onEvent'> = {}): Promise<Result> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(cancelled(this.#about));
    const id = this.#nextId++;
    return new Promise<Result>((resolve, reject) => {
      const cancel = (): void => {
        this.#take(id);
        reject(cancelled(this.#about));
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.#waiting.set(id, { resolve, reject, forget: () => signal?.removeEventListener('abort', cancel) });
      this.#connect().postMessage({ id, request } satisfies CallRequest<Request>, options.transfer ?? []);
    });
  }

  #take(id: number): Waiting<Result> | undefined {
    const waiting = this.#waiting.get(id);
    this.#waiting.delete(id);
    waiting?.forget();
    return waiting;
  }

  #connect(): WorkerLike {
    if (this.#worker) return this.#worker;
    const worker = this.#create();
    worker.onmessage = (message: MessageEvent<CallAnswer<Result>>) => {
      const answer = message.data;
      const waiting = this.#take(answer.id);
      if (!waiting) return;
      if (answer.type === 'done') waiting.resolve(answer.result);
      else waiting.reject(failed(answer));
    };
    worker.onerror = (event) => {
      const error = stopped(this.#about, event);
      for (const id of [...this.#waiting.keys()]) this.#take(id)?.reject(error);
      worker.onmessage = null;
      worker.onerror = null;
      worker.terminate();
      this.#worker = null;
    };
    this.#worker = worker;
    return worker;
  }
}
