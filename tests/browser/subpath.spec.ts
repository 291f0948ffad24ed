import { expect, test } from '@playwright/test';
import { SUBPATH_PORT } from './ports';

/** Built with REEL_BASE=/reel/ and served under /reel/ (see playwright.config.ts): everything resolves below it. */
const ORIGIN = `http://127.0.0.1:${SUBPATH_PORT}`;
const SUBPATH = `${ORIGIN}/reel/`;

test('hosted under a sub-path, the app imports its data set, runs its workers and registers its service worker there', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === ORIGIN && !url.pathname.startsWith('/reel/')) outside.push(url.pathname);
  });
  await page.goto(`${SUBPATH}#/data`);
  await expect(page.getByTestId('stat-users')).toHaveText('610', { timeout: 60_000 });
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(SUBPATH);
  const manifest = await page.evaluate(() => (document.querySelector('link[rel="manifest"]') as HTMLLinkElement | null)?.href);
  expect(manifest?.startsWith(SUBPATH)).toBe(true);
  expect(outside).toEqual([]);
});
