import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { addFirstMatch, POPULAR_TITLES, RANKING_TIMEOUT, TRAINING_TIMEOUT } from './helpers';

/** Rows of an object store of the app's IndexedDB, read directly: what the app really saved. */
async function storeRows<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('reel');
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name).getAll();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as T[]);
          };
          request.onerror = () => reject(request.error);
        };
        open.onerror = () => reject(open.error);
      }),
    store,
  );
}

interface Row {
  profileId: number;
  movieId: number;
}

async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

async function recommendedIds(page: Page): Promise<number[]> {
  const ids = await page
    .getByTestId('recommendations')
    .getByTestId('movie')
    .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-movie-id'))));
  return ids;
}

test('a new user: profile, history, training, recommendations, watch-list, reload, rename, delete', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  page.on('dialog', (dialog) => dialog.accept());
  await page.goto('/');

  // Profiles: the start page while none is chosen; names are unique regardless of case.
  await expect(page.getByRole('heading', { name: 'Profiles' })).toBeVisible();
  await shot(page, testInfo, '1-profiles');
  await page.getByTestId('new-profile-name').fill('Ben');
  await page.getByRole('button', { name: 'Create profile' }).click();
  // A new profile goes straight to its history.
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  await page.goto('/#/profiles');
  await page.getByTestId('new-profile-name').fill(' ben ');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByTestId('profile-error')).toContainText('already a profile called "ben"');
  await page.getByTestId('new-profile-name').fill('Ana');
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByTestId('current-profile')).toHaveText('Ana');

  // History: search and add 20 movies; Finish only then.
  for (const [i, title] of POPULAR_TITLES.entries()) {
    await addFirstMatch(page, title);
    await expect(page.getByTestId('history-count')).toContainText(`${i + 1} seen`);
    if (i === 18) await expect(page.getByTestId('finish-history')).toBeDisabled();
  }
  await shot(page, testInfo, '2-history');
  await page.getByTestId('finish-history').click();

  // Train with small settings.
  await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
  await page.getByTestId('setting-epochs').fill('2');
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('training-progress')).toBeVisible();
  await expect(page.getByTestId('model-summary')).toBeVisible({ timeout: TRAINING_TIMEOUT });
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(3);
  await shot(page, testInfo, '3-train');

  // Saved and loaded back through tfjs IO, the model ranks exactly as it did when its best epoch was evaluated:
  // the Evaluate page with the training's candidate seed reproduces that epoch's figures to the last digit.
  const bestRow = page.getByTestId('epoch-table').locator('tr.best td');
  const bestHr = (await bestRow.nth(2).innerText()).trim();
  // It learned: a random ranking gets 0.10 (the untrained epoch 0 is about that).
  expect(Number(bestHr)).toBeGreaterThan(0.4);
  const bestNdcg = (await bestRow.nth(3).innerText()).trim();
  await page.goto('/#/evaluate');
  await page.getByTestId('run-evaluation').click();
  await expect(page.getByTestId('evaluation-result')).toContainText(`HR@10 ${bestHr} · NDCG@10 ${bestNdcg} over 610 users`, {
    timeout: RANKING_TIMEOUT,
  });

  const anaId = (await storeRows<{ id: number; name: string }>(page, 'profiles')).find((p) => p.name === 'Ana')!.id;
  const historyIds = async () =>
    new Set((await storeRows<Row>(page, 'history')).filter((h) => h.profileId === anaId).map((h) => h.movieId));
  const seen = await historyIds();
  expect(seen.size).toBe(20);

  // Recommend: top 10 of 100 random, then of the whole catalogue; never a movie already seen.
  await page.goto('/#/recommend');
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommendations').getByTestId('movie')).toHaveCount(10, { timeout: RANKING_TIMEOUT });
  await expect(page.getByTestId('recommend-info')).toContainText('Ranked 100 movies');
  const random = await recommendedIds(page);
  expect(random.filter((id) => seen.has(id))).toEqual([]);
  const confidences = await page.getByTestId('confidence').allInnerTexts();
  const values = confidences.map((c) => parseFloat(c));
  expect(values).toEqual([...values].sort((a, b) => b - a));

  await page.getByRole('tab', { name: /whole catalogue/ }).click();
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommend-info')).toContainText(/Ranked 9,\d{3} movies/, { timeout: RANKING_TIMEOUT });
  const whole = await recommendedIds(page);
  expect(whole).toHaveLength(10);
  expect(whole.filter((id) => seen.has(id))).toEqual([]);
  await shot(page, testInfo, '4-recommend');

  // Watch-list: add two, mark one watched: it moves into the history.
  const recommendations = page.getByTestId('recommendations');
  await recommendations
    .getByRole('button', { name: /to watch-list$/ })
    .first()
    .click();
  await expect(recommendations.getByRole('button', { name: /from watch-list$/ })).toHaveCount(1);
  await recommendations
    .getByRole('button', { name: /to watch-list$/ })
    .first()
    .click();
  await expect(recommendations.getByRole('button', { name: /from watch-list$/ })).toHaveCount(2);
  await page.goto('/#/watchlist');
  await expect(page.getByTestId('watchlist').getByTestId('movie')).toHaveCount(2);
  const watchedId = Number(await page.getByTestId('watchlist').getByTestId('movie').first().getAttribute('data-movie-id'));
  await shot(page, testInfo, '5-watchlist');
  await page
    .getByRole('button', { name: /^Watched / })
    .first()
    .click();
  await expect(page.getByTestId('watchlist').getByTestId('movie')).toHaveCount(1);
  expect((await historyIds()).has(watchedId)).toBe(true);

  // The history changed after training: recommendations fold the profile in instead of a full retrain.
  await page.goto('/#/recommend');
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommend-info')).toContainText('fold-in', { timeout: RANKING_TIMEOUT });
  const afterFoldIn = await recommendedIds(page);
  const seenNow = await historyIds();
  expect(afterFoldIn.filter((id) => seenNow.has(id))).toEqual([]);

  // Reload: everything is still there.
  await page.reload();
  await expect(page.getByTestId('current-profile')).toHaveText('Ana');
  await page.goto('/#/history');
  await expect(page.getByTestId('history-count')).toContainText('21 seen');
  await page.goto('/#/watchlist');
  await expect(page.getByTestId('watchlist').getByTestId('movie')).toHaveCount(1);
  await page.goto('/#/train');
  await expect(page.getByTestId('model-summary')).toBeVisible();
  await page.goto('/#/home');
  await shot(page, testInfo, '6-home');

  // Rename, then delete: Ana's data goes, Ben's stays.
  await page.goto('/#/profiles');
  await page.getByRole('button', { name: 'Rename Ana' }).click();
  await page.getByLabel('New name').fill('Ben');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('alert')).toContainText('already a profile');
  await page.getByLabel('New name').fill('Ana B');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('current-profile')).toHaveText('Ana B');
  const benId = (await storeRows<{ id: number; name: string }>(page, 'profiles')).find((p) => p.name === 'Ben')!.id;
  await page.getByRole('button', { name: 'Use Ben' }).click();
  await expect(page.getByRole('heading', { name: 'Hello, Ben' })).toBeVisible();
  await page.goto('/#/history');
  await addFirstMatch(page, 'Heat');
  await expect(page.getByTestId('history-count')).toContainText('1 seen');
  await page.goto('/#/profiles');
  await page.getByRole('button', { name: 'Delete Ana B' }).click();
  await expect(page.getByRole('button', { name: 'Delete Ana B' })).toHaveCount(0);
  const history = await storeRows<Row>(page, 'history');
  expect(history.filter((h) => h.profileId === anaId)).toEqual([]);
  expect(history.filter((h) => h.profileId === benId)).toHaveLength(1);
  expect((await storeRows<Row>(page, 'watchlist')).filter((w) => w.profileId === anaId)).toEqual([]);
  const models = await storeRows<{ profileUsers: { profileId: number }[] }>(page, 'models');
  expect(models.flatMap((m) => m.profileUsers.map((p) => p.profileId))).not.toContain(anaId);
  expect((await storeRows<{ profileId: number }>(page, 'profileVectors')).filter((v) => v.profileId === anaId)).toEqual([]);
  await shot(page, testInfo, '7-profiles-after-delete');
});
