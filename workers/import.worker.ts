/// <reference lib="webworker" />
import { importDataset, type ByteSource } from '../src/data/importDataset';
import { ImportError } from '../src/data/importError';
import type { ImportEvent, ImportInput, ImportRequest } from '../src/bridge/importMessages';
import { db } from '../src/storage/db';
import { estimateStoredBytes, saveImportedDataset } from '../src/storage/datasetStore';
import { describeStorageFailure, freeStorageBytes, storageShortfall } from '../src/storage/storageSpace';

/**
 * The import runs here so the page never freezes. Cancel is `worker.terminate()`: nothing is
 * written until the single save transaction at the end, so stopping at any point leaves no trace.
 */

const post = (event: ImportEvent): void => self.postMessage(event);

self.onmessage = async (message: MessageEvent<ImportRequest>) => {
  const request = message.data;
  const startedAt = performance.now();
  try {
    await db.jobs.put({ kind: 'import', startedAt: Date.now(), description: request.name });
    const sources = await openSources(request.input);
    let lastPost = 0;
    const imported = await importDataset(sources, {
      maxUsers: request.maxUsers,
      seed: request.seed,
      onProgress: (progress) => {
        const now = performance.now();
        if (now - lastPost < 100 && progress.phase === 'reading') return;
        lastPost = now;
        post({ type: 'progress', progress });
      },
    });
    post({ type: 'progress', progress: { phase: 'saving', bytesDone: 1, bytesTotal: 1, rows: imported.counts.rows } });
    const tooBig = storageShortfall(estimateStoredBytes(imported), await freeStorageBytes());
    if (tooBig) throw new ImportError(tooBig);
    const dataset = await saveImportedDataset(imported, {
      name: request.name,
      sourceNames: sources.map((s) => s.name),
      seed: request.seed,
      maxUsers: request.maxUsers,
      startedAt,
    });
    post({ type: 'done', dataset });
  } catch (error) {
    await db.jobs.delete('import').catch(() => undefined);
    const storage = describeStorageFailure(error);
    if (error instanceof ImportError) post({ type: 'failed', kind: 'input', message: error.message });
    else if (storage) post({ type: 'failed', kind: 'storage', message: storage });
    else post({ type: 'failed', kind: 'unexpected', message: `The import failed unexpectedly: ${String((error as Error)?.message ?? error)}` });
  }
};

async function openSources(input: ImportInput): Promise<ByteSource[]> {
  if (input.kind === 'files') return input.files;
  return Promise.all(
    input.files.map(async (file): Promise<ByteSource> => {
      const response = await fetch(file.url);
      if (!response.ok || !response.body) throw new ImportError(`${file.name} could not be loaded (${response.status} ${response.statusText}).`, file.name);
      const body = response.body;
      return { name: file.name, size: file.size, stream: () => body };
    }),
  );
}
