import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { chooseTraining, createProfileWithHistory, IMPORT_TIMEOUT, RANKING_TIMEOUT, TRAINING_TIMEOUT } from './helpers';
import { servePlainStatic } from './plainStaticHost';

test('the app is cross-origin isolated, and NeuMF trains on as many of the threads the Train page asks for as the data allow', async ({
  page,
}) => {
  const response = await page.goto('/');
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  await createProfileWithHistory(page, 'Tess');
  await chooseTraining(page, 1);
  // ml-latest-small and Tess: 611 users, so a batch of 1,024 allows two blocks (strataBlocksAtMost), not eight.
  await page.getByTestId('setting-threads').fill('8');
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('backend-reason')).toContainText(
    'Training on 2 threads sharing one model, each on its own users and movies at a time. Not 8: 611 users and',
    { timeout: TRAINING_TIMEOUT },
  );
  await expect(page.getByRole('heading', { name: "Training on this device's processor, 2 threads" })).toBeVisible();
  await expect(page.getByTestId('training-finished')).toBeVisible({ timeout: TRAINING_TIMEOUT });
  // By default what was scored and kept is the average of the weights over the epoch's last fifth.
  await expect(page.getByTestId('kept-epoch')).toContainText("its weights are averaged over about the last 0.2 of an epoch's updates");

  // Each epoch was evaluated on both threads (the average standing in for the weights); measured again on one
  // (the Evaluate page's worker), the kept epoch's figures are the same to the last digit: who scores which
  // users changes no score, and the weights kept are the ones scored.
  const neumfRow = page.getByTestId('model-row-neumf').locator('td');
  const [validation, sampled, full] = await Promise.all([0, 1, 2].map(async (k) => (await neumfRow.nth(k).innerText()).trim()));
  await page.goto('/#/evaluate');
  await page.getByTestId('measure-neumf').click();
  await expect(page.getByTestId('evaluation-result')).toContainText(
    `Validation NDCG@10 ${validation} · test HR@10 ${sampled} among 99 random, ${full} among all movies`,
    { timeout: RANKING_TIMEOUT },
  );
});

test('on a host that sends no isolation headers the service worker adds them: the page reloads once, at a change of page, says why, and loses nothing', async ({
  page,
}) => {
  const host = await servePlainStatic(resolve('dist'));
  try {
    const first = await page.goto(`${host.url}/#/data`);
    expect(first?.headers()['cross-origin-embedder-policy']).toBeUndefined();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);

    // The first visit's import is saved and over, and the service worker controls the page: still no
    // reload, since it would throw away whatever the person is doing on this page.
    await expect(page.getByTestId('stat-users')).toHaveText('610', { timeout: IMPORT_TIMEOUT });
    await expect(page.getByTestId('import-progress')).toHaveCount(0);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);

    // Changing page reloads it once, isolated, and it says why.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Train' }).click();
    await expect(page.getByTestId('isolation-reloaded')).toBeVisible({ timeout: IMPORT_TIMEOUT });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(page.getByRole('heading', { name: 'Train', level: 1 })).toBeVisible();
    await page.goto(`${host.url}/#/data`);
    await expect(page.getByTestId('stat-users')).toHaveText('610');
    await expect(page.getByText('All data sets')).toHaveCount(0);

    // Later loads are isolated from the start and say nothing more.
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // Once the app has rendered, no notice: the reload was said once.
    await expect(page.getByTestId('dataset-report')).toBeVisible();
    await expect(page.getByTestId('isolation-reloaded')).toHaveCount(0);
  } finally {
    await host.close();
  }
});
