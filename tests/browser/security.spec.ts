import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recommendTen, train } from './helpers';

const HOSTILE_TITLE = '<img src=x onerror="window.__xss=1">';
const HOSTILE_GENRE = '<svg onload=window.__xss=2>';
const MOVIES = 300;
const USERS = 15;
const RATED_PER_USER = 40;

/**
 * A small MovieLens data set (movies.csv + ratings.csv) whose first movie has a title and a genre
 * made to run script if anything rendered them as HTML. Every user rates that movie first (so it
 * stays in training: each user's latest rating is held out) and then a window of 40 others; the
 * windows overlap, so every movie has training interactions.
 */
function writeHostileDataset(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'reel-hostile-'));
  const csvField = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const movies = ['movieId,title,genres', `1,${csvField(HOSTILE_TITLE)},${csvField(`${HOSTILE_GENRE}|Drama`)}`];
  for (let m = 2; m <= MOVIES; m++) movies.push(`${m},Plain Movie ${m} (2001),${m % 2 ? 'Comedy' : 'Drama'}`);
  const ratings = ['userId,movieId,rating,timestamp'];
  for (let u = 1; u <= USERS; u++) {
    ratings.push(`${u},1,4.0,${1_000_000 + u * 1000}`);
    for (let k = 0; k < RATED_PER_USER; k++) ratings.push(`${u},${((u * 20 + k) % (MOVIES - 1)) + 2},4.0,${1_000_000 + u * 1000 + k + 1}`);
  }
  writeFileSync(join(dir, 'movies.csv'), movies.join('\n'));
  writeFileSync(join(dir, 'ratings.csv'), ratings.join('\n'));
  return [join(dir, 'ratings.csv'), join(dir, 'movies.csv')];
}

/** Every request the page, its workers or the service worker make that is not to the test server. */
function watchForeignRequests(context: BrowserContext): string[] {
  const foreign: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.hostname !== '127.0.0.1') foreign.push(request.url());
  });
  return foreign;
}

/** CSP violations the page reports (workers log theirs to the console, also collected). */
async function watchCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.exposeFunction('__reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __reportCspViolation(text: string): void }).__reportCspViolation(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber}) ${event.sample}`,
      );
    });
  });
  return violations;
}

async function importHostileDataset(page: Page): Promise<void> {
  // ?no-default-data: the provisioned MovieLens set is not needed here.
  await page.goto('./?no-default-data#/data');
  await page.getByTestId('import-files').setInputFiles(writeHostileDataset());
  await page.getByTestId('start-import').click();
  await expect(page.getByTestId('stat-users')).toHaveText(String(USERS), { timeout: 30_000 });
  await expect(page.getByTestId('stat-movies')).toHaveText(String(MOVIES));
}

async function createProfile(page: Page, name: string): Promise<void> {
  await page.goto('./?no-default-data#/profiles');
  await page.getByTestId('new-profile-name').fill(name);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
}

