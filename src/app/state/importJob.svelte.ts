import { WorkerFailed } from '../../bridge/failure';
import { runImport } from '../../bridge/importClient';
import type { ImportRequest, ImportResult } from '../../bridge/importMessages';
import type { ImportProgress } from '../../data/importDataset';
import { defaultImportSettings } from '../../data/importSettings';
import { readProvisionedManifest } from '../../data/provisionedManifest';
import { datasetCount } from '../../storage/datasetStore';
import { clearJobRecord } from '../../storage/jobStore';
import { messageFor } from '../errorMessage';
import { JobElsewhere } from './jobElsewhere.svelte';
import { IMPORT_LOCK, isJobLockHeld, withJobLock } from './jobLocks';

/** The one import that may run at a time, shared by every page so navigating away does not lose it. */
class ImportJob {
  #running = $state(false);
  #label = $state('');
  #progress = $state<ImportProgress | null>(null);
  #error = $state<string | null>(null);
  #finished = $state<ImportResult | null>(null);
  #interrupted = $state<string | null>(null);
  #unavailable = $state<string | null>(null);
  #cancel: AbortController | null = null;
  readonly #otherTab = new JobElsewhere(
    'import',
    IMPORT_LOCK,
    () => this.#running,
    (job) =>
      (this.#interrupted = `The import of "${job.description}" was interrupted (its tab closed). Nothing of it was saved; import it again.`),
  );

  get running(): boolean {
    return this.#running;
  }

  /** The name of the data set being imported. */
  get label(): string {
    return this.#label;
  }

  get progress(): ImportProgress | null {
    return this.#progress;
  }

  get error(): string | null {
    return this.#error;
  }

  /** The data set the latest import of this page saved or found saved (null while another runs, or after one failed). */
  get finished(): ImportResult | null {
    return this.#finished;
  }

  /** An import that was running when its tab closed, found on start-up or when that tab closed. */
  get interrupted(): string | null {
    return this.#interrupted;
  }

  /** Another tab is importing now: this one must wait. */
  get elsewhere(): boolean {
    return this.#otherTab.elsewhere;
  }

  /** Why the data set this copy was built with cannot be loaded (first visit only), in words; null when it can. */
  get unavailable(): string | null {
    return this.#unavailable;
  }

  async start(request: ImportRequest): Promise<ImportResult | null> {
    if (this.#running) return null;
    return withJobLock(
      IMPORT_LOCK,
      () => this.#run(request),
      () => {
        this.#otherTab.noticeBusy();
        this.#error = 'Another tab is importing a data set right now. Wait for it to finish there.';
        return null;
      },
    );
  }

  async #run(request: ImportRequest): Promise<ImportResult | null> {
    this.#running = true;
    this.#label = request.name;
    this.#error = null;
    this.#finished = null;
    this.#interrupted = null;
    this.#progress = null;
    const cancel = new AbortController();
    this.#cancel = cancel;
    try {
      this.#finished = await runImport(request, { onEvent: (progress) => (this.#progress = progress), signal: cancel.signal });
      return this.#finished;
    } catch (error) {
      this.#error = messageFor(error, 'The import failed unexpectedly');
      // A cancelled import's worker was terminated before it could remove its own record.
      if (error instanceof WorkerFailed && error.kind === 'cancelled') await clearJobRecord('import');
      return null;
    } finally {
      this.#running = false;
      this.#cancel = null;
    }
  }

  cancel(): void {
    this.#cancel?.abort();
  }

  /** Forgets the latest import's error: other files were chosen, and beside them it would read as theirs. */
  dismissError(): void {
    if (!this.#running) this.#error = null;
  }

  /** On first visit there is no data set: import the one the app was built with, without a click. */
  async ensureDefaultDataset(): Promise<void> {
    // Another tab is importing: no default import here (an import interrupted earlier is reported by #otherTab).
    if (await isJobLockHeld(IMPORT_LOCK)) return;
    // The import benchmark brings its own files and opts out with ?no-default-data.
    if (new URLSearchParams(location.search).has('no-default-data')) return;
    if ((await datasetCount()) > 0 || this.#running) return;
    const response = await fetch(new URL('datasets/index.json', document.baseURI)).catch(() => null);
    const outcome = readProvisionedManifest(
      response && { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() },
    );
    if (outcome.kind === 'unavailable') {
      this.#unavailable = outcome.reason;
      return;
    }
    this.#unavailable = null;
    const provided = outcome.manifest.datasets[0];
    await this.start({
      name: provided.name,
      input: {
        kind: 'urls',
        files: provided.files.map((f) => ({ name: f.name, size: f.size, url: new URL(`datasets/${f.path}`, document.baseURI).href })),
      },
      ...defaultImportSettings,
    });
  }
}

export const importJob = new ImportJob();
