/**
 * Names shared by the service worker (sw.ts) and the page (serviceWorker.ts): the runtime cache that keeps the provisioned MovieLens files for offline use.
 */
export const DATASETS_CACHE = 'reel-datasets';
/** Where the provisioned data sets are served, relative to the app's base URL. */
export const DATASETS_PATH = 'datasets/';
