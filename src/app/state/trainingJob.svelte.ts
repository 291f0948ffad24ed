import { startTraining, TrainingFailed, type RunningTraining } from '../../bridge/trainingClient';
import type { BatchProgress } from '../../bridge/trainingMessages';
import type { ProfileHistory } from '../../data/profileInteractions';
import type { TrainingBackend } from '../../engine/backends/chooseBackend';
import type { NeuMFSettings } from '../../engine/model/neumfSettings';
import { liveQuery } from 'dexie';
import { EVALUATION_NEGATIVES } from '../../engine/metrics/rankingMetrics';
import { db, type EpochMetrics } from '../../storage/db';
import { isJobLockHeld, TRAINING_LOCK, withJobLock } from './jobLocks';


/** Finished histories of every profile: each profile is a user of the trained model. */
async function finishedProfileHistories(): Promise<ProfileHistory[]> {
  const profiles = (await db.profiles.toArray()).filter((p) => p.historyFinishedAt !== null);
  return Promise.all(
    profiles.map(async (p) => ({
      profileId: p.id,
      historyChangedAt: p.historyChangedAt,
      movieIds: (await db.history.where('profileId').equals(p.id).toArray()).map((h) => h.movieId),
    })),
  );
}

/** The one training run of this tab, shared by the pages so that navigating away does not lose it. */
class TrainingJob {
  running = $state(false);
  phase = $state<'preparing' | 'training' | 'saving' | null>(null);
  backend = $state<string | null>(null);
  /** Why that backend: what 'auto' found, or why a requested one could not be used. */
  backendReason = $state<string | null>(null);
  progress = $state<BatchProgress | null>(null);
  epochs = $state.raw<EpochMetrics[]>([]);
  error = $state<string | null>(null);
  /** Another tab is training now: this one must wait. */
  elsewhere = $state(false);
  /** A training that was running when its tab closed, found afterwards. */
  interrupted = $state<string | null>(null);
  private current: RunningTraining | null = null;

  constructor() {
    // The worker writes a job record when it starts and deletes it when it saves; every tab sees it.
    liveQuery(() => db.jobs.get('training')).subscribe({
      next: async (job) => {
        if (!job || this.running) {
          this.elsewhere = false;
          return;
        }
        if (await isJobLockHeld(TRAINING_LOCK)) {
          this.elsewhere = true;
        } else {
          this.elsewhere = false;
          this.interrupted = `A training run (${job.description}) stopped when its tab closed. The previous model is kept; start again when you like.`;
          await db.jobs.delete('training');
        }
      },
    });
  }

  async start(datasetId: number, settings: NeuMFSettings, backend: TrainingBackend): Promise<void> {
    if (this.running) return;
    await withJobLock(TRAINING_LOCK, () => this.run(datasetId, settings, backend), () => {
      this.elsewhere = true;
      this.error = 'Training is already running in another tab. Wait for it to finish there.';
    });
  }

  private async run(datasetId: number, settings: NeuMFSettings, backend: TrainingBackend): Promise<void> {
    this.running = true;
    this.phase = 'preparing';
    this.error = null;
    this.progress = null;
    this.epochs = [];
    this.interrupted = null;
    try {
      const profiles = await finishedProfileHistories();
      const request = {
        data: { kind: 'dataset' as const, datasetId, profiles },
        settings: $state.snapshot(settings) as NeuMFSettings,
        evaluationNegatives: EVALUATION_NEGATIVES,
        save: true,
        backend,
      };
      this.current = startTraining(request, (event) => {
        if (event.type === 'started') {
          this.backend = event.backend;
          this.backendReason = event.reason;
          this.phase = 'training';
        } else if (event.type === 'batch') this.progress = event.progress;
        else if (event.type === 'epoch') this.epochs = [...this.epochs, event.metrics];
        else if (event.type === 'saving') this.phase = 'saving';
      });
      await this.current.result;
    } catch (error) {
      this.error = error instanceof TrainingFailed ? error.message : String(error);
      if (error instanceof TrainingFailed && error.cancelled) {
        await db.jobs.delete('training');
        const previous = await db.models.where('datasetId').equals(datasetId).count();
        this.error = previous > 0 ? 'Training cancelled. The previous model is kept.' : 'Training cancelled. Nothing was saved.';
      }
    } finally {
      this.running = false;
      this.phase = null;
      this.current = null;
    }
  }

  cancel(): void {
    this.current?.cancel();
  }
}

export const trainingJob = new TrainingJob();
