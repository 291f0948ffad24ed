/**
 * What the page knows about the service worker, as Svelte state. Only `serviceWorker.ts` writes it;
 * `UpdatePrompt.svelte` shows it.
 */
class UpdateState {
  /** A new version is installed and waiting: it takes over only when the person asks. */
  updateReady = $state(false);
  /** SKIP_WAITING was sent; the page reloads when the new version controls it. */
  applying = $state(false);
  /** Another tab applied an update: this tab still runs the old code until it reloads. */
  updatedElsewhere = $state(false);
}

export const updateState = new UpdateState();
