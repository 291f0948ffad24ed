import { expect, type Page } from '@playwright/test';

/**
 * How long a test waits for the state that ends real work in the app: a saved model, an imported
 * data set, a ranking. Tests wait for that state, never for a time; these only bound the wait, and
 * are generous because the machine running the suite may be busy with other work (a training run
 * of 2 epochs takes 4 s alone and much longer beside a build).
 */
export const TRAINING_TIMEOUT = 300_000;
export const IMPORT_TIMEOUT = 60_000;
/** The first ranking of a page loads the model into the ranking worker before it scores. */
export const RANKING_TIMEOUT = 30_000;

export const POPULAR_TITLES = [
  'Toy Story',
  'Matrix',
  'Pulp Fiction',
  'Forrest Gump',
  'Shawshank Redemption',
  'Jurassic Park',
  'Titanic',
  'Fight Club',
  'Godfather',
  'Braveheart',
  'Aladdin',
  'Lion King',
  'Terminator 2',
  'Alien',
  'Fargo',
  'Apollo 13',
  'Gladiator',
  'Memento',
  'Schindler',
  'Silence of the Lambs',
];

/**
 * Searches a title on the History page and adds the first match. The results follow the typing, so
 * it waits until they show the title before it presses Add: a press on the previous search's list
 * would add another movie.
 */
export async function addFirstMatch(page: Page, title: string): Promise<void> {
  await page.getByTestId('movie-search').fill(title);
  const results = page.getByTestId('search-results');
  await expect(results.getByTestId('movie').first()).toContainText(title);
  await results.getByRole('button', { name: /^Add / }).first().click();
}

/** Creates a profile through the page and adds 20 movies by searching their titles, as a person would. */
export async function createProfileWithHistory(page: Page, name: string, finish = true): Promise<void> {
  await page.goto('/#/profiles');
  await page.getByTestId('new-profile-name').fill(name);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await expect(page.getByRole('heading', { name: 'History' })).toBeVisible();
  for (const [i, title] of POPULAR_TITLES.entries()) {
    await addFirstMatch(page, title);
    await expect(page.getByTestId('history-count')).toContainText(`${i + 1} seen`);
  }
  if (finish) {
    await page.getByTestId('finish-history').click();
    await expect(page.getByRole('heading', { name: 'Train' })).toBeVisible();
  }
}

/** The Recommend page, reached through the menu as a person would: it shows the whole-catalogue top 10 on arrival. */
export async function recommendTen(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Recommend' }).click();
  await expect(page.getByTestId('recommendations').getByTestId('movie')).toHaveCount(10, { timeout: RANKING_TIMEOUT });
}

/**
 * Sets the Train page's NeuMF epochs (under Advanced) and whether the baselines are fitted too.
 * Most tests leave the baselines out: they add seconds a test does not need.
 */
export async function chooseTraining(page: Page, epochs: number, { baselines = false } = {}): Promise<void> {
  const advanced = page.getByTestId('advanced-settings');
  if (!(await advanced.evaluate((details) => (details as HTMLDetailsElement).open))) await advanced.locator('summary').click();
  await page.getByTestId('setting-epochs').fill(String(epochs));
  await page.getByTestId('setting-baselines').setChecked(baselines);
}

/** Trains from the Train page with few epochs and waits for the saved model. */
export async function train(page: Page, epochs: number, options: { baselines?: boolean } = {}): Promise<void> {
  await page.goto('/#/train');
  await chooseTraining(page, epochs, options);
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('training-finished')).toBeVisible({ timeout: TRAINING_TIMEOUT });
}

/** Rows of an object store of the app's IndexedDB, read directly: what the app really saved. */
export function storeRows<T>(page: Page, store: string): Promise<T[]> {
  return readStore<T[]>(page, store, 'getAll');
}

/** The primary keys of an object store of the app's IndexedDB (a model's weights are megabytes: counting needs only these). */
export function storeKeys<K extends IDBValidKey>(page: Page, store: string): Promise<K[]> {
  return readStore<K[]>(page, store, 'getAllKeys');
}

function readStore<T>(page: Page, store: string, read: 'getAll' | 'getAllKeys'): Promise<T> {
  return page.evaluate(
    ([name, method]) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open('reel');
        open.onsuccess = () => {
          const request = open.result.transaction(name).objectStore(name)[method]();
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as T);
          };
          request.onerror = () => reject(request.error);
        };
        open.onerror = () => reject(open.error);
      }),
    [store, read] as const,
  );
}
