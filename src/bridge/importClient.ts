import type { ImportEvent, ImportRequest, ImportResult } from './importMessages';
import { runJob, type RequestOptions } from './workerBridge';

export const IMPORT_CANCELLED = 'Import cancelled. Nothing was changed.';

/**
 * Imports in a worker of its own. Aborting terminates the worker: nothing is saved until the last
 * step, so a cancelled import leaves no trace.
 */
export function runImport(request: ImportRequest, options: Omit<RequestOptions<ImportEvent>, 'transfer'> = {}): Promise<ImportResult> {
  return runJob<ImportRequest, ImportEvent, ImportResult>(
    () => new Worker(new URL('../../workers/import.worker.ts', import.meta.url), { type: 'module', name: 'import' }),
    { name: 'import', cancelledMessage: IMPORT_CANCELLED },
    request,
    options,
  );
}
