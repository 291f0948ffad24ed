import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { fitEase } from '../../../src/engine/baselines/ease';
import { resolveEaseSettings } from '../../../src/engine/baselines/easeSettings';
import { buildUserHistories } from '../../../src/engine/data/sparseRows';
import { loadRecommender } from '../../../src/recommend/loadedRecommender';
import { itemOfMovieMap } from '../../../src/recommend/itemIndex';
import { db, type NewModelRecord } from '../../../src/storage/db';
import { saveModel } from '../../../src/storage/modelStore';
import { plantedSplit } from '../engine/fixtures';
import { addDatasetRecord } from '../storage/datasetRecord';

const split = plantedSplit(40, 80, 4, 10, 2);
// Movie ids are not item indices: item i is movie 1000 + i.
const itemOfMovie = itemOfMovieMap(Array.from({ length: split.numItems }, (_, i) => 1000 + i));

function easeRecord(): NewModelRecord {
  return {
    datasetId: 1,
    createdAt: 1,
    kind: 'ease',
    settings: resolveEaseSettings({ lambda: 50 }),
    backend: 'closed form',
    numUsers: split.numUsers,
    numItems: split.numItems,
    datasetUsers: split.numUsers,
    profileUsers: [],
    epochs: [],
    bestEpoch: 1,
    trainSeconds: 0,
  };
}

/** EASE fitted on the split, saved as the training worker saves it, and loaded back for ranking. */
async function savedAndLoaded() {
  const model = fitEase(split, resolveEaseSettings({ lambda: 50 }));
  const weights = { baseline: { parameters: model.exportParameters(), histories: buildUserHistories(split) } };
  const id = await saveModel(easeRecord(), weights, false);
  return { model, loaded: await loadRecommender({ ...easeRecord(), id }, itemOfMovie) };
}

beforeEach(async () => {
  await db.delete();
  await db.open();
  await addDatasetRecord(1);
});

describe('a loaded baseline', () => {
  it('scores a profile’s history in closed form, from the saved parameters, as the fitted model does', async () => {
    const { model, loaded } = await savedAndLoaded();

    const history = [1000, 1004, 1008, 1012]; // items 0, 4, 8, 12: all in the first planted group
    const { scores, source } = await loaded.scoreProfile({ profileId: 7, historyChangedAt: 1, historyMovieIds: history });
    expect(source).toBe('closed-form');
    const expected = new Float32Array(split.numItems);
    model.scoreHistory(Int32Array.from([0, 4, 8, 12]), expected);
    expect(Array.from(scores)).toEqual(Array.from(expected));
    // The history's own group comes first: its best unseen movie is in group 0 (items 0..19).
    const best = scores.reduce((b, s, i) => (![0, 4, 8, 12].includes(i) && s > scores[b] ? i : b), 1);
    expect(best).toBeLessThan(20);

    // The data set's users score as the fitted model scores them (the held-out evaluation's view).
    const user = new Float32Array(split.numItems);
    loaded.evaluation.scoreUser(3, user);
    const fitted = new Float32Array(split.numItems);
    model.scoreUser(3, fitted);
    expect(Array.from(user)).toEqual(Array.from(fitted));
  });

  it('says what to do when no movie of the history is in the data set', async () => {
    const { loaded } = await savedAndLoaded();
    await expect(loaded.scoreProfile({ profileId: 7, historyChangedAt: 1, historyMovieIds: [5, 6] })).rejects.toThrow(/History page/);
  });
});
