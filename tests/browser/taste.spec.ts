import { expect, test } from '@playwright/test';
import { inTaste, listedMovies, makeTasteProfile, TASTE_PROFILES } from '../../scripts/lib/tasteProfiles.mjs';
import { IMPORT_TIMEOUT, RANKING_TIMEOUT, train } from './helpers';

// Two opposite tastes, made through the UI as a person would (docs/BENCHMARKS.md, "Taste").
const profiles = TASTE_PROFILES.filter((p) => p.name === 'Horror' || p.name === 'Pixar and Disney');

test('profiles with a clear taste get top 10s in that taste, and opposite profiles share almost nothing', async ({ page }) => {
  await page.goto('/#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: IMPORT_TIMEOUT });
  for (const profile of profiles) await makeTasteProfile(page, profile);
  // The baselines too: the Recommend page ranks with whichever model predicts validation best.
  await train(page, 1, { baselines: true });

  const lists: Set<number>[] = [];
  for (const profile of profiles) {
    await page.goto('/#/profiles');
    await page.getByRole('button', { name: `Use ${profile.name}` }).click();
    await expect(page.getByRole('heading', { name: `Hello, ${profile.name}` })).toBeVisible();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recommend' }).click();
    const list = page.getByTestId('recommendations');
    await expect(list.getByTestId('movie')).toHaveCount(10, { timeout: RANKING_TIMEOUT });
    const movies = await listedMovies(list);
    const history = new Set(profile.movies.map(([, movieId]) => movieId));
    expect(movies.filter((movie) => history.has(movie.movieId))).toEqual([]);
    expect(
      movies.filter((movie) => inTaste(profile.taste, movie)).length,
      `${profile.name}: ${JSON.stringify(movies)}`,
    ).toBeGreaterThanOrEqual(7);
    lists.push(new Set(movies.map((movie) => movie.movieId)));
  }
  const shared = [...lists[0]].filter((movieId) => lists[1].has(movieId));
  expect(shared.length).toBeLessThanOrEqual(1);

  // Home quotes the recommending model's figures at the epoch (or λ) it kept, as the Evaluate page lists them.
  await page.goto('/#/evaluate');
  const recommending = page.getByTestId('model-comparison').locator('tbody tr.chosen');
  const testHr = (await recommending.locator('td').nth(1).textContent())?.trim();
  expect(testHr).toMatch(/^0\.\d{3}$/);
  await page.goto('/#/');
  await expect(page.getByTestId('step-train')).toContainText(`(HR@10 ${testHr})`);
});
