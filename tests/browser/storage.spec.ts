import { expect, test, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';
import { createProfileWithHistory, IMPORT_TIMEOUT, train, TRAINING_TIMEOUT, chooseTraining } from './helpers';

const SHARED = resolve(process.cwd(), '..', 'shared', 'data');

/** What a full disk does to IndexedDB: writes into `stores` fail with the QuotaExceededError a full disk gives. */
function fillTheDisk(stores: string[]): void {
  for (const method of ['add', 'put'] as const) {
    const original = IDBObjectStore.prototype[method];
    IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
      if (stores.includes(this.name)) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    };
  }
}

/**
 * A full disk in the workers whose script name contains `workerName`: their script is served with
 * `fillTheDisk` in front of it, so the disk is full from the worker's first line on. (Patching a
 * worker once it runs raced with its writes: a worker busy training ran the patch too late, and
 * its save went through.) The service worker is blocked so that the script comes from the server.
 */
async function failWritesInWorkers(page: Page, workerName: string, stores: string[]): Promise<void> {
  await page.route(
    (url) => url.pathname.includes(workerName) && url.pathname.endsWith('.js'),
    async (route) => {
      // A worker ended while its script loads (the Train page stops its duration estimate when a training
      // starts) takes its request with it, and serving it fails: nothing is left to patch then. A worker
      // that runs always gets the patched script (were it served unpatched, the save would succeed and the
      // test fail on its own assertions).
      try {
        const response = await route.fetch();
        await route.fulfill({ response, body: `(${fillTheDisk.toString()})(${JSON.stringify(stores)});\n${await response.text()}` });
      } catch {
        // the request went with its worker
      }
    },
  );
}

test.use({ serviceWorkers: 'block' });

test('an import that hits a full disk says so and keeps the saved data set', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  const before = await page.getByTestId('dataset-report').getAttribute('data-report');
  await failWritesInWorkers(page, 'import.worker', ['splits', 'movies']);
  await page.getByTestId('import-files').setInputFiles([join(SHARED, 'ml-100k', 'u.data'), join(SHARED, 'ml-100k', 'u.item')]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-error')).toContainText('ran out of storage space', { timeout: IMPORT_TIMEOUT });
  await expect(page.getByTestId('dataset-report')).toHaveAttribute('data-report', before!);
  await page.reload();
  await expect(page.getByTestId('dataset-report')).toHaveAttribute('data-report', before!);
  await expect(page.getByText('All data sets')).toHaveCount(0);
});

test('a model save that hits a full disk says so and keeps the previous model', async ({ page }) => {
  await createProfileWithHistory(page, 'Ana');
  await train(page, 1);
  const before = (await page.getByTestId('model-summary').textContent()) ?? '';
  await failWritesInWorkers(page, 'train.worker', ['models']);
  await chooseTraining(page, 2);
  await page.getByTestId('start-training').click();
  // The error shows when the run ends, after its 2 epochs: the wait is bounded by a training's time.
  await expect(page.getByTestId('training-error')).toContainText('ran out of storage space', { timeout: TRAINING_TIMEOUT });
  await expect(page.getByTestId('model-summary')).toHaveText(before);
  await page.reload();
  await expect(page.getByTestId('model-summary')).toHaveText(before);
});

test('a full disk on the pages says so in words, with no unhandled rejection, and changes nothing', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The disk fills when the test says so: every write of the page into these stores fails as a full disk does.
  await page.addInitScript(() => {
    for (const method of ['add', 'put'] as const) {
      const original = IDBObjectStore.prototype[method];
      IDBObjectStore.prototype[method] = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
        if ((window as { reelDiskFull?: boolean }).reelDiskFull && this.name !== 'jobs')
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return original.apply(this, args);
      };
    }
  });
  await page.goto('/#/profiles');
  await page.getByTestId('new-profile-name').fill('Ana');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await page.evaluate(() => ((window as { reelDiskFull?: boolean }).reelDiskFull = true));

  // Add to history: no page waits for this click's answer.
  await page.getByTestId('movie-search').fill('Toy Story');
  const results = page.getByTestId('search-results');
  await expect(results.getByTestId('movie').first()).toContainText('Toy Story');
  await results.getByRole('button', { name: /^Add / }).first().click();
  await expect(page.getByTestId('storage-failure')).toContainText('ran out of storage space');
  await expect(page.getByTestId('history-count')).toContainText('0 seen');

  // Create profile: the page's own error line, in words.
  await page.goto('/#/profiles');
  await page.getByTestId('new-profile-name').fill('Ben');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByTestId('profile-error')).toContainText('ran out of storage space');
  await expect(page.getByTestId('profile-error')).not.toContainText('QuotaExceeded');
  await expect(page.getByRole('button', { name: 'Use Ben' })).toHaveCount(0);
  expect(errors).toEqual([]);
});
