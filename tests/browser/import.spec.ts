import { expect, test, type Page } from '@playwright/test';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SHARED = resolve(process.cwd(), '..', 'shared', 'data');

async function report(page: Page): Promise<Record<string, number | string>> {
  const json = await page.getByTestId('dataset-report').getAttribute('data-report');
  return JSON.parse(json ?? '{}');
}

test('first visit imports ml-latest-small by itself, and it survives a reload', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: 60_000 });
  const first = await report(page);
  expect(first.format).toBe('grouplens-csv');
  expect(first.rows).toBe(100836);
  expect(first.skipped_rows).toBe(0);
  expect(first.users).toBe(610);
  expect(first.dropped_users).toBe(0);
  // One held-out interaction per kept user; together with training they are all distinct ratings.
  expect(first.test).toBe(first.users);
  expect(Number(first.train) + Number(first.test)).toBe(100836);
  // Movies with a training interaction: fewer than the 9,724 rated ones (some were only ever someone's latest).
  expect(Number(first.movies)).toBeGreaterThan(9000);
  expect(Number(first.movies)).toBeLessThanOrEqual(9724);

  await page.reload();
  await expect(page.getByTestId('dataset-report')).toBeVisible();
  expect(await report(page)).toEqual(first);
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
});

test('imports ml-100k from loose files and a wrong file keeps what was saved', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: 60_000 });
  const before = await report(page);

  const dir = mkdtempSync(join(tmpdir(), 'reel-'));
  const bogus = join(dir, 'ratings.csv');
  writeFileSync(bogus, 'name,price\napple,3\n');
  await page.getByTestId('import-files').setInputFiles([bogus, join(SHARED, 'ml-latest-small', 'movies.csv')]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-error')).toContainText('ratings.csv has the wrong columns');
  expect(await report(page)).toEqual(before);

  await page.getByTestId('import-files').setInputFiles([join(SHARED, 'ml-100k', 'u.data'), join(SHARED, 'ml-100k', 'u.item')]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('stat-users')).toHaveText('943', { timeout: 60_000 });
  const after = await report(page);
  expect(after).toMatchObject({ format: 'ml-100k', rows: 100000, users: 943, test: 943, train: 100000 - 943 });
  await expect(page.getByText('All data sets')).toBeVisible();
});
