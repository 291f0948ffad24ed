import { ImportFailed, startImport, type RunningImport } from '../../bridge/importClient';
import type { ImportInput } from '../../bridge/importMessages';
import type { ImportProgress } from '../../data/importDataset';
import { db, type DatasetRecord } from '../../storage/db';
import { IMPORT_LOCK, isJobLockHeld, withJobLock } from './jobLocks';

export interface ImportChoice {
  name: string;
  input: ImportInput;
  maxUsers: number;
  seed: number;
}

interface ProvisionedManifest {
  datasets: { id: string; name: string; files: { name: string; path: string; size: number }[] }[];
}

/** Above this many ratings rows the import keeps a 20,000-user subset by default. */
export const LARGE_FILE_ROWS = 2_000_000;
export const DEFAULT_SUBSET_USERS = 20_000;
/** Bytes per ratings row in the CSV formats, to estimate rows from a file size before reading it. */
const BYTES_PER_ROW = 26;

export function estimateRows(totalBytes: number): number {
  return Math.round(totalBytes / BYTES_PER_ROW);
}

export function defaultMaxUsers(totalBytes: number): number {
  return estimateRows(totalBytes) > LARGE_FILE_ROWS ? DEFAULT_SUBSET_USERS : Infinity;
}

/** The one import that may run at a time, shared by every page so navigating away does not lose it. */
class ImportJob {
  running = $state(false);
  label = $state('');
  progress = $state<ImportProgress | null>(null);
  error = $state<string | null>(null);
  lastImported = $state<DatasetRecord | null>(null);
  /** An import that was running when the tab closed, found on start-up. */
  interrupted = $state<string | null>(null);
  private current: RunningImport | null = null;

  async start(choice: ImportChoice): Promise<DatasetRecord | null> {
    if (this.running) return null;
    return withJobLock(IMPORT_LOCK, () => this.run(choice), () => {
      this.error = 'Another tab is importing a data set right now. Wait for it to finish there.';
      return null;
    });
  }

  private async run(choice: ImportChoice): Promise<DatasetRecord | null> {
    this.running = true;
    this.label = choice.name;
    this.error = null;
    this.progress = null;
    try {
      this.current = startImport(choice, (p) => (this.progress = p));
      const dataset = await this.current.result;
      this.lastImported = dataset;
      return dataset;
    } catch (error) {
      this.error = error instanceof ImportFailed ? error.message : String(error);
      if (error instanceof ImportFailed && error.kind === 'cancelled') await db.jobs.delete('import');
      return null;
    } finally {
      this.running = false;
      this.current = null;
    }
  }

  cancel(): void {
    this.current?.cancel();
  }

  /** On first visit there is no data set: import the one the app was built with, without a click. */
  async ensureDefaultDataset(): Promise<void> {
    const interruptedJob = await db.jobs.get('import');
    if (await isJobLockHeld(IMPORT_LOCK)) return; // another tab is importing: not interrupted, and no default import here
    if (interruptedJob) {
      this.interrupted = `The import of "${interruptedJob.description}" was interrupted (the tab closed). Nothing of it was saved; import it again.`;
      await db.jobs.delete('import');
    }
    // The import benchmark brings its own files and opts out with ?no-default-data.
    if (new URLSearchParams(location.search).has('no-default-data')) return;
    if ((await db.datasets.count()) > 0 || this.running) return;
    const response = await fetch(new URL('datasets/index.json', document.baseURI)).catch(() => null);
    if (!response?.ok) return;
    const manifest = (await response.json()) as ProvisionedManifest;
    const provided = manifest.datasets[0];
    if (!provided) return;
    await this.start({
      name: provided.name,
      input: {
        kind: 'urls',
        files: provided.files.map((f) => ({ name: f.name, size: f.size, url: new URL(`datasets/${f.path}`, document.baseURI).href })),
      },
      maxUsers: Infinity,
      seed: 2017,
    });
  }
}

export const importJob = new ImportJob();
