import { expect, test, type Locator } from '@playwright/test';
import { chooseTraining, createProfileWithHistory, TRAINING_TIMEOUT } from './helpers';

/** "Expected: about 45 s …" / "about 3 min" / "about 1 h 20 min" → seconds. */
async function expectedSeconds(estimate: Locator): Promise<number> {
  const text = await estimate.innerText();
  const about = /about (?:(\d+) h )?(\d+) (s|min)/.exec(text);
  if (!about) throw new Error(`No duration in "${text}".`);
  const [, hours, amount, unit] = about;
  return Number(hours ?? 0) * 3600 + Number(amount) * (unit === 'min' ? 60 : 1);
}

test("the Train page measures how long training will take here, and measures again when a setting changes an epoch's cost", async ({
  page,
}) => {
  await createProfileWithHistory(page, 'Estimator');
  await page.goto('/#/train');
  const estimate = page.getByTestId('training-estimate');
  await expect(estimate).toContainText('Expected: about', { timeout: TRAINING_TIMEOUT });
  await chooseTraining(page, 20);
  const negatives = page.getByLabel('Negatives per positive');

  // Epochs do not change an epoch's cost: the estimate stands. Negatives do: it is measured again.
  await expect(estimate).toContainText('Expected: about');
  await negatives.fill('1');
  await expect(estimate).not.toContainText('Expected');
  await expect(estimate).toContainText('Expected: about', { timeout: TRAINING_TIMEOUT });
  const few = await expectedSeconds(estimate);

  // 65 rows a positive instead of 2: many times the work an epoch.
  await negatives.fill('64');
  await expect(estimate).not.toContainText('Expected');
  await expect(estimate).toContainText('Expected: about', { timeout: TRAINING_TIMEOUT });
  const many = await expectedSeconds(estimate);
  expect(many).toBeGreaterThan(3 * few);
});
