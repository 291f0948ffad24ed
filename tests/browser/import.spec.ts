import { expect, test, type Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { IMPORT_TIMEOUT, storeRows } from './helpers';
import { declaringSize } from '../zipArchives';

const SHARED = resolve(process.cwd(), '..', 'shared', 'data');

async function report(page: Page): Promise<Record<string, number | string>> {
  const json = await page.getByTestId('dataset-report').getAttribute('data-report');
  return JSON.parse(json ?? '{}');
}

test('first visit imports ml-latest-small by itself, and it survives a reload', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  const first = await report(page);
  expect(first.format).toBe('grouplens-csv');
  expect(first.rows).toBe(100836);
  expect(first.skipped_rows).toBe(0);
  expect(first.users).toBe(610);
  expect(first.dropped_users).toBe(0);
  // One held-out test interaction per kept user, a validation one per user with 3 or more (all of them here);
  // together with training they are all distinct ratings.
  expect(first.test).toBe(first.users);
  expect(first.validation).toBe(first.users);
  expect(Number(first.train) + Number(first.validation) + Number(first.test)).toBe(100836);
  // Movies with a training interaction: fewer than the 9,724 rated ones (some were only ever someone's latest).
  expect(Number(first.movies)).toBeGreaterThan(9000);
  expect(Number(first.movies)).toBeLessThanOrEqual(9724);

  await page.reload();
  await expect(page.getByTestId('dataset-report')).toBeVisible();
  expect(await report(page)).toEqual(first);
  await expect(page.getByTestId('import-progress')).toHaveCount(0);
});

test('the Data page warns before an import that will not fit the memory the device reports', async ({ page }) => {
  // A 256 MB device, as Chromium reports its smallest: even ml-latest-small's ~0.31 GB estimate is more than a tab gets.
  await page.addInitScript(() => Object.defineProperty(navigator, 'deviceMemory', { value: 0.25 }));
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  await expect(page.getByTestId('import-fit')).toHaveCount(0);
  await page
    .getByTestId('import-files')
    .setInputFiles(['ratings.csv', 'movies.csv', 'links.csv'].map((f) => join(SHARED, 'ml-latest-small', f)));
  await expect(page.getByTestId('import-fit')).toHaveText(
    'This import needs about 0.31 GB of memory; this device reports 0.25 GB, and a tab can count on about half. Use a device with more memory.',
  );
  // A warning, not a block: the estimate is uncertain and storage is plentiful.
  await expect(page.getByTestId('start-import')).toBeEnabled();
});

