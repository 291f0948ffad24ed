import type { ImportProgress } from '../data/importDataset';
import type { DatasetRecord } from '../storage/db';
import type { ImportEvent, ImportFailureKind, ImportRequest } from './importMessages';

export class ImportFailed extends Error {
  constructor(
    message: string,
    readonly kind: ImportFailureKind | 'cancelled',
  ) {
    super(message);
  }
}

export interface RunningImport {
  result: Promise<DatasetRecord>;
  cancel(): void;
}

/** Starts an import in its own worker. Cancelling terminates the worker; nothing is saved until the end. */
export function startImport(request: Omit<ImportRequest, 'type'>, onProgress: (progress: ImportProgress) => void): RunningImport {
  const worker = new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module', name: 'import' });
  let cancel = (): void => undefined;
  const result = new Promise<DatasetRecord>((resolve, reject) => {
    const finish = (): void => worker.terminate();
    worker.onmessage = (message: MessageEvent<ImportEvent>) => {
      const event = message.data;
      if (event.type === 'progress') onProgress(event.progress);
      else if (event.type === 'done') {
        finish();
        resolve(event.dataset);
      } else {
        finish();
        reject(new ImportFailed(event.message, event.kind));
      }
    };
    worker.onerror = (event) => {
      finish();
      reject(new ImportFailed(`The import worker stopped: ${event.message}`, 'unexpected'));
    };
    cancel = () => {
      finish();
      reject(new ImportFailed('Import cancelled. Nothing was changed.', 'cancelled'));
    };
  });
  worker.postMessage({ type: 'import', ...request } satisfies ImportRequest);
  return { result, cancel: () => cancel() };
}
