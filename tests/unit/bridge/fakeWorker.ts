import type { WorkerLike } from '../../../src/bridge/workerBridge';
import type { WorkerScope } from '../../../src/bridge/workerEnd';

/** The page's side of a worker, driven by the test: what was posted, and answers or a crash on demand. */
export class FakeWorker implements WorkerLike {
  onmessage: ((message: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly posted: { message: unknown; transfer: Transferable[] }[] = [];
  terminated = false;

  postMessage(message: unknown, transfer: Transferable[]): void {
    this.posted.push({ message, transfer });
  }

  terminate(): void {
    this.terminated = true;
  }

  /** A message from the worker, as the page receives it. */
  answer(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }

  /** An uncaught error in the worker. */
  crash(message: string): void {
    this.onerror?.({ message } as ErrorEvent);
  }
}

/** The worker's `self`, driven by the test: a request arrives, and what the worker posted is kept. */
export class FakeScope implements WorkerScope {
  onmessage: ((message: MessageEvent) => unknown) | null = null;
  readonly posted: { message: unknown; transfer: Transferable[] }[] = [];

  postMessage(message: unknown, transfer: Transferable[]): void {
    this.posted.push({ message, transfer });
  }

  async receive(data: unknown): Promise<void> {
    await this.onmessage?.({ data } as MessageEvent);
  }
}

/**
 * A worker and its `self` wired together as a browser would: messages are cloned and arrive on a
 * later task, and nothing arrives once the worker is terminated.
 */
export function workerPair(): { worker: FakeWorker; scope: WorkerScope } {
  const scope: WorkerScope = {
    onmessage: null,
    postMessage: (message) => {
      setTimeout(() => {
        if (!worker.terminated) worker.answer(structuredClone(message));
      });
    },
  };
  const worker = new (class extends FakeWorker {
    override postMessage(message: unknown, transfer: Transferable[]): void {
      super.postMessage(message, transfer);
      setTimeout(() => {
        if (!this.terminated) void scope.onmessage?.({ data: structuredClone(message) } as MessageEvent);
      });
    }
  })();
  return { worker, scope };
}