test('imports ml-100k from loose files and a wrong file keeps what was saved', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  const before = await report(page);

  const dir = mkdtempSync(join(tmpdir(), 'reel-'));
  const bogus = join(dir, 'ratings.csv');
  writeFileSync(bogus, 'name,price\napple,3\n');
  await page.getByTestId('import-files').setInputFiles([bogus, join(SHARED, 'ml-latest-small', 'movies.csv')]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-error')).toContainText('ratings.csv has the wrong columns', { timeout: IMPORT_TIMEOUT });
  expect(await report(page)).toEqual(before);
  await expect(page.getByTestId('import-done')).toHaveCount(0);

  // Files that cannot be a data set are refused as soon as they are chosen, and the last import's error goes with them.
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'not ratings\n');
  await page.getByTestId('import-files').setInputFiles([notes]);
  await expect(page.getByTestId('import-error')).toHaveCount(0);
  await expect(page.getByTestId('import-files-missing')).toContainText(
    'No ratings file found in notes.txt. Expected ratings.csv + movies.csv',
  );
  await expect(page.getByTestId('start-import')).toBeDisabled();

  // As a whole folder is chosen: the files the import does not read are named as such.
  await page.getByTestId('import-files').setInputFiles(['u.data', 'u.item', 'u.genre', 'README'].map((f) => join(SHARED, 'ml-100k', f)));
  await expect(page.getByTestId('import-files-missing')).toHaveCount(0);
  await expect(page.getByTestId('import-chosen')).toContainText('ratings); not read: u.genre, README');
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('stat-users')).toHaveText('943', { timeout: IMPORT_TIMEOUT });
  const after = await report(page);
  expect(after).toMatchObject({ format: 'ml-100k', rows: 100000, users: 943, validation: 943, test: 943, train: 100000 - 2 * 943 });
  await expect(page.getByTestId('import-done')).toHaveText(
    `Imported “MovieLens 100K”: 100,000 ratings of 943 users on ${Number(after.movies).toLocaleString('en')} movies. It is the active data set now: once a profile has marked the movies it has seen, train on it to get recommendations from it.`,
  );
  await expect(page.getByTestId('import-done').getByRole('link', { name: 'train on it' })).toHaveAttribute('href', '#/train');
  // The file field is emptied with the import done: "2 files" beside the result would read as chosen for the next one.
  await expect(page.getByTestId('import-files')).toHaveValue('');
  await expect(page.getByText('All data sets')).toBeVisible();

  // The same data set as GroupLens ships it, a zip with a folder inside, imported while another is active.
  await page
    .getByRole('row', { name: /MovieLens latest-small/ })
    .getByRole('button', { name: 'Use' })
    .click();
  await expect(page.getByRole('heading', { name: 'Active data set: MovieLens latest-small' })).toBeVisible();
  const zipPath = join(dir, 'ml-100k.zip');
  const folder = join(SHARED, 'ml-100k');
  writeFileSync(
    zipPath,
    zipSync({
      'ml-100k/u.data': readFileSync(join(folder, 'u.data')),
      'ml-100k/u.item': readFileSync(join(folder, 'u.item')),
      'ml-100k/README': strToU8('readme'),
    }),
  );
  await page.getByTestId('import-files').setInputFiles(zipPath);
  // Files chosen for the next import: the last one's line would read as theirs, so it goes until that import is done.
  await expect(page.getByTestId('import-done')).toHaveCount(0);
  await page.getByTestId('start-import').click();
  // The same ratings: no second copy; the first one is active again.
  await expect(page.getByTestId('import-done')).toContainText('These ratings were imported already, as “MovieLens 100K”', {
    timeout: IMPORT_TIMEOUT,
  });
  await expect(page.getByRole('row', { name: /MovieLens 100K \(active\)/ })).toBeVisible();
  await expect(page.locator('#all-heading + table tbody tr')).toHaveCount(2);
  expect(await report(page)).toMatchObject({ format: 'ml-100k', users: 943, test: 943 });
  // Another data set used: the line that calls this one active goes.
  await page
    .getByRole('row', { name: /MovieLens latest-small/ })
    .getByRole('button', { name: 'Use' })
    .click();
  await expect(page.getByTestId('import-done')).toHaveCount(0);
});

/** A ratings file big enough (3M rows) that an import is still running when the test interrupts it. */
function writeLargeMl1m(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'reel-large-'));
  const lines: string[] = [];
  for (let u = 1; u <= 30000; u++) for (let m = 1; m <= 100; m++) lines.push(`${u}::${m}::4::${u * 1000 + m}`);
  writeFileSync(join(dir, 'ratings.dat'), lines.join('\n'));
  writeFileSync(join(dir, 'movies.dat'), Array.from({ length: 100 }, (_, i) => `${i + 1}::Movie ${i + 1} (2000)::Drama`).join('\n'));
  return [join(dir, 'ratings.dat'), join(dir, 'movies.dat')];
}

test('cancelling an import, or closing the tab in the middle, leaves the saved data set as it was', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  const before = await report(page);
  const files = writeLargeMl1m();

  await page.getByTestId('import-files').setInputFiles(files);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel import' }).click();
  await expect(page.getByTestId('import-error')).toContainText('Import cancelled');
  expect(await report(page)).toEqual(before);

  await page.getByTestId('import-files').setInputFiles(files);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-progress')).toContainText('rows', { timeout: IMPORT_TIMEOUT });
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('was interrupted');
  await expect(page.getByTestId('dataset-report')).toBeVisible();
  expect(await report(page)).toEqual(before);
  await expect(page.getByText('All data sets')).toHaveCount(0);
});

