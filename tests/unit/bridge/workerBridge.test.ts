import { describe, expect, it } from 'vitest';
import { WorkerFailed } from '../../../src/bridge/failure';
import { runJob, WorkerConnection } from '../../../src/bridge/workerBridge';
import { serveJob } from '../../../src/bridge/workerEnd';
import { FakeWorker, workerPair } from './fakeWorker';

const ABOUT = { name: 'import', cancelledMessage: 'Import cancelled. Nothing was changed.' };

async function rejection(promise: Promise<unknown>): Promise<WorkerFailed> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof WorkerFailed)) throw new Error(`expected a WorkerFailed, got ${String(error)}`);
  return error;
}

describe('runJob (a one-shot worker)', () => {
  it('posts the request, hands over the events in order, resolves with the result and ends the worker', async () => {
    const worker = new FakeWorker();
    const events: number[] = [];
    const buffer = new ArrayBuffer(8);
    const job = runJob<string, number, string>(() => worker, ABOUT, 'go', { onEvent: (e) => events.push(e), transfer: [buffer] });
    expect(worker.posted).toEqual([{ message: 'go', transfer: [buffer] }]);
    worker.answer({ type: 'event', event: 1 });
    worker.answer({ type: 'event', event: 2 });
    expect(worker.terminated).toBe(false);
    worker.answer({ type: 'done', result: 'saved' });
    await expect(job).resolves.toBe('saved');
    expect(events).toEqual([1, 2]);
    expect(worker.terminated).toBe(true);
  });

  it('rejects with the kind and sentence the worker failed with', async () => {
    const worker = new FakeWorker();
    const job = runJob(() => worker, ABOUT, 'go');
    worker.answer({ type: 'failed', failure: { kind: 'input', message: 'ratings.csv has the wrong columns' } });
    const error = await rejection(job);
    expect([error.kind, error.message]).toEqual(['input', 'ratings.csv has the wrong columns']);
    expect(worker.terminated).toBe(true);
  });

  it('turns a worker that stops into an unexpected failure that names the worker', async () => {
    const worker = new FakeWorker();
    const job = runJob(() => worker, ABOUT, 'go');
    worker.crash('out of memory');
    const error = await rejection(job);
    expect([error.kind, error.message]).toEqual(['unexpected', 'The import worker stopped: out of memory']);
    expect(worker.terminated).toBe(true);
  });

  it('cancels by terminating the worker: rejects at once, and nothing the worker sent later arrives', async () => {
    const worker = new FakeWorker();
    const cancel = new AbortController();
    const events: number[] = [];
    const job = runJob<string, number, string>(() => worker, ABOUT, 'go', { signal: cancel.signal, onEvent: (e) => events.push(e) });
    cancel.abort();
    const error = await rejection(job);
    expect([error.kind, error.message]).toEqual(['cancelled', 'Import cancelled. Nothing was changed.']);
    expect(worker.terminated).toBe(true);
    worker.answer({ type: 'event', event: 1 });
    expect(events).toEqual([]);
  });

  it('does not start a worker for a request cancelled before it began', async () => {
    const cancel = new AbortController();
    cancel.abort();
    let started = false;
    const error = await rejection(
      runJob(
        () => {
          started = true;
          return new FakeWorker();
        },
        ABOUT,
        'go',
        { signal: cancel.signal },
      ),
    );
    expect(error.kind).toBe('cancelled');
    expect(started).toBe(false);
  });

  it('works end to end with serveJob on the worker side, messages cloned as a browser does', async () => {
    const { worker, scope } = workerPair();
    serveJob<{ rows: number }, { done: number }, { total: number }>(
      scope,
      async (request, emit) => {
        for (let done = 1; done <= request.rows; done++) emit({ done });
        return { total: request.rows };
      },
      () => ({ kind: 'unexpected', message: 'never' }),
    );
    const progress: number[] = [];
    const result = await runJob<{ rows: number }, { done: number }, { total: number }>(
      () => worker,
      ABOUT,
      { rows: 3 },
      { onEvent: (e) => progress.push(e.done) },
    );
    expect(result).toEqual({ total: 3 });
    expect(progress).toEqual([1, 2, 3]);
  });
});

describe('WorkerConnection (a long-lived worker)', () => {
  const RANKING = { name: 'ranking', cancelledMessage: 'Ranking cancelled.' };

  function connection(): { calls: WorkerConnection<string, string>; workers: FakeWorker[] } {
    const workers: FakeWorker[] = [];
    const calls = new WorkerConnection<string, string>(() => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    }, RANKING);
    return { calls, workers };
  }

  const idOf = (worker: FakeWorker, k: number): number => (worker.posted[k].message as { id: number }).id;

  it('sends every call to one worker and matches each answer to its call by id, in any order', async () => {
    const { calls, workers } = connection();
    const first = calls.call('a');
    const second = calls.call('b');
    expect(workers).toHaveLength(1);
    const [worker] = workers;
    expect(worker.posted.map((p) => (p.message as { request: string }).request)).toEqual(['a', 'b']);
    worker.answer({ id: idOf(worker, 1), type: 'done', result: 'B' });
    worker.answer({ id: idOf(worker, 0), type: 'done', result: 'A' });
    await expect(first).resolves.toBe('A');
    await expect(second).resolves.toBe('B');
    expect(worker.terminated).toBe(false);
  });

  it('rejects only the call that failed', async () => {
    const { calls, workers } = connection();
    const failing = calls.call('a');
    const fine = calls.call('b');
    const [worker] = workers;
    worker.answer({ id: idOf(worker, 0), type: 'failed', failure: { kind: 'unexpected', message: 'Could not score movies: no' } });
    worker.answer({ id: idOf(worker, 1), type: 'done', result: 'B' });
    const error = await rejection(failing);
    expect([error.kind, error.message]).toEqual(['unexpected', 'Could not score movies: no']);
    await expect(fine).resolves.toBe('B');
  });

  it('rejects every waiting call when the worker stops, and starts a fresh worker for the next call', async () => {
    const { calls, workers } = connection();
    const first = calls.call('a');
    const second = calls.call('b');
    workers[0].crash('gone');
    for (const waiting of [first, second]) expect((await rejection(waiting)).message).toBe('The ranking worker stopped: gone');
    expect(workers[0].terminated).toBe(true);
    const third = calls.call('c');
    expect(workers).toHaveLength(2);
    workers[1].answer({ id: idOf(workers[1], 0), type: 'done', result: 'C' });
    await expect(third).resolves.toBe('C');
  });

  it('cancels one call without stopping the worker; its late answer is dropped', async () => {
    const { calls, workers } = connection();
    const cancel = new AbortController();
    const cancelled = calls.call('a', { signal: cancel.signal });
    const other = calls.call('b');
    cancel.abort();
    expect((await rejection(cancelled)).kind).toBe('cancelled');
    const [worker] = workers;
    worker.answer({ id: idOf(worker, 0), type: 'done', result: 'late' });
    worker.answer({ id: idOf(worker, 1), type: 'done', result: 'B' });
    await expect(other).resolves.toBe('B');
    expect(worker.terminated).toBe(false);
  });

  it('hands over what the caller transfers', () => {
    const { calls, workers } = connection();
    const buffer = new ArrayBuffer(4);
    void calls.call('a', { transfer: [buffer] });
    expect(workers[0].posted[0].transfer).toEqual([buffer]);
  });
});
