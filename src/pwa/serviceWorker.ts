import { Workbox } from 'workbox-window';
import { DATASETS_CACHE, DATASETS_PATH } from './cacheNames';
import { datasetFileProblem, isManifestResponse } from './datasetFiles';
import { updateState } from './updateState.svelte';

/**
 * The page's one door to the service worker (the worker itself is src/pwa/sw.ts, built by
 * vite-plugin-pwa). A new version never takes over by itself: it waits until the person presses
 * "Reload to update", and not while something the app runs (a training run) would be cut short.
 */

export { updateState };

/** Why a waiting update must not be applied now, as the prompt shows it, or null when it may. */
export type UpdateBlocker = () => string | null;

let blocker: UpdateBlocker = () => null;
let workbox: Workbox | null = null;

/** Session storage: 'reloaded' right after the one reload for isolation, 'done' once it has been said; absent before. */
const ISOLATION_RELOAD_KEY = 'reel-isolation-reload';

/**
 * Sets what can hold an update back. If the function reads Svelte state (e.g. the training job),
 * `updateBlockedReason()` is reactive wherever it is read in a component or `$derived`.
 */
export function setUpdateBlocker(fn: UpdateBlocker | null): void {
  blocker = fn ?? (() => null);
}

export function updateBlockedReason(): string | null {
  return blocker();
}

/** The app's base URL (`./` or a sub-path such as `/reel/`) as an absolute URL. */
function baseUrl(): URL {
  return new URL(import.meta.env.BASE_URL, document.baseURI);
}

/**
 * Registers the service worker: production builds only (dev serves modules Vite rewrites on the
 * fly, which must not be cached) and only where the browser has service workers. Safe to call twice.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || workbox || !('serviceWorker' in navigator)) return;
  const base = baseUrl();
  workbox = new Workbox(new URL('sw.js', base).href, { scope: base.href });
  // Also fires on load when a new version was already waiting from an earlier visit.
  workbox.addEventListener('waiting', () => {
    updateState.newVersionWaiting();
  });
  let controlled = navigator.serviceWorker.controller !== null;
  noteIsolationReload();
  if (controlled) askForIsolationReload();
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // A first install takes control of an uncontrolled page (clientsClaim): its code did not change,
    // but from now on its responses carry the isolation headers, so one reload gives it every core.
    // A controlled page that did not ask for the change was updated from another tab.
    if (controlled && !updateState.applying) updateState.updatedInAnotherTab();
    if (!controlled) askForIsolationReload();
    controlled = true;
  });
  workbox.register().then(
    () => keepDatasetsForOffline(base),
    (error: unknown) => console.warn('Reel: the service worker could not be registered; the app works, but not offline.', error),
  );
}

/**
 * A page the service worker controls but that is not cross-origin isolated was loaded before the
 * worker took over (the first visit to a host that sends no COOP/COEP headers, or a reload that
 * bypassed the worker): it trains on one thread until it reloads. Asked for once a session, so a
 * browser that will not isolate a page never reloads in a loop.
 */
function askForIsolationReload(): void {
  if (!globalThis.crossOriginIsolated && sessionStorage.getItem(ISOLATION_RELOAD_KEY) === null) updateState.wantIsolationReload();
}

/** The reload for isolation: UpdatePrompt.svelte does it at the next change of page that cuts nothing short. */
export function reloadForIsolation(): void {
  sessionStorage.setItem(ISOLATION_RELOAD_KEY, 'reloaded');
  location.reload();
}

/** After that reload the page says why it reloaded, once. */
function noteIsolationReload(): void {
  if (sessionStorage.getItem(ISOLATION_RELOAD_KEY) !== 'reloaded') return;
  sessionStorage.setItem(ISOLATION_RELOAD_KEY, 'done');
  updateState.showReloadedForIsolation(globalThis.crossOriginIsolated);
}

/**
 * Applies a waiting update: the new service worker takes over and the page reloads once it controls
 * it. Returns the reason it must wait instead (nothing happens then), or null.
 */
export function applyUpdate(): string | null {
  const reason = blocker();
  if (reason !== null) return reason;
  if (!updateState.updateReady) {
    if (updateState.updatedElsewhere) location.reload();
    return null;
  }
  if (!workbox || updateState.applying) return null;
  updateState.applyingUpdate();
  // The page reloads once the new version controls it (the `controlling` moment; listened to on
  // the container, so it also works for a version that was already waiting when the page loaded).
  navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
  workbox.messageSkipWaiting();
  return null;
}

interface ProvisionedIndex {
  datasets?: { files?: { path?: unknown; size?: unknown }[] }[];
}

/**
 * Puts the provisioned MovieLens files into the service worker's runtime cache, so the default data
 * set can be imported again offline. The first visit imports before the service worker controls
 * the page, so those downloads did not pass through it. Files already cached are not fetched again;
 * only files the manifest lists, of the size it lists, are kept (datasetFiles.ts).
 */
async function keepDatasetsForOffline(base: URL): Promise<void> {
  try {
    const index = new URL(`${DATASETS_PATH}index.json`, base);
    const response = await fetch(index);
    if (!isManifestResponse(response)) return;
    const manifest = (await response.clone().json()) as ProvisionedIndex;
    const cache = await caches.open(DATASETS_CACHE);
    await cache.put(index, response);
    const files = (manifest.datasets ?? []).flatMap((d) => d.files ?? []);
    for (const { path, size } of files) {
      if (typeof path !== 'string') continue;
      const url = new URL(`${DATASETS_PATH}${path}`, base);
      if (await cache.match(url)) continue;
      const file = await fetch(url);
      const problem = datasetFileProblem(path, typeof size === 'number' ? size : undefined, file);
      if (problem === null) await cache.put(url, file);
      else console.warn(`Reel: not kept for offline use: ${problem}.`);
    }
  } catch (error) {
    // Offline right now, or storage is full: the app still works online; try again next visit.
    console.warn('Reel: could not keep the data set files for offline use.', error);
  }
}
