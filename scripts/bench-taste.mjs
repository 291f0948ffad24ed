#!/usr/bin/env node
// npm run bench:taste [-- --epochs N]
// Does a profile with a clear taste get recommendations in that taste? Drives the production build in headless
// Chromium as a person would: on ml-latest-small it makes the contrasting profiles of scripts/lib/tasteProfiles.mjs
// (each movie found through the History page's search), trains every model from the Train page (its defaults unless
// --epochs is given), then reads each profile's whole-catalogue top 10 from the Recommend page for every model.
// Prints one JSON line per profile and model: {profile, model, in_taste (of 10), top10} and one
// line per model with the overlap (movies in common) of every pair of profiles' lists.
import { expect } from '@playwright/test';
import { launchChromium, serveBuild } from './lib/browser.mjs';
import { inTaste, listedMovies, makeTasteProfile, TASTE_PROFILES } from './lib/tasteProfiles.mjs';

const args = process.argv.slice(2);
const epochsArg = args.indexOf('--epochs') >= 0 ? Number(args[args.indexOf('--epochs') + 1]) : null;
const LONG = { timeout: 60 * 60_000 };

async function trainEveryModel(page) {
  await page.goto('#/train');
  if (epochsArg !== null) {
    await page.getByTestId('advanced-settings').locator('summary').click();
    await page.getByTestId('setting-epochs').fill(String(epochsArg));
  }
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('training-finished')).toBeVisible(LONG);
}

/** The profile's whole-catalogue top 10 for each model the Recommend page offers: { label: movies }. */
async function topTens(page, profile) {
  await page.goto('#/profiles');
  await page.getByRole('button', { name: `Use ${profile.name}` }).click();
  // Using a profile opens Home; from there the menu, as a person would.
  await expect(page.getByRole('heading', { name: `Hello, ${profile.name}` })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recommend' }).click();
  const list = page.getByTestId('recommendations');
  await expect(list.getByTestId('movie')).toHaveCount(10, { timeout: 120_000 });
  const choice = page.getByTestId('model-choice');
  const options = await choice.locator('option').evaluateAll((nodes) => nodes.map((o) => ({ value: o.value, label: o.textContent })));
  const lists = {};
  for (const option of options.filter((o) => o.value !== 'best')) {
    await choice.selectOption(option.value);
    await expect(page.getByTestId('ranked-by')).toHaveText(option.label.trim(), { timeout: 120_000 });
    await expect(list).toHaveAttribute('aria-busy', 'false');
    await expect(list.getByTestId('movie')).toHaveCount(10);
    lists[option.value] = await listedMovies(list);
  }
  await choice.selectOption('best');
  return lists;
}

const server = await serveBuild();
const browser = await launchChromium();
let exitCode = 0;
let page;
try {
  page = await browser.newPage({ baseURL: server.url });
  await page.goto('#/data');
  await expect(page.getByTestId('dataset-report')).toBeVisible({ timeout: 120_000 });
  for (const profile of TASTE_PROFILES) await makeTasteProfile(page, profile);
  await trainEveryModel(page);
  const byModel = {};
  for (const profile of TASTE_PROFILES) {
    const lists = await topTens(page, profile);
    for (const [model, movies] of Object.entries(lists)) {
      (byModel[model] ??= {})[profile.name] = movies;
      console.log(
        JSON.stringify({
          profile: profile.name,
          model,
          in_taste: movies.filter((movie) => inTaste(profile.taste, movie)).length,
          top10: movies.map((movie) => `${movie.title} (${movie.year})`),
        }),
      );
    }
  }
  for (const [model, lists] of Object.entries(byModel)) {
    const names = Object.keys(lists);
    const overlap = {};
    for (const [i, a] of names.entries())
      for (const b of names.slice(i + 1)) {
        const ids = new Set(lists[a].map((movie) => movie.movieId));
        overlap[`${a} / ${b}`] = lists[b].filter((movie) => ids.has(movie.movieId)).length;
      }
    console.log(JSON.stringify({ model, overlap }));
  }
} catch (error) {
  console.log(JSON.stringify({ error: String(error.message ?? error) }));
  // What the page showed, to see why.
  if (page)
    console.error(
      await page
        .locator('main')
        .innerText()
        .catch(() => ''),
    );
  exitCode = 1;
} finally {
  await browser.close();
  await server.close();
}
process.exit(exitCode);
