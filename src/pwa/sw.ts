/// <reference lib="webworker" />
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import { DATASETS_CACHE, DATASETS_PATH } from './cacheNames';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './contentSecurityPolicy';

/**
 * The service worker (built by vite-plugin-pwa's injectManifest from this file; the page's side is
 * serviceWorker.ts). The app shell, every JS/CSS/worker chunk and the WebAssembly are precached, so
 * the app starts, trains and ranks offline; the data sets are large and optional, so they are cached
 * at run time.
 */
declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

/**
 * Everything the worker serves from its precache carries the cross-origin isolation headers
 * (contentSecurityPolicy.ts), whatever the host sent when it was cached: a static host that cannot
 * set headers still gets SharedArrayBuffer, so training on several threads, from the second load on
 * (serviceWorker.ts reloads the first visit once, when nothing is running). Opaque responses cannot
 * be rewritten and are passed on as they are (the app loads nothing cross-origin).
 */
const crossOriginIsolation: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => {
    if (response.type === 'opaque' || response.type === 'opaqueredirect') return response;
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION_HEADERS)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  },
};

// A new version waits for the person to press "Reload to update": the page sends SKIP_WAITING then.
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
// Control the page on first install, so the first visit already works offline (updates still wait).
clientsClaim();
addPlugins([crossOriginIsolation]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

const datasets = `${self.registration.scope}${DATASETS_PATH}`;
// The list of provisioned data sets can change with a new deployment: network first. A host's HTML fallback is not the manifest.
registerRoute(
  ({ url }) => url.href === `${datasets}index.json`,
  new NetworkFirst({
    cacheName: DATASETS_CACHE,
    networkTimeoutSeconds: 5,
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      {
        cacheWillUpdate: async ({ response }) =>
          (response.headers.get('content-type') ?? '').toLowerCase().includes('json') ? response : null,
      },
    ],
  }),
);
// The MovieLens files never change under the same name. Served from the cache the page fills with
// checked files (datasetFiles.ts); the service worker adds nothing to it.
registerRoute(
  ({ url }) => url.href.startsWith(datasets),
  new CacheFirst({ cacheName: DATASETS_CACHE, plugins: [{ cacheWillUpdate: async () => null }] }),
);
