import { expect, test, type Page } from '@playwright/test';
import { join, resolve } from 'node:path';
import {
  addFirstMatch,
  chooseTraining,
  createProfileWithHistory,
  IMPORT_TIMEOUT,
  recommendTen,
  storeKeys,
  storeRows,
  train,
  TRAINING_TIMEOUT,
} from './helpers';

/**
 * Deleting what a model was trained on (issue 11, "Data that outlives its owner"): a profile or a
 * data set deleted while a training runs, and a data set deleted with its models. Everything is
 * done through the pages; what was saved is then read straight from IndexedDB.
 */

const SHARED = resolve(process.cwd(), '..', 'shared', 'data');
/** Long enough that the deletion done after the first batch lands well before the save. */
const EPOCHS_WHILE_DELETING = 6;

interface SavedModel {
  id: number;
  datasetId: number;
  numUsers: number;
  datasetUsers: number;
  profileUsers: { profileId: number; user: number }[];
}

/** Goes to a page through the menu, as a person would: an in-app move, so the training of this tab goes on. */
async function openFromMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

/** Starts training from the Train page and waits until it is past its preparation, into the first epoch. */
async function startLongTraining(page: Page): Promise<void> {
  await page.goto('/#/train');
  await chooseTraining(page, EPOCHS_WHILE_DELETING);
  await page.getByTestId('start-training').click();
  await expect(page.getByTestId('training-progress')).toContainText('epoch 1 of', { timeout: TRAINING_TIMEOUT });
}

/**
 * Whether the training job's record is still stored. The save of the run's last model removes it in
 * the same transaction, so seen after a deletion it proves the save has yet to come, and will see it.
 */
async function trainingStillToSave(page: Page): Promise<boolean> {
  return (await storeKeys<string>(page, 'jobs')).includes('training');
}

/** Imports MovieLens 100K on the Data page; it becomes the active data set. */
async function importSecondDataset(page: Page): Promise<void> {
  await page.goto('/#/data');
  await page.getByTestId('import-files').setInputFiles([join(SHARED, 'ml-100k', 'u.data'), join(SHARED, 'ml-100k', 'u.item')]);
  await page.getByTestId('start-import').click();
  await expect(page.getByRole('heading', { name: 'Active data set: MovieLens 100K' })).toBeVisible({ timeout: IMPORT_TIMEOUT });
}

/** Deletes a data set from the Data page's list, accepting the confirmation. */
async function deleteDatasetNamed(page: Page, name: RegExp): Promise<void> {
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('row', { name }).getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('row', { name })).toHaveCount(0);
}

/** For each of `users`, the sum of the magnitudes of its rows in the model's user embedding tables (0: forgotten). */
function userRowMagnitudes(page: Page, modelId: number, users: number[]): Promise<number[]> {
  return page.evaluate(
    ([id, rows]) =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('reel');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('modelWeights').objectStore('modelWeights').get(id);
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            open.result.close();
            const { weightSpecs, weightData } = (
              request.result as { artifacts: { weightSpecs: { name: string; shape: number[] }[]; weightData: ArrayBuffer } }
            ).artifacts;
            const floats = new Float32Array(weightData);
            const sums = rows.map(() => 0);
            let offset = 0;
            for (const spec of weightSpecs) {
              const [height, width] = spec.shape;
              if (/^user_(gmf|mlp)_embedding\//.test(spec.name))
                rows.forEach((row, r) => {
                  for (let k = 0; k < width; k++) sums[r] += Math.abs(floats[offset + row * width + k]);
                });
              offset += spec.shape.length === 2 ? height * width : spec.shape.reduce((a, b) => a * b, 1);
            }
            resolve(sums);
          };
        };
      }),
    [modelId, users] as const,
  );
}

