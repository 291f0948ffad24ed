/// <reference lib="webworker" />
import { importDataset, type ByteSource } from '../src/data/importDataset';
import { ImportError } from '../src/data/importError';
import type { ImportEvent, ImportInput, ImportRequest, ImportResult } from '../src/bridge/importMessages';
import { failureOf, serveJob } from '../src/bridge/workerEnd';
import { splitFingerprint } from '../src/data/splitFingerprint';
import { estimateStoredBytes, fingerprintAlikeDatasets, reuseImportedDataset, saveImportedDataset } from '../src/storage/datasetStore';
import { clearJobRecord, startJobRecord } from '../src/storage/jobStore';
import { freeStorageBytes, storageShortfall } from '../src/storage/storageSpace';

/**
 * The import runs here so the page never freezes. Cancel is `worker.terminate()`: nothing is
 * written until the single save transaction at the end, so stopping at any point leaves no trace.
 */

const PROGRESS_INTERVAL_MS = 100;

async function runImport(request: ImportRequest, emit: (event: ImportEvent) => void): Promise<ImportResult> {
  const startedAt = performance.now();
  await startJobRecord('import', request.name);
  const sources = await openSources(request.input);
  let lastPost = 0;
  const imported = await importDataset(sources, {
    maxUsers: request.maxUsers,
    seed: request.seed,
    onProgress: (progress) => {
      const now = performance.now();
      if (now - lastPost < PROGRESS_INTERVAL_MS && progress.phase === 'reading') return;
      lastPost = now;
      emit(progress);
    },
  });
  emit({ phase: 'saving', bytesDone: 1, bytesTotal: 1, rows: imported.counts.rows });
  const fingerprint = await splitFingerprint(imported.split);
  await fingerprintAlikeDatasets(imported.counts);
  const earlier = await reuseImportedDataset(fingerprint);
  if (earlier) return { dataset: earlier, alreadyImported: true };
  const tooBig = storageShortfall(estimateStoredBytes(imported), await freeStorageBytes());
  if (tooBig) throw new ImportError(tooBig);
  const dataset = await saveImportedDataset(imported, {
    name: request.name,
    sourceNames: sources.map((s) => s.name),
    seed: request.seed,
    maxUsers: request.maxUsers,
    startedAt,
    fingerprint,
  });
  return { dataset, alreadyImported: false };
}

async function openSources(input: ImportInput): Promise<ByteSource[]> {
  if (input.kind === 'files') return input.files;
  return Promise.all(
    input.files.map(async (file): Promise<ByteSource> => {
      const response = await fetch(file.url);
      if (!response.ok || !response.body)
        throw new ImportError(`${file.name} could not be loaded (${response.status} ${response.statusText}).`, file.name);
      const body = response.body;
      return { name: file.name, size: file.size, stream: () => body };
    }),
  );
}

serveJob<ImportRequest, ImportEvent, ImportResult>(self, runImport, async (error) => {
  // The failure being reported matters more than a job record that could not be removed.
  await clearJobRecord('import').catch(() => undefined);
  return failureOf(error, 'The import failed unexpectedly', [ImportError]);
});
