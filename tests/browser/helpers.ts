import { expect, type Page } from '@playwright/test';

export const POPULAR_TITLES = [
  'Toy Story', 'Matrix', 'Pulp Fiction', 'Forrest Gump', 'Shawshank Redemption', 'Jurassic Park', 'Titanic', 'Fight Club',
  'Godfather', 'Braveheart', 'Aladdin', 'Lion King', 'Terminator 2', 'Alien', 'Fargo', 'Apollo 13', 'Gladiator',
  'Memento', 'Schindler', 'Silence of the Lambs',
];

/** Creates a profile through the page and adds 20 movies by searching their titles, as a person would. */
export async function createProfileWithHistory(page: Page, name: string, finish = true): Promise<void> {
  await page.goto('/#/profiles');
  await page.getByTestId('new-profile-name').fill(name);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  for (const [i, title] of POPULAR_TITLES.entries()) {
    await page.getByTestId('movie-search').fill(title);
    await page.getByTestId('search-results').getByRole('button', { name: /^Add / }).first().click();
    await expect(page.getByTestId('history-count')).toContainText(`${i + 1} seen`);
  }
  if (finish) {
    await page.getByTestId('finish-history').click();
    await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
  }
}

/** "Top 10 of 100 random" from the Recommend page, reached through the menu as a person would. */
export async function recommendTen(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recommend' }).click();
  await page.getByTestId('recommend').click();
  await expect(page.getByTestId('recommendations').getByTestId('movie')).toHaveCount(10);
}

/** Trains from the Train page with few epochs and waits for the saved model. */
export async function train(page: Page, epochs: number): Promise<void> {
  await page.goto('/#/train');
  await page.getByTestId('setting-epochs').fill(String(epochs));
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('model-summary')).toBeVisible({ timeout: 120_000 });
}
