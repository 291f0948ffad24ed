import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/lib/chromium.mjs';
import { APP_PORT, SUBPATH_PORT } from './tests/browser/ports';

/**
 * Browser tests run against the production build (vite preview) in Debian's Chromium:
 * Playwright never downloads a browser here. WebGL2 comes from SwiftShader in headless mode.
 */

export default defineConfig({
  testDir: 'tests/browser',
  timeout: 600_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${APP_PORT}/`,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
    trace: 'retain-on-failure',
  },
  webServer: [
    {
      command: `npx vite preview --port ${APP_PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${APP_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      // The same app built for a sub-path, as static hosts often need (tests/browser/subpath.spec.ts).
      command: `REEL_BASE=/reel/ npx vite build --outDir dist-subpath --logLevel error && REEL_BASE=/reel/ npx vite preview --outDir dist-subpath --port ${SUBPATH_PORT} --strictPort --host 127.0.0.1`,
      url: `http://127.0.0.1:${SUBPATH_PORT}/reel/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
  ],
});
