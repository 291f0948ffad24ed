import { liveQuery } from 'dexie';
import type { JobRecord } from '../../storage/db';
import { clearJobRecord, jobRecord, type JobKind } from '../../storage/jobStore';
import { isJobLockHeld, whenJobLockFree } from './jobLocks';

/**
 * Whether another tab runs a long job (an import, a training) of this kind, and the moment that
 * tab closes in the middle of it. The worker writes a job record when the job starts and deletes
 * it when the job ends; every tab sees the record. A record while another tab holds the job's lock
 * means "running elsewhere"; a record once the lock is free means its tab closed: that is reported
 * (once, by whichever tab sees it first) and the record removed.
 */
export class JobElsewhere {
  #elsewhere = $state(false);
  #watching = false;
  readonly #kind: JobKind;
  readonly #lock: string;
  readonly #runningHere: () => boolean;
  readonly #onInterrupted: (job: JobRecord) => void;

  constructor(kind: JobKind, lock: string, runningHere: () => boolean, onInterrupted: (job: JobRecord) => void) {
    this.#kind = kind;
    this.#lock = lock;
    this.#runningHere = runningHere;
    this.#onInterrupted = onInterrupted;
    liveQuery(() => jobRecord(kind)).subscribe({
      next: async (job) => {
        if (!job || runningHere()) {
          this.#elsewhere = false;
          return;
        }
        if (await isJobLockHeld(lock)) {
          this.#elsewhere = true;
          void this.#watchOtherTab();
        } else await this.#reportInterrupted();
      },
    });
  }

  /** True while another tab runs the job. */
  get elsewhere(): boolean {
    return this.#elsewhere;
  }

  /** This tab found the lock taken when it tried to start the job: another tab runs it, maybe before its record is written. */
  noticeBusy(): void {
    this.#elsewhere = true;
    void this.#watchOtherTab();
  }

  /**
   * Waits for the tab that runs the job to let go of the lock: when the job ends (its record is
   * gone by then) or when the tab closes in the middle, leaving the record behind, which is
   * reported here at once rather than at this tab's next start.
   */
  async #watchOtherTab(): Promise<void> {
    if (this.#watching) return;
    this.#watching = true;
    try {
      await whenJobLockFree(this.#lock);
      this.#elsewhere = false;
      if (!this.#runningHere()) await this.#reportInterrupted();
    } finally {
      this.#watching = false;
    }
  }

  async #reportInterrupted(): Promise<void> {
    const job = await jobRecord(this.#kind);
    this.#elsewhere = false;
    if (!job) return;
    await clearJobRecord(this.#kind);
    this.#onInterrupted(job);
  }
}
