import { WorkerFailed } from '../../bridge/failure';
import { runTraining } from '../../bridge/trainingClient';
import { RECOMMENDER_NAMES, type BatchProgress, type TrainingEstimate, type TrainingRequest } from '../../bridge/trainingMessages';
import { cancelledTrainingMessage } from './cancelledTraining';
import type { ProfileHistory } from '../../data/profileInteractions';
import type { RecommenderKind } from '../../storage/db';
import { defaultBaselineSpecs } from '../../engine/training/baselineRun';
import { EVALUATION_NEGATIVES } from '../../engine/metrics/rankingMetrics';
import type { EpochReport } from '../../engine/training/trainingRun';
import { finishedProfileHistories } from '../../storage/historyStore';
import { clearJobRecord } from '../../storage/jobStore';
import { currentModelId } from '../../storage/modelStore';
import type { TrainingChoice } from '../../storage/settingsStore';
import { messageFor } from '../errorMessage';
import { JobElsewhere } from './jobElsewhere.svelte';
import { TRAINING_LOCK, withJobLock } from './jobLocks';

/** Where one model of the run stands. */
export interface ModelProgress {
  kind: RecommenderKind;
  state: 'waiting' | 'training' | 'saving' | 'done';
  /** Its epochs (or EASE's settings) so far. */
  epochs: EpochReport[];
  /** A baseline's fit, 0..1 (NeuMF reports batches instead). */
  fraction: number | null;
}

/** The one training run of this tab, shared by the pages so that navigating away does not lose it. */
class TrainingJob {
  #running = $state(false);
  #phase = $state<'preparing' | 'training' | 'saving' | null>(null);
  #backend = $state<string | null>(null);
  #backendReason = $state<string | null>(null);
  #threads = $state(1);
  #progress = $state<BatchProgress | null>(null);
  #models = $state.raw<ModelProgress[]>([]);
  #finished = $state(false);
  #error = $state<string | null>(null);
  #interrupted = $state<string | null>(null);
  #cancel: AbortController | null = null;
  readonly #otherTab = new JobElsewhere(
    'training',
    TRAINING_LOCK,
    () => this.#running,
    (job) =>
      (this.#interrupted = `A training run (${job.description}) stopped when its tab closed. The previous model is kept; start again when you like.`),
  );

  get running(): boolean {
    return this.#running;
  }

  get phase(): 'preparing' | 'training' | 'saving' | null {
    return this.#phase;
  }

  get backend(): string | null {
    return this.#backend;
  }

  /** The threads the model in training runs on. */
  get threads(): number {
    return this.#threads;
  }

  /** Why that backend: what 'auto' found, or why a requested one could not be used. */
  get backendReason(): string | null {
    return this.#backendReason;
  }

  get progress(): BatchProgress | null {
    return this.#progress;
  }

  /** NeuMF's epochs in this tab's current or last run. */
  get epochs(): EpochReport[] {
    return this.#models.find((m) => m.kind === 'neumf')?.epochs ?? [];
  }

  /** Every model of this tab's current or last run, in training order. */
  get models(): ModelProgress[] {
    return this.#models;
  }

  /** This tab's last run ended with every model saved. */
  get finished(): boolean {
    return this.#finished;
  }

  get error(): string | null {
    return this.#error;
  }

  /** Another tab is training now: this one must wait. */
  get elsewhere(): boolean {
    return this.#otherTab.elsewhere;
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
        this.#otherTab.noticeBusy();
        this.#error = 'Training is already running in another tab. Wait for it to finish there.';
      },
    );
  }

  #epochOf(kind: RecommenderKind): EpochReport[] {
    return this.#models.find((m) => m.kind === kind)?.epochs ?? [];
  }

  #update(kind: RecommenderKind, change: Partial<ModelProgress>): void {
    this.#models = this.#models.map((m) => (m.kind === kind ? { ...m, ...change } : m));
  }

  /**
   * How long a run of `choice` would take here: NeuMF trained for a moment and evaluated once in a
   * worker of its own (nothing saved). Null when it could not be measured (another run is on, or it failed).
   */
  async estimate(datasetId: number, choice: TrainingChoice, signal?: AbortSignal): Promise<TrainingEstimate | null> {
    if (this.#running) return null;
    try {
      const request = {
        ...trainingRequest(datasetId, await finishedProfileHistories(), choice),
        save: false,
        estimateSeconds: ESTIMATE_SECONDS,
      };
      return (await runTraining(request, { signal })).estimate ?? null;
    } catch (error) {
      if (!(error instanceof WorkerFailed && error.kind === 'cancelled')) console.error(error);
      return null;
    }
  }

  async #run(datasetId: number, { settings, backend, baselines }: TrainingChoice): Promise<void> {
    this.#running = true;
    this.#phase = 'preparing';
    this.#error = null;
    this.#progress = null;
    this.#finished = false;
    this.#interrupted = null;
    const cancel = new AbortController();
    this.#cancel = cancel;
    // What recommended before this run: a cancel keeps it only if no model of the run was saved.
    let modelBefore: number | null = null;
    try {
      modelBefore = await currentModelId(datasetId);
      const profiles = await finishedProfileHistories();
      const request = trainingRequest(datasetId, profiles, { settings, backend, baselines });
      this.#models = request.models.map((m) => ({ kind: m.kind, state: 'waiting', epochs: [], fraction: null }));
      await runTraining(request, {
        signal: cancel.signal,
        onEvent: (event) => {
          if (event.type === 'started') {
            this.#backend = event.backend;
            this.#backendReason = event.reason;
            this.#threads = event.threads;
            this.#phase = 'training';
            this.#progress = null;
            this.#update(event.model, { state: 'training' });
            // Every model before this one is saved by now.
            for (const m of this.#models.slice(
              0,
              this.#models.findIndex((x) => x.kind === event.model),
            ))
              this.#update(m.kind, { state: 'done' });
          } else if (event.type === 'batch') this.#progress = event.progress;
          else if (event.type === 'fitting') this.#update(event.model, { fraction: event.fraction });
          else if (event.type === 'epoch') this.#update(event.model, { epochs: [...this.#epochOf(event.model), event.metrics] });
          else if (event.type === 'saving') {
            this.#phase = 'saving';
            this.#update(event.model, { state: 'saving' });
          }
        },
      });
      for (const m of this.#models) this.#update(m.kind, { state: 'done' });
      this.#finished = true;
    } catch (error) {
      this.#error = messageFor(error, 'Training failed');
      if (error instanceof WorkerFailed && error.kind === 'cancelled') {
        // A cancelled run's worker was terminated before it could remove its own record.
        await clearJobRecord('training');
        this.#error = cancelledTrainingMessage(
          modelBefore,
          await currentModelId(datasetId),
          this.#models.filter((m) => m.state === 'done').map((m) => RECOMMENDER_NAMES[m.kind]),
        );
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

/** How long the estimate trains NeuMF for: long enough for a steady rate, short enough to wait for. */
const ESTIMATE_SECONDS = 1.5;

/** The app's training request: the baselines first (they take seconds, so the Recommend page has a model soon), then NeuMF. */
function trainingRequest(datasetId: number, profiles: ProfileHistory[], { settings, backend, baselines }: TrainingChoice): TrainingRequest {
  return {
    data: { kind: 'dataset', datasetId, profiles },
    models: [...(baselines ? defaultBaselineSpecs() : []), { kind: 'neumf', settings, backend }],
    evaluationNegatives: EVALUATION_NEGATIVES,
    maxFullUsers: null,
    save: true,
  };
}

export const trainingJob = new TrainingJob();
