import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { IMPORT_TIMEOUT, POPULAR_TITLES, RANKING_TIMEOUT, TRAINING_TIMEOUT } from './helpers';

/**
 * A person with only a keyboard, on a desktop and on a phone: from the first visit to recommendations
 * with Tab, Enter, Space, arrow keys and typing; focus lands on each new page's heading, the tab title
 * follows, and axe finds no WCAG A/AA violation on any page on the way (one trained model serves every check).
 */

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const { violations, passes } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  expect(passes.length, `axe ran its rules on ${where}`).toBeGreaterThan(10);
  const found = violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  expect(found, `axe on ${where}`).toEqual([]);
}

/** Presses Tab (or Shift+Tab) until `target` has the focus, as a person tabs through the page; fails if it never does. */
async function tabTo(page: Page, target: Locator, { back = false, most = 80 } = {}): Promise<void> {
  await expect(target).toBeVisible();
  for (let i = 0; i < most; i++) {
    if (await target.evaluate((node) => node === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${most} presses of ${back ? 'Shift+Tab' : 'Tab'} did not reach ${target}`);
}

async function press(page: Page, target: Locator, key = 'Enter', options: { back?: boolean } = {}): Promise<void> {
  await tabTo(page, target, options);
  await page.keyboard.press(key);
}

/** The page changed: its heading has the focus and the tab title names it. */
async function expectArrivedAt(page: Page, heading: string | RegExp, title: string): Promise<void> {
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeFocused();
  await expect(page).toHaveTitle(`${title} · Reel`);
  await expect(page.getByTestId('page-announcement')).toHaveText(`${title} page`);
}

/** Opens a page from the main navigation: the links on a desktop, the Menu button first on a phone. */
async function navigateTo(page: Page, name: string, phone: boolean): Promise<void> {
  if (phone) {
    const menu = page.getByTestId('menu-button');
    await press(page, menu, 'Enter', { back: true });
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
  }
  await press(page, page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }), 'Enter', { back: !phone });
}

for (const size of [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
]) {
  const phone = size.name === 'phone';

  test(`keyboard only on a ${size.name} (${size.width}×${size.height}): first visit to recommendations, axe on every page`, async ({
    page,
  }) => {
    test.setTimeout(TRAINING_TIMEOUT + 300_000);
    await page.setViewportSize({ width: size.width, height: size.height });

    // First visit: Profiles says what Reel does, and the navigation marks Profiles, the page shown.
    await page.goto('/');
    await expect(page.getByTestId('intro')).toContainText('Reel suggests movies');
    await expect(page).toHaveTitle('Profiles · Reel');
    await expect(page.getByTestId('current-profile')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('navigation', { name: 'Main' }).locator('[aria-current="page"]')).toHaveCount(0);
    if (phone) await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    await expectNoAxeViolations(page, 'Profiles, first visit');

    await tabTo(page, page.getByTestId('new-profile-name'));
    await page.keyboard.type('Kim');
    await page.keyboard.press('Enter');
    await expectArrivedAt(page, 'History', 'History');

    // History: the Search/Shuffle tabs move with the arrow keys.
    const search = page.getByTestId('movie-search');
    await expect(search).toBeVisible({ timeout: IMPORT_TIMEOUT });
    const searchTab = page.getByRole('tab', { name: 'Search' });
    await tabTo(page, searchTab);
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Shuffle' })).toBeFocused();
    await expect(page.getByRole('tab', { name: 'Shuffle' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'find-tab-shuffle');
    await page.keyboard.press('ArrowLeft');
    await expect(searchTab).toBeFocused();
    await expect(searchTab).toHaveAttribute('aria-selected', 'true');

    const results = page.getByTestId('search-results');
    for (const [i, title] of POPULAR_TITLES.entries()) {
      // Tabbing into the field selects what it holds, so typing replaces the last search.
      await tabTo(page, search, { back: i > 0 });
      await page.keyboard.type(title);
      await expect(results.getByTestId('movie').first()).toContainText(title);
      await press(page, results.getByRole('button', { name: /^Add / }).first());
      await expect(page.getByTestId('history-count')).toContainText(`${i + 1} seen`);
    }
    // On a phone the Seen list comes after a page of results: "Show them" goes straight to it (a desktop shows both).
    await expect(page.getByTestId('show-seen')).toHaveCount(phone ? 1 : 0);
    if (phone) {
      await press(page, page.getByTestId('show-seen'), 'Enter', { back: true });
      const seenHeading = page.getByRole('heading', { level: 2, name: `Seen (${POPULAR_TITLES.length})` });
      await expect(seenHeading).toBeFocused();
      await expect(seenHeading).toBeInViewport();
    }
    await expect(page.getByTestId('result-count')).toHaveAttribute('role', 'status');
    await expectNoAxeViolations(page, 'History');
    await press(page, page.getByTestId('finish-history'), 'Enter', { back: true });
    await expectArrivedAt(page, 'Train', 'Train');

    // Train: one epoch, no baselines (Advanced opens with Enter; Space ticks a box).
    await press(page, page.getByTestId('advanced-settings').locator('summary'));
    await tabTo(page, page.getByTestId('setting-epochs'));
    await page.keyboard.type('1');
    await expect(page.getByTestId('setting-epochs')).toHaveValue('1');
    const baselines = page.getByTestId('setting-baselines');
    if (await baselines.isChecked()) await press(page, baselines, 'Space');
    await expect(baselines).not.toBeChecked();
    await press(page, page.getByTestId('start-training'), 'Enter', { back: true });
    await expect(page.getByTestId('training-finished')).toBeVisible({ timeout: TRAINING_TIMEOUT });
    await expectNoAxeViolations(page, 'Train, after training');
    await press(page, page.getByTestId('see-recommendations'), 'Enter', { back: true });
    await expectArrivedAt(page, 'Recommend', 'Recommend');

    // Recommend: ten with a reason each; Seen it and Not for me take a film out and the list refills.
    const recommendations = page.getByTestId('recommendations');
    const movies = recommendations.getByTestId('movie');
    await expect(movies).toHaveCount(10, { timeout: RANKING_TIMEOUT });
    // The filters are folded on a phone (open, they filled its first screen) and open on a desktop; the summary says what they are.
    const filters = page.getByTestId('filters');
    await expect(filters).toHaveJSProperty('open', !phone);
    await expect(filters.locator('summary')).toHaveText('Filters: any genre, any year');
    await expect(movies.first().getByTestId('reason')).toContainText('Because you watched');
    await expectNoAxeViolations(page, 'Recommend');
    const seenId = await movies.first().getAttribute('data-movie-id');
    await press(page, movies.first().getByTestId('seen-it'));
    await expect(recommendations.locator(`[data-movie-id="${seenId}"]`)).toHaveCount(0);
    // Undo is offered; its message keeps to two lines at most, on a phone too (it wrapped a word a line).
    const undoMessage = page.getByTestId('undo-message');
    await expect(undoMessage).toHaveText(/ added to your history\.$/);
    expect((await undoMessage.boundingBox())!.height).toBeLessThan(50);
    await expect(movies).toHaveCount(10);
    await expect(recommendations.getByRole('button').first()).toBeFocused();
    const setAsideId = await movies.first().getAttribute('data-movie-id');
    await press(page, movies.first().getByTestId('not-for-me'));
    await expect(recommendations.locator(`[data-movie-id="${setAsideId}"]`)).toHaveCount(0);
    await expect(page.getByTestId('not-for-me-list')).toContainText('(1)');
    await press(page, movies.first().getByRole('button', { name: /to watch-list$/ }));
    await expect(movies.first().getByRole('button', { name: /from watch-list$/ })).toBeVisible();

    // Watch-list: Watched it, then Undo, by keyboard; the focus follows.
    await navigateTo(page, 'Watch-list', phone);
    await expectArrivedAt(page, 'Watch-list', 'Watch-list');
    await expectNoAxeViolations(page, 'Watch-list');
    const watchlist = page.getByTestId('watchlist').getByTestId('movie');
    await expect(watchlist).toHaveCount(1);
    await press(page, page.getByRole('button', { name: /^Watched / }));
    await expect(page.getByTestId('undo-message')).toContainText('moved to your history');
    await expect(page.getByTestId('undo')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(watchlist).toHaveCount(1);
    await expect(page.getByRole('button', { name: /^Watched / })).toBeFocused();
    await expect(page.getByTestId('undo-message')).toHaveCount(0);

    // Every other page with results.
    await navigateTo(page, 'Evaluate', phone);
    await expectArrivedAt(page, 'Evaluate', 'Evaluate');
    await expectNoAxeViolations(page, 'Evaluate');
    await navigateTo(page, 'Data', phone);
    await expectArrivedAt(page, 'Data', 'Data');
    await expectNoAxeViolations(page, 'Data');
    await navigateTo(page, 'Home', phone);
    await expectArrivedAt(page, 'Hello, Kim', 'Home');
    await expectNoAxeViolations(page, 'Home');

    // Profiles: rename by keyboard; the focus comes back to the Rename button; "In use" is a state.
    await press(page, page.getByTestId('current-profile'), 'Enter', { back: true });
    await expectArrivedAt(page, 'Profiles', 'Profiles');
    await expect(page.getByTestId('profile-in-use')).toHaveText('✓ In use');
    await press(page, page.getByRole('button', { name: 'Rename Kim' }));
    await page.keyboard.type('Kim B');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Rename Kim B' })).toBeFocused();
    await expectNoAxeViolations(page, 'Profiles');
  });
}

test('a copy built without its data set says so in words and offers the import', async ({ browser }) => {
  // The service worker would answer from its cache; here the server answers the data index as many hosts do: with the app page.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.route('**/datasets/index.json', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Reel</title>' }),
  );
  await page.goto('/');
  const notice = page.getByTestId('data-unavailable');
  await expect(notice).toContainText('This copy of Reel was built without its movie data set');
  await notice.getByRole('link', { name: 'Data page' }).click();
  await expect(page.getByRole('heading', { name: 'Import a MovieLens data set' })).toBeVisible();
  await context.close();
});
