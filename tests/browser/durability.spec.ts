import { expect, test } from '@playwright/test';
import { createProfileWithHistory, train, TRAINING_TIMEOUT, chooseTraining } from './helpers';

test('two tabs share profiles and never train at the same time', async ({ context }) => {
  const first = await context.newPage();
  await createProfileWithHistory(first, 'Ana');
  const second = await context.newPage();
  await second.goto('/#/profiles');
  // The other tab's profile is there, already in use (the active profile is shared by the tabs).
  await expect(second.getByTestId('profile-list')).toContainText('Ana');
  await expect(second.getByTestId('profile-in-use')).toBeVisible();

  await first.goto('/#/train');
  await chooseTraining(first, 6);
  await first.getByTestId('start-training').click();
  await expect(first.getByTestId('training-progress')).toBeVisible();

  // The other tab's Home says a run is on, not that the model is up to date.
  await second.goto('/#/');
  await expect(second.getByTestId('step-train')).toContainText('Training now in another tab');
  await second.goto('/#/train');
  await expect(second.getByTestId('training-elsewhere')).toBeVisible();
  await expect(second.getByTestId('start-training')).toBeDisabled();

  await expect(first.getByTestId('model-summary')).toBeVisible({ timeout: TRAINING_TIMEOUT });
  // The second tab sees the saved model and may train again.
  await expect(second.getByTestId('model-summary')).toBeVisible();
  await expect(second.getByTestId('start-training')).toBeEnabled();
});

test('cancelling once the classic models are saved says so, and they recommend', async ({ page }) => {
  await createProfileWithHistory(page, 'Ana');
  await page.goto('/#/train');
  await chooseTraining(page, 50, { baselines: true });
  await page.getByTestId('start-training').click();
  // NeuMF's epochs come after every classic model is fitted and saved.
  await expect(page.getByTestId('training-progress')).toContainText(/epoch \d+ of/i, { timeout: TRAINING_TIMEOUT });
  await page.getByTestId('cancel-training').click();
  await expect(page.getByTestId('training-error')).toHaveText(
    'Training cancelled. What it had finished is saved (Most popular, EASE, iALS) and recommends until you train again.',
  );
  await expect(page.getByTestId('model-summary')).toBeVisible();
});

test('a reload in the middle of training keeps the previous model and reports the interruption', async ({ page }) => {
  await createProfileWithHistory(page, 'Ana');
  await train(page, 1);
  const before = (await page.getByTestId('model-summary').textContent()) ?? '';

  await chooseTraining(page, 30);
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('training-progress')).toContainText('epoch', { timeout: TRAINING_TIMEOUT });
  await page.reload();

  await expect(page.getByRole('alert')).toContainText('stopped when its tab closed');
  await expect(page.getByTestId('model-summary')).toHaveText(before);
  await expect(page.getByTestId('epoch-table').locator('tbody tr')).toHaveCount(2);
});

test('closing the tab that trains frees the other tab at once, which says the run stopped', async ({ context }) => {
  const first = await context.newPage();
  await createProfileWithHistory(first, 'Ana');
  await first.goto('/#/train');
  await chooseTraining(first, 30);
  await first.getByTestId('start-training').click();
  await expect(first.getByTestId('training-progress')).toContainText('epoch', { timeout: TRAINING_TIMEOUT });

  const second = await context.newPage();
  // The other tab's Home says a run is on, not that the model is up to date.
  await second.goto('/#/');
  await expect(second.getByTestId('step-train')).toContainText('Training now in another tab');
  await second.goto('/#/train');
  await expect(second.getByTestId('training-elsewhere')).toBeVisible();
  await first.close();

  await expect(second.getByRole('alert')).toContainText('stopped when its tab closed');
  await expect(second.getByTestId('training-elsewhere')).toHaveCount(0);
  await expect(second.getByTestId('start-training')).toBeEnabled();
});
