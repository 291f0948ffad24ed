import { expect, test, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProfileWithHistory, IMPORT_TIMEOUT, recommendTen, train, TRAINING_TIMEOUT, chooseTraining } from './helpers';

/** The build `vite preview` serves (playwright.config.ts): where a "new deployment" is written. */
const DIST = resolve(process.env.REEL_DIST ?? 'dist');

/** A service worker installs, or updates, in the background: its states are waited for up to this long. */
const SERVICE_WORKER_TIMEOUT = 30_000;

/** Resolves once a service worker controls the page (the first install claims it). */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: SERVICE_WORKER_TIMEOUT });
}

/** The provisioned MovieLens files are in the runtime cache: the default data set imports offline. */
async function waitForDatasetsCached(page: Page): Promise<void> {
  await page.waitForFunction(
    async () => {
      const cache = await caches.open('reel-datasets');
      const urls = ['datasets/index.json', 'datasets/ml-latest-small/ratings.csv', 'datasets/ml-latest-small/movies.csv'];
      const found = await Promise.all(urls.map((u) => cache.match(new URL(u, document.baseURI))));
      return found.every(Boolean);
    },
    undefined,
    { timeout: SERVICE_WORKER_TIMEOUT, polling: 250 },
  );
}

/**
 * A new deployment while `during` runs: the server has a different service worker script, and the
 * page looks for updates. Playwright cannot route the browser's own service worker update requests,
 * so the served file itself changes (and is put back afterwards).
 */
async function withNewDeployment(page: Page, during: () => Promise<void>): Promise<void> {
  const swFile = join(DIST, 'sw.js');
  const original = readFileSync(swFile, 'utf8');
  const served = await (await page.request.get(new URL('sw.js', page.url()).href)).text();
  expect(served, `the preview server does not serve ${DIST} (set REEL_DIST)`).toBe(original);
  writeFileSync(swFile, `${original}\n// the next build\n`);
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await during();
  } finally {
    writeFileSync(swFile, original);
  }
}

/** The state of the service worker waiting to take over, or null when none waits. */
async function waitingWorkerState(page: Page): Promise<string | null> {
  return page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);
}

async function report(page: Page): Promise<Record<string, number | string>> {
  return JSON.parse((await page.getByTestId('dataset-report').getAttribute('data-report')) ?? '{}');
}

test('is installable: a manifest with icons, and a service worker', async ({ page }) => {
  await page.goto('./');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifestResponse = await page.request.get(new URL(href ?? '', page.url()).href);
  const manifest = await manifestResponse.json();
  expect(manifest).toMatchObject({
    name: 'Reel',
    short_name: 'Reel',
    display: 'standalone',
    start_url: './',
    scope: './',
    theme_color: '#1c1b22',
    background_color: '#141318',
  });
  const icons = manifest.icons as { src: string; sizes: string; purpose: string; type: string }[];
  expect(icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
  for (const icon of icons.filter((i) => i.type === 'image/png')) {
    const png = await page.request.get(new URL(icon.src, manifestResponse.url()).href);
    expect(png.headers()['content-type']).toBe('image/png');
    const [width, height] = [(await png.body()).readUInt32BE(16), (await png.body()).readUInt32BE(20)];
    expect(`${width}x${height}`).toBe(icon.sizes);
  }
  await waitForServiceWorker(page);
});

test('after one online visit, the app loads and imports offline', async ({ page, context }) => {
  await page.goto('./#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  const online = await report(page);
  await waitForServiceWorker(page);
  await waitForDatasetsCached(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('dataset-report')).toBeVisible();
  expect(await report(page)).toEqual(online);

  // Imports offline too: with no data set saved, the app imports the provisioned one from the cache.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        // The app's Dexie connection closes itself when another asks to delete the database.
        const request = indexedDB.deleteDatabase('reel');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
      }),
  );
  await page.reload();
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  expect(await report(page)).toMatchObject({ rows: online.rows, users: online.users, train: online.train, test: online.test });
});

test('offline, the app trains and recommends', async ({ page, context }) => {
  await createProfileWithHistory(page, 'Ana');
  await waitForServiceWorker(page);

  await context.setOffline(true);
  await page.reload();
  await train(page, 1);
  await recommendTen(page);
});

test('a new version waits for "Reload to update", then takes over', async ({ page }) => {
  await page.goto('./#/data');
  await waitForServiceWorker(page);
  await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
  await withNewDeployment(page, async () => {
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('A new version of Reel is ready', { timeout: SERVICE_WORKER_TIMEOUT });
    // It waits for the person: no reload by itself, and the new version stays waiting...
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    expect(await waitingWorkerState(page)).toBe('installed');

    // ...also across a later visit: the old version still serves, and the waiting one is offered again.
    // (Only skipWaiting, which the prompt's button sends, makes a waiting version take over.)
    await page.reload();
    await expect(prompt).toContainText('A new version of Reel is ready');
    expect(await waitingWorkerState(page)).toBe('installed');

    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload to update' }).click();
    await reloaded;
  });
  expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBeUndefined();
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  const state = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return { waiting: registration?.waiting ?? null, controlled: navigator.serviceWorker.controller !== null };
  });
  expect(state).toEqual({ waiting: null, controlled: true });
});

test('an update never interrupts a training run', async ({ page }) => {
  await createProfileWithHistory(page, 'Ana');
  await waitForServiceWorker(page);
  await chooseTraining(page, 50);
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('training-progress')).toContainText(/epoch \d+ of/i, { timeout: TRAINING_TIMEOUT });

  await withNewDeployment(page, async () => {
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('A new version of Reel is ready', { timeout: SERVICE_WORKER_TIMEOUT });
    await expect(page.getByTestId('update-blocked')).not.toBeEmpty();
    await expect(prompt.getByRole('button', { name: 'Reload to update' })).toBeDisabled();

    await page.getByTestId('cancel-training').click();
    await expect(page.getByTestId('update-blocked')).toHaveCount(0);
    await expect(prompt.getByRole('button', { name: 'Reload to update' })).toBeEnabled();
  });
});
