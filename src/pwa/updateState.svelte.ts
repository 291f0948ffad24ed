/**
 * What the page knows about the service worker, as Svelte state. `serviceWorker.ts` reports what
 * happens through the methods; `UpdatePrompt.svelte` shows it.
 */
class UpdateState {
  #updateReady = $state(false);
  #applying = $state(false);
  #updatedElsewhere = $state(false);
  #isolationReloadWanted = $state(false);
  #reloadedForIsolation = $state(false);

  /** A new version is installed and waiting: it takes over only when the person asks. */
  get updateReady(): boolean {
    return this.#updateReady;
  }

  /** SKIP_WAITING was sent; the page reloads when the new version controls it. */
  get applying(): boolean {
    return this.#applying;
  }

  /** Another tab applied an update: this tab still runs the old code until it reloads. */
  get updatedElsewhere(): boolean {
    return this.#updatedElsewhere;
  }

  /**
   * The service worker, which adds the cross-origin isolation headers this host does not send
   * (sw.ts), controls the page now, but the page was loaded without them: one reload isolates it.
   */
  get isolationReloadWanted(): boolean {
    return this.#isolationReloadWanted;
  }

  /** This load is that reload, and it worked: the page says why it reloaded. */
  get reloadedForIsolation(): boolean {
    return this.#reloadedForIsolation;
  }

  wantIsolationReload(): void {
    this.#isolationReloadWanted = true;
  }

  showReloadedForIsolation(shown: boolean): void {
    this.#reloadedForIsolation = shown;
  }

  newVersionWaiting(): void {
    this.#updateReady = true;
  }

  applyingUpdate(): void {
    this.#applying = true;
  }

  updatedInAnotherTab(): void {
    this.#updatedElsewhere = true;
  }
}

export const updateState = new UpdateState();