test('a small zip that inflates past the movies file limit is refused while it inflates, and nothing saved changes', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  const before = await report(page);
  // ~70 MB of movie rows in a zip of some 100 KB, whose header says 1,000 bytes: only inflating tells.
  const movies = strToU8(`movieId,title,genres\n${'1,A (2000),Drama\n'.repeat(4_400_000)}`);
  const zip = zipSync({ 'bomb/ratings.csv': readFileSync(join(SHARED, 'ml-latest-small', 'ratings.csv')), 'bomb/movies.csv': movies });
  const dir = mkdtempSync(join(tmpdir(), 'reel-'));
  const bomb = join(dir, 'bomb.zip');
  writeFileSync(bomb, declaringSize(zip, 'bomb/movies.csv', 1000));
  await page.getByTestId('import-files').setInputFiles(bomb);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-error')).toContainText('movies.csv is larger than 64 MB', { timeout: IMPORT_TIMEOUT });
  expect(await report(page)).toEqual(before);
});

test('a data set too small to evaluate is refused, saying how small', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  const before = await report(page);
  const dir = mkdtempSync(join(tmpdir(), 'reel-'));
  writeFileSync(join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,4.0,2\n');
  writeFileSync(join(dir, 'movies.csv'), 'movieId,title,genres\n1,A (2000),Drama\n2,B (2001),Drama\n');
  await page.getByTestId('import-files').setInputFiles([join(dir, 'ratings.csv'), join(dir, 'movies.csv')]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('import-error')).toContainText('too small to train and evaluate on: its ratings cover 2 movies');
  expect(await report(page)).toEqual(before);
});

test('ids past 2^31 − 1 import exactly, and the Data page says why broken rows were skipped', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  // Users 2^32 apart would be one user in a 32-bit column; movie ids past 2^40.
  const user = (k: number) => k * 2 ** 32 + 5;
  const movie = (m: number) => 2 ** 40 + m;
  const rows: string[] = [];
  for (let k = 1; k <= 10; k++) for (let j = 0; j < 30; j++) rows.push(`${user(k)},${movie((k * 12 + j) % 120)},4.0,${j}`);
  // Three broken rows, and one of a movie the movies file does not list.
  rows.push('0x10,1,4.0,1', `${user(1)},${movie(1)},4.0,1e2`, `${user(2)},${movie(2)}`, `${user(3)},${movie(999)},4.0,5`);
  const dir = mkdtempSync(join(tmpdir(), 'reel-'));
  writeFileSync(join(dir, 'ratings.csv'), ['userId,movieId,rating,timestamp', ...rows].join('\n'));
  const movies = Array.from({ length: 120 }, (_, m) => `${movie(m)},Film ${m} (2000),Drama`);
  writeFileSync(join(dir, 'movies.csv'), ['movieId,title,genres', ...movies].join('\n'));
  await page.getByTestId('import-files').setInputFiles([join(dir, 'ratings.csv'), join(dir, 'movies.csv')]);
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('stat-users')).toHaveText('10', { timeout: IMPORT_TIMEOUT });
  await expect(page.getByTestId('stat-movies')).toHaveText('120');
  await expect(page.getByTestId('skip-reasons')).toHaveText(
    '1 with missing fields, 2 with ids or timestamps not written as whole numbers in digits',
  );
  await expect(page.getByRole('row', { name: /Rows read/ })).toContainText(
    '4 skipped (3 broken: 1 with missing fields, 2 with ids or timestamps not written as whole numbers in digits; 1 of movies the movies file does not list)',
  );
  const saved = await storeRows<{ title: string; movieId: number }>(page, 'movies');
  expect(saved.find((m) => m.title === 'Film 7')?.movieId).toBe(movie(7));
});

test('closing the tab that imports frees the other tab at once, which says the import was interrupted', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  for (const page of [first, second]) {
    await page.goto('/#/data');
    await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  }
  const before = await report(second);
  const files = writeLargeMl1m();
  await first.getByTestId('import-files').setInputFiles(files);
  await first.getByTestId('start-import').click();
  await expect(second.getByTestId('import-elsewhere')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  await second.getByTestId('import-files').setInputFiles(files);
  await expect(second.getByTestId('start-import')).toBeDisabled();
  await first.close();

  await expect(second.getByRole('alert')).toContainText('was interrupted (its tab closed)');
  await expect(second.getByTestId('import-elsewhere')).toHaveCount(0);
  await expect(second.getByTestId('start-import')).toBeEnabled();
  expect(await report(second)).toEqual(before);
});