test('a profile deleted while a training that includes it runs is not in the saved model, its rows zero', async ({ page }) => {
  await createProfileWithHistory(page, 'Ana');
  await createProfileWithHistory(page, 'Ben');
  const profiles = await storeRows<{ id: number; name: string }>(page, 'profiles');
  const benId = profiles.find((p) => p.name === 'Ben')!.id;
  await startLongTraining(page);

  // Ana's history is in this run; her profile is deleted through the Profiles page's dialog while it trains.
  await page.getByTestId('current-profile').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Profiles' })).toBeVisible();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete Ana' }).click();
  await expect(page.getByTestId('profile-list')).not.toContainText('Ana');
  expect(await trainingStillToSave(page)).toBe(true);

  await openFromMenu(page, 'Train');
  await expect(page.getByTestId('training-finished')).toBeVisible({ timeout: TRAINING_TIMEOUT });
  const [model] = await storeRows<SavedModel>(page, 'models');
  // The run trained both profiles' rows after the data set's users; the model keeps only Ben's.
  expect(model.numUsers).toBe(model.datasetUsers + 2);
  expect(model.profileUsers.map((p) => p.profileId)).toEqual([benId]);
  const benUser = model.profileUsers[0].user;
  const anaUser = [model.datasetUsers, model.datasetUsers + 1].find((user) => user !== benUser)!;
  const [ana, ben] = await userRowMagnitudes(page, model.id, [anaUser, benUser]);
  expect(ana).toBe(0);
  expect(ben).toBeGreaterThan(0);
});

test('deleting the active data set while it trains saves no model for it and says why', async ({ page }) => {
  await createProfileWithHistory(page, 'Ana');
  await importSecondDataset(page);
  await page
    .getByRole('row', { name: /MovieLens latest-small/ })
    .getByRole('button', { name: 'Use' })
    .click();
  await expect(page.getByRole('heading', { name: 'Active data set: MovieLens latest-small' })).toBeVisible();
  const [deletedId] = (await storeRows<{ id: number; name: string }>(page, 'datasets')).filter((d) => d.name.includes('latest-small'));
  await startLongTraining(page);

  await openFromMenu(page, 'Data');
  await deleteDatasetNamed(page, /MovieLens latest-small/);
  expect(await trainingStillToSave(page)).toBe(true);

  await openFromMenu(page, 'Train');
  await expect(page.getByTestId('training-error')).toContainText(
    'The data set was deleted while the model trained, so the model was not saved',
    {
      timeout: TRAINING_TIMEOUT,
    },
  );
  // Nothing of the deleted data set is left, and no model was saved for any other.
  expect((await storeRows<{ id: number }>(page, 'datasets')).map((d) => d.id)).not.toContain(deletedId.id);
  expect(await storeKeys(page, 'models')).toEqual([]);
  expect(await storeKeys(page, 'modelWeights')).toEqual([]);
  expect(await storeKeys(page, 'profileVectors')).toEqual([]);
  expect(await storeKeys<number>(page, 'splits')).not.toContain(deletedId.id);
  expect(await storeKeys<string>(page, 'jobs')).toEqual([]);
});

test('deleting a data set deletes its models, their weights and the profile vectors folded into them', async ({ page }) => {
  await createProfileWithHistory(page, 'Ana');
  await train(page, 1);
  // A movie added after training is folded in on the Recommend page: a stored profile vector.
  await page.goto('/#/history');
  await addFirstMatch(page, 'Heat');
  // The vector is stored before the ranking it serves is shown.
  await recommendTen(page);
  expect(await storeKeys(page, 'profileVectors')).toHaveLength(1);
  expect(await storeKeys(page, 'models')).toHaveLength(1);
  expect(await storeKeys(page, 'modelWeights')).toHaveLength(1);

  await importSecondDataset(page);
  await deleteDatasetNamed(page, /MovieLens latest-small/);

  expect(await storeKeys(page, 'models')).toEqual([]);
  expect(await storeKeys(page, 'modelWeights')).toEqual([]);
  expect(await storeKeys(page, 'profileVectors')).toEqual([]);
  // The profile is kept, with its history.
  expect((await storeRows<{ name: string }>(page, 'profiles')).map((p) => p.name)).toEqual(['Ana']);
});
