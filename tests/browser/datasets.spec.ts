import { expect, test } from '@playwright/test';
import { join, resolve } from 'node:path';
import { createProfileWithHistory, IMPORT_TIMEOUT } from './helpers';

const SHARED = resolve(process.cwd(), '..', 'shared', 'data');

test('switching to a data set with other movie ids never shows unrelated movies in a history', async ({ page }) => {
  await createProfileWithHistory(page, 'Ana', false);
  await expect(page.getByRole('heading', { name: 'Seen (20)' })).toBeVisible();

  // ml-100k numbers its movies on its own: its 1 is Toy Story too, but its 50 is Star Wars, not ml-latest's 50.
  await page.goto('/#/data');
  await page.getByTestId('import-files').setInputFiles([join(SHARED, 'ml-100k', 'u.data'), join(SHARED, 'ml-100k', 'u.item')]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('stat-users')).toHaveText('943', { timeout: IMPORT_TIMEOUT });
  await expect(page.getByRole('heading', { name: 'Active data set: MovieLens 100K' })).toBeVisible();

  await page.goto('/#/history');
  await expect(page.getByTestId('history-count')).toContainText('20 seen');
  await expect(page.getByTestId('history-elsewhere')).toContainText('20 of them are not in this data set');
  await expect(page.getByRole('heading', { name: 'Seen (0)' })).toBeVisible();

  // Back on the first data set, the history is as it was.
  await page.goto('/#/data');
  await page
    .getByRole('row', { name: /MovieLens latest-small/ })
    .getByRole('button', { name: 'Use' })
    .click();
  await page.goto('/#/history');
  await expect(page.getByRole('heading', { name: 'Seen (20)' })).toBeVisible();
  await expect(page.getByTestId('history-elsewhere')).toHaveCount(0);
});
