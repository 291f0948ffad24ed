import type { TrainingEvent, TrainingRequest } from './trainingMessages';

export interface RunningTraining {
  result: Promise<Extract<TrainingEvent, { type: 'done' }>>;
  cancel(): void;
}

export class TrainingFailed extends Error {
  constructor(
    message: string,
    readonly cancelled = false,
  ) {
    super(message);
  }
}

/** Starts training in its own worker; every event but the last goes to `onEvent`. Cancel terminates the worker. */
export function startTraining(request: Omit<TrainingRequest, 'type'>, onEvent: (event: TrainingEvent) => void): RunningTraining {
  const worker = new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'training' });
  let cancel = (): void => undefined;
  const result = new Promise<Extract<TrainingEvent, { type: 'done' }>>((resolve, reject) => {
    worker.onmessage = (message: MessageEvent<TrainingEvent>) => {
      const event = message.data;
      if (event.type === 'done') {
        worker.terminate();
        resolve(event);
      } else if (event.type === 'failed') {
        worker.terminate();
        reject(new TrainingFailed(event.message));
      } else onEvent(event);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new TrainingFailed(`The training worker stopped: ${event.message}`));
    };
    cancel = () => {
      worker.terminate();
      reject(new TrainingFailed('Training cancelled.', true));
    };
  });
  worker.postMessage({ type: 'train', ...request } satisfies TrainingRequest);
  return { result, cancel: () => cancel() };
}
