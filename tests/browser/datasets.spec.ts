import { expect, test } from '@playwright/test';
import { join, resolve } from 'node:path';
import { createProfileWithHistory, IMPORT_TIMEOUT } from './helpers';

const SHARED = resolve(process.cwd(), '..', 'shared', 'data');

test('switching to a data set with other movie ids never shows unrelated movies in a history, and finds the same films by title', async ({
  page,
}) => {
  await createProfileWithHistory(page, 'Ana');
  await page.goto('/#/history');
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
  await expect(page.getByText('None of them in this data set yet.')).toBeVisible();

  // Training here could not learn Ana's taste, and the Train page says so before it starts.
  await page.goto('/#/train');
  await expect(page.getByTestId('history-not-here')).toContainText('None of the 20 movies in your history is in MovieLens 100K');
  // The same films are in ml-100k under its own numbers (those up to 1998): History finds them by title and year.
  await page.goto('/#/history');
  const mark = page.getByTestId('mark-found-here');
  await expect(mark).toHaveText(/^Mark the \d+ found here by title and year$/);
  const found = Number((await mark.textContent())!.replace(/\D+/g, ''));
  expect(found).toBeGreaterThanOrEqual(10);
  expect(found).toBeLessThan(20);
  await mark.click();
  await expect(page.getByRole('heading', { name: `Seen (${found})` })).toBeVisible();
  // One film marked in two data sets counts once.
  await expect(page.getByTestId('history-count')).toContainText('20 seen');
  await expect(page.getByTestId('history-elsewhere')).toContainText(`${20 - found} of them are not in this data set`);
  await expect(mark).toHaveCount(0);
  // The others are named, as ml-latest-small lists them.
  const notFound = page.getByTestId('history-not-found');
  await expect(notFound.locator('summary')).toHaveText(`The ${20 - found} films of your history that MovieLens 100K does not have`);
  await notFound.locator('summary').click();
  await expect(notFound.getByRole('listitem')).toHaveCount(20 - found);
  await expect(notFound.getByRole('listitem').first()).toHaveText(/\(\d{4}\)$/);
  await page.goto('/#/');
  await expect(page.getByTestId('step-history')).toHaveText('20 marked · finished');
  await page.goto('/#/train');
  await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
  await expect(page.getByTestId('history-not-here')).toHaveCount(0);

  // Back on the first data set, the history is as it was.
  await page.goto('/#/data');
  await page
    .getByRole('row', { name: /MovieLens latest-small/ })
    .getByRole('button', { name: 'Use' })
    .click();
  await page.goto('/#/history');
  await expect(page.getByRole('heading', { name: 'Seen (20)' })).toBeVisible();
  await expect(page.getByTestId('history-count')).toContainText('20 seen');
  await expect(page.getByTestId('history-elsewhere')).toHaveCount(0);
  await expect(page.getByTestId('history-not-found')).toHaveCount(0);
});
