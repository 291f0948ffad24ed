import { liveQuery } from 'dexie';
import { WorkerFailed } from '../../bridge/failure';
import { runTraining } from '../../bridge/trainingClient';
import type { BatchProgress, TrainingRequest } from '../../bridge/trainingMessages';
import { defaultBaselineSpecs } from '../../engine/training/baselineRun';
import { EVALUATION_NEGATIVES } from '../../engine/metrics/rankingMetrics';
import type { EpochReport } from '../../engine/training/trainingRun';
import { finishedProfileHistories } from '../../storage/historyStore';
import { clearJobRecord, jobRecord } from '../../storage/jobStore';
import { currentModelId } from '../../storage/modelStore';
import type { TrainingChoice } from '../../storage/settingsStore';
import { messageFor } from '../errorMessage';
import { isJobLockHeld, TRAINING_LOCK, withJobLock } from './jobLocks';

/** The one training run of this tab, shared by the pages so that navigating away does not lose it. */
class TrainingJob {
  #running = $state(false);
  #phase = $state<'preparing' | 'training' | 'saving' | null>(null);
  #backend = $state<string | null>(null);
  #backendReason = $state<string | null>(null);
  #progress = $state<BatchProgress | null>(null);
  #epochs = $state.raw<EpochReport[]>([]);
  #error = $state<string | null>(null);
  #elsewhere = $state(false);
  #interrupted = $state<string | null>(null);
  #cancel: AbortController | null = null;

  constructor() {
    // The worker writes a job record when it starts and deletes it when it saves; every tab sees it.
    liveQuery(() => jobRecord('training')).subscribe({
      next: async (job) => {
        if (!job || this.#running) {
          this.#elsewhere = false;
          return;
        }
        if (await isJobLockHeld(TRAINING_LOCK)) {
          this.#elsewhere = true;
        } else {
          this.#elsewhere = false;
          this.#interrupted = `A training run (${job.description}) stopped when its tab closed. The previous model is kept; start again when you like.`;
          await clearJobRecord('training');
        }
      },
    });
  }

  get running(): boolean {
    return this.#running;
  }

  get phase(): 'preparing' | 'training' | 'saving' | null {
    return this.#phase;
  }

  get backend(): string | null {
    return this.#backend;
  }

  /** Why that backend: what 'auto' found, or why a requested one could not be used. */
  get backendReason(): string | null {
    return this.#backendReason;
  }

  get progress(): BatchProgress | null {
    return this.#progress;
  }

  /** The epochs of this tab's current or last run. */
  get epochs(): EpochReport[] {
    return this.#epochs;
  }

  get error(): string | null {
    return this.#error;
  }

  /** Another tab is training now: this one must wait. */
  get elsewhere(): boolean {
    return this.#elsewhere;
  }

  /** A training that was running when its tab closed, found afterwards. */
  get interrupted(): string | null {
    return this.#interrupted;
  }

  async start(datasetId: number, choice: TrainingChoice): Promise<void> {
    if (this.#running) return;
    await withJobLock(
      TRAINING_LOCK,
      () => this.#run(datasetId, choice),
      () => {
        this.#elsewhere = true;
        this.#error = 'Training is already running in another tab. Wait for it to finish there.';
      },
    );
  }

  async #run(datasetId: number, { settings, backend }: TrainingChoice): Promise<void> {
    this.#running = true;
    this.#phase = 'preparing';
    this.#error = null;
    this.#progress = null;
    this.#epochs = [];
    this.#interrupted = null;
    const cancel = new AbortController();
    this.#cancel = cancel;
    try {
      const profiles = await finishedProfileHistories();
      const request: TrainingRequest = {
        data: { kind: 'dataset', datasetId, profiles },
        // The baselines first: they take seconds, so the Recommend page has a model soon.
        models: [...defaultBaselineSpecs(), { kind: 'neumf', settings, backend }],
        evaluationNegatives: EVALUATION_NEGATIVES,
        maxFullUsers: null,
        save: true,
      };
      await runTraining(request, {
        signal: cancel.signal,
        onEvent: (event) => {
          if (event.type === 'started') {
            this.#backend = event.backend;
            this.#backendReason = event.reason;
            this.#phase = 'training';
          } else if (event.type === 'batch') this.#progress = event.progress;
          else if (event.type === 'epoch' && event.model === 'neumf') this.#epochs = [...this.#epochs, event.metrics];
          else if (event.type === 'saving') this.#phase = 'saving';
        },
      });
    } catch (error) {
      this.#error = messageFor(error, 'Training failed');
      if (error instanceof WorkerFailed && error.kind === 'cancelled') {
        // A cancelled run's worker was terminated before it could remove its own record.
        await clearJobRecord('training');
        this.#error =
          (await currentModelId(datasetId)) !== null
            ? 'Training cancelled. The previous model is kept.'
            : 'Training cancelled. Nothing was saved.';
      }
    } finally {
      this.#running = false;
      this.#phase = null;
      this.#cancel = null;
    }
  }

  cancel(): void {
    this.#cancel?.abort();
  }
}

export const trainingJob = new TrainingJob();
