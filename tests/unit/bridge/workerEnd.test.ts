import { describe, expect, it } from 'vitest';
import { failureOf, serveCalls, serveJob } from '../../../src/bridge/workerEnd';
import { ImportError } from '../../../src/data/importError';
import { FakeScope } from './fakeWorker';

describe('failureOf', () => {
  it('keeps the sentence of an error the person can act on', () => {
    expect(failureOf(new ImportError('u.data is empty.', 'u.data'), 'The import failed unexpectedly', [ImportError])).toEqual({
      kind: 'input',
      message: 'u.data is empty.',
    });
  });

  it('says so when the disk is full, whatever else was being done', () => {
    const failure = failureOf(new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 'Training failed');
    expect(failure.kind).toBe('storage');
    expect(failure.message).toMatch(/ran out of storage space/);
  });

  it('reports anything else as unexpected, after what was being done', () => {
    expect(failureOf(new TypeError('x is undefined'), 'Training failed')).toEqual({
      kind: 'unexpected',
      message: 'Training failed: x is undefined',
    });
    // An error of a known kind from a worker that does not list it is still a bug there.
    expect(failureOf(new ImportError('odd'), 'Evaluation failed').kind).toBe('unexpected');
    expect(failureOf('a string', 'Evaluation failed')).toEqual({ kind: 'unexpected', message: 'Evaluation failed: a string' });
  });
});

describe('serveJob', () => {
  it('posts the events, then the result', async () => {
    const scope = new FakeScope();
    serveJob<number, string, number>(
      scope,
      async (n, emit) => {
        emit('half');
        return n * 2;
      },
      () => ({ kind: 'unexpected', message: 'never' }),
    );
    await scope.receive(21);
    expect(scope.posted.map((p) => p.message)).toEqual([
      { type: 'event', event: 'half' },
      { type: 'done', result: 42 },
    ]);
  });

  it('posts one typed failure, after the cleanup it asked for', async () => {
    const scope = new FakeScope();
    const steps: string[] = [];
    serveJob<number, string, number>(
      scope,
      async () => {
        throw new Error('boom');
      },
      async (error) => {
        steps.push('cleaned up');
        return failureOf(error, 'Training failed');
      },
    );
    await scope.receive(1);
    expect(steps).toEqual(['cleaned up']);
    expect(scope.posted.map((p) => p.message)).toEqual([
      { type: 'failed', failure: { kind: 'unexpected', message: 'Training failed: boom' } },
    ]);
  });
});

describe('serveCalls', () => {
  it('answers each call under its id, handing over what the result says', async () => {
    const scope = new FakeScope();
    serveCalls<string, Float32Array>(
      scope,
      async (request) => {
        if (request === 'bad') throw new Error('no model file');
        return new Float32Array([1, 2]);
      },
      (error, request) => failureOf(error, `Could not ${request}`),
      (result) => [result.buffer],
    );
    await scope.receive({ id: 7, request: 'score' });
    await scope.receive({ id: 8, request: 'bad' });
    const [answer, failure] = scope.posted;
    expect(answer.message).toEqual({ id: 7, type: 'done', result: new Float32Array([1, 2]) });
    expect(answer.transfer).toEqual([(answer.message as { result: Float32Array }).result.buffer]);
    expect(failure.message).toEqual({ id: 8, type: 'failed', failure: { kind: 'unexpected', message: 'Could not bad: no model file' } });
    expect(failure.transfer).toEqual([]);
  });
});
