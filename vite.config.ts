/// <reference types="vitest/config" />
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { CROSS_ORIGIN_ISOLATION_HEADERS, CSP_META, SECURITY_HEADERS } from './src/pwa/contentSecurityPolicy.ts';

// The base path is a build setting so the app can be hosted under a sub-path
// (static hosts often require it): REEL_BASE=/reel/ npm run build.
const base = process.env.REEL_BASE ?? './';

/** Where index.html wants the policy: first in <head>, before anything it governs. */
const CSP_PLACEHOLDER = '<!-- Content-Security-Policy: added at build time (vite.config.ts) -->';

/**
 * Puts the Content-Security-Policy into the built index.html and writes `_headers` (Netlify,
 * Cloudflare Pages) with it. Build only: the dev server injects styles and its client inline.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'reel-content-security-policy',
    apply: 'build',
    transformIndexHtml(html) {
      if (!html.includes(CSP_PLACEHOLDER)) throw new Error(`index.html lost its CSP placeholder: ${CSP_PLACEHOLDER}`);
      return html.replace(CSP_PLACEHOLDER, `<meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`);
    },
    generateBundle() {
      const headers = Object.entries(SECURITY_HEADERS).map(([name, value]) => `  ${name}: ${value}`);
      this.emitFile({ type: 'asset', fileName: '_headers', source: ['/*', ...headers, ''].join('\n') });
    },
  };
}

/**
 * A build carries the data set the app imports on its first visit (public/datasets/, git-ignored). Without
 * it the app would have no catalogue, so the build provisions it first (`npm run data`), or stops and says why.
 */
function provisionedData(): Plugin {
  return {
    name: 'reel-provisioned-data',
    apply: 'build',
    buildStart() {
      if (existsSync(fileURLToPath(new URL('./public/datasets/index.json', import.meta.url)))) return;
      this.info('no data set in public/datasets/: provisioning it (npm run data)');
      try {
        execFileSync(process.execPath, [fileURLToPath(new URL('./scripts/provision-data.mjs', import.meta.url))], { stdio: 'inherit' });
      } catch {
        this.error(
          'No movie data set to build with, and `npm run data` could not provision one (see above). Put ml-latest-small in ' +
            'MOVIELENS_DIR or ../shared/data/, or allow its download from GroupLens, then build again.',
        );
      }
    },
  };
}

export default defineConfig({
  base,
  plugins: [
    svelte(),
    provisionedData(),
    contentSecurityPolicy(),
    VitePWA({
      // A new version waits for the person to press "Reload to update" (src/pwa/serviceWorker.ts
      // registers it with workbox-window), so nothing is injected into the page.
      registerType: 'prompt',
      injectRegister: false,
      // The icons are precached by globPatterns already.
      includeManifestIcons: false,
      manifest: {
        id: './',
        name: 'Reel',
        short_name: 'Reel',
        description: 'Movie recommendations trained on your own device. No server, no account.',
        lang: 'en',
        categories: ['entertainment'],
        theme_color: '#1c1b22',
        background_color: '#141318',
        display: 'standalone',
        // Relative to the manifest, which sits at the base: works under any sub-path.
        start_url: './',
        scope: './',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      // The service worker is src/pwa/sw.ts (it adds the cross-origin isolation headers, which
      // generateSW cannot); the plugin compiles it and injects the precache list.
      strategies: 'injectManifest',
      srcDir: 'src/pwa',
      filename: 'sw.ts',
      injectManifest: {
        // The app shell, every JS/CSS/worker chunk and the WebAssembly; the data sets are cached at run time.
        globPatterns: ['**/*.{html,js,css,wasm,svg,png}'],
        globIgnores: ['datasets/**'],
        // tfjs chunks are ~1.7 MB; the default (2 MiB) would silently leave the larger ones out.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // The dev server injects inline styles and scripts, so it sends no CSP; it does isolate (SharedArrayBuffer for training threads).
  server: { port: 5173, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { port: 4173, headers: SECURITY_HEADERS },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