test('the app is served with a strict Content-Security-Policy, as a header and in the page', async ({ page }) => {
  const response = await page.goto('./');
  const header = response?.headers()['content-security-policy'] ?? '';
  const meta = (await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
  for (const policy of [header, meta]) {
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(policy).toContain("connect-src 'self';");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain("'unsafe-eval'");
    expect(policy).toContain("style-src 'self';");
    expect(policy).not.toContain("'unsafe-inline'");
  }
  expect(header).toContain("frame-ancestors 'none'");
  // A worker's policy comes from its own script's response, not from the page: every script carries it.
  const entry = new URL((await page.locator('script[type="module"]').getAttribute('src')) ?? '', page.url()).href;
  const workerFiles = [...new Set((await (await page.request.get(entry)).text()).match(/[\w-]+\.worker-[\w-]+\.js/g))];
  expect(workerFiles.length).toBeGreaterThanOrEqual(3);
  const workerUrls = workerFiles.map((file) => new URL(file, entry).href);
  for (const url of [new URL('sw.js', page.url()).href, ...workerUrls]) {
    expect((await page.request.get(url)).headers()['content-security-policy'], url).toBe(header);
  }
});

test('a hostile movie title is shown as text, runs nothing, and nothing leaves the machine', async ({ page, context }) => {
  const foreign = watchForeignRequests(context);
  const violations = await watchCspViolations(page);
  await importHostileDataset(page);
  await createProfile(page, 'Eve');

  await page.getByTestId('movie-search').fill('onerror');
  const results = page.getByTestId('search-results');
  await expect(results.getByText(HOSTILE_TITLE, { exact: true })).toBeVisible();
  await expect(results.getByText(HOSTILE_GENRE, { exact: false })).toBeVisible();
  await results.getByRole('button', { name: `Add ${HOSTILE_TITLE} to history` }).click();
  await expect(page.getByTestId('history-list').getByText(HOSTILE_TITLE, { exact: true })).toBeVisible();

  // Nothing of it became markup.
  await expect(page.locator('main img, main svg')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(violations).toEqual([]);
  expect(foreign).toEqual([]);
});

test('a profile file from elsewhere is checked and imported; the app trains and recommends under its CSP', async ({ page, context }) => {
  const foreign = watchForeignRequests(context);
  const violations = await watchCspViolations(page);
  await importHostileDataset(page);
  await createProfile(page, 'Ana');
  await page.goto('./?no-default-data#/profiles');

  const dir = mkdtempSync(join(tmpdir(), 'reel-profile-'));
  const notAProfile = join(dir, 'notes.json');
  writeFileSync(notAProfile, JSON.stringify({ hello: 'world' }));
  await page.getByTestId('profile-import-file').setInputFiles(notAProfile);
  await expect(page.getByTestId('profile-import-error')).toContainText('not a Reel profile');

  // Ana's history from another browser: 21 movies of this data set and one it lacks.
  const history = Array.from({ length: 21 }, (_, i) => ({ movieId: i + 1, addedAt: 1_700_000_000_000 + i }));
  const profileFile = join(dir, 'ana.json');
  writeFileSync(
    profileFile,
    JSON.stringify({
      format: 'reel-profile',
      version: 1,
      name: 'Ana',
      exportedAt: new Date().toISOString(),
      history: [...history, { movieId: 99_999, title: 'Only Elsewhere (2030)', addedAt: 1_700_000_000_100 }],
      watchlist: [{ movieId: 250, addedAt: 1_700_000_000_200 }],
    }),
  );
  await page.getByTestId('profile-import-file').setInputFiles(profileFile);
  await expect(page.getByTestId('profile-import-duplicate')).toContainText('already a profile called “Ana”');
  await page.getByRole('button', { name: "Import as 'Ana (2)'" }).click();
  const result = page.getByTestId('profile-import-result');
  await expect(result).toContainText('Imported “Ana (2)”: 21 movies seen, 1 on the watch-list.');
  await expect(result).toContainText('1 movie is not in the active data set and was skipped: Only Elsewhere (2030).');

  // Exported again, it carries the titles (the hostile one as plain text).
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Ana (2)' }).click();
  const saved = await download;
  expect(saved.suggestedFilename()).toMatch(/^reel-profile-ana-2-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(readFileSync((await saved.path())!, 'utf8'));
  expect(exported).toMatchObject({ format: 'reel-profile', version: 1, name: 'Ana (2)' });
  expect(exported.history).toHaveLength(21);
  expect(exported.history[0]).toEqual({ movieId: 1, title: HOSTILE_TITLE, addedAt: 1_700_000_000_000 });

  await page.getByRole('button', { name: 'Use Ana (2)' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
  await expect(page.getByTestId('history-count')).toContainText('21 seen');
  await page.getByTestId('finish-history').click();
  await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
  await train(page, 1);
  await recommendTen(page);

  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(violations).toEqual([]);
  expect(foreign).toEqual([]);
});
