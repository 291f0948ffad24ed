import { expect, test } from '@playwright/test';
import { chooseTraining, createProfileWithHistory, TRAINING_TIMEOUT } from './helpers';

test('the app is cross-origin isolated, and NeuMF trains on the threads the Train page asks for', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  await createProfileWithHistory(page, 'Tess');
  await chooseTraining(page, 1);
  await page.getByTestId('setting-threads').fill('2');
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('backend-reason')).toContainText('Training on 2 threads sharing one model', { timeout: TRAINING_TIMEOUT });
  await expect(page.getByRole('heading', { name: /Training on .* on 2 threads/ })).toBeVisible();
  await expect(page.getByTestId('training-finished')).toBeVisible({ timeout: TRAINING_TIMEOUT });
});
