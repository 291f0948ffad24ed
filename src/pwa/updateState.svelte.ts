/**
 * What the page knows about the service worker, as Svelte state. `serviceWorker.ts` reports what
 * happens through the methods; `UpdatePrompt.svelte` shows it.
 */
class UpdateState {
  #updateReady = $state(false);
  #applying = $state(false);
  #updatedElsewhere = $state(false);

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
