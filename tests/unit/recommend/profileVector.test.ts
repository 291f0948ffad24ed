import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FusedNeuMF } from '../../../src/engine/model/fusedNeuMF';
import { itemOfMovieMap } from '../../../src/recommend/itemIndex';
import { resolveProfileUser } from '../../../src/recommend/profileVector';
import { db, type ModelRecord } from '../../../src/storage/db';

const WIDTH = 4;

/**
 * Enough of a FusedNeuMF for fold-in: user rows to set and read, and a training step that moves the
 * row towards the items it saw as positives (so the learned row depends on the history).
 */
class FakeModel {
  readonly rowWidth = WIDTH;
  readonly numItems = 10;
  readonly rows = new Map<number, Float32Array>();
  trainingSteps = 0;

  setUserRow(user: number, row: Float32Array): void {
    this.rows.set(user, Float32Array.from(row));
  }

  getUserRow(user: number): Float32Array {
    return Float32Array.from(this.rows.get(user) ?? new Float32Array(WIDTH));
  }

  resetUserRowOptimiser(): void {}

  trainUserRows(users: Int32Array, items: Int32Array, labels: Float32Array, start: number, end: number, learningRate: number): number {
    this.trainingSteps++;
    const row = this.rows.get(users[start])!;
    for (let r = start; r < end; r++) if (labels[r] === 1) row[items[r] % WIDTH] += learningRate;
    return 0.5;
  }
}

/** Movies 101..110 are items 0..9; 3 data set users, then Ana (user 3) whose history was learned at time 100. */
const record: ModelRecord = {
  id: 5,
  datasetId: 1,
  createdAt: 1,
  kind: 'itempop',
  settings: null,
  backend: 'test',
  numUsers: 4,
  numItems: 10,
  datasetUsers: 3,
  profileUsers: [{ profileId: 1, user: 3, historyChangedAt: 100, movies: 3 }],
  epochs: [],
  bestEpoch: 0,
  trainSeconds: 0,
};
const itemOfMovie = itemOfMovieMap(Int32Array.from({ length: 10 }, (_, i) => 101 + i));
const SPARE = record.numUsers;

function model(): FakeModel & FusedNeuMF {
  return new FakeModel() as FakeModel & FusedNeuMF;
}

beforeEach(async () => {
  await db.delete();
  await db.open();
});
afterEach(() => vi.restoreAllMocks());

describe('resolveProfileUser', () => {
  it('scores with the trained row when the model learned the current history, storing nothing', async () => {
    const fused = model();
    const resolved = await resolveProfileUser(fused, record, itemOfMovie, { profileId: 1, historyChangedAt: 100, historyMovieIds: [101] });
    expect(resolved).toEqual({ user: 3, source: 'trained', foldInSeconds: null });
    expect(fused.trainingSteps).toBe(0);
    expect(await db.profileVectors.count()).toBe(0);
  });

  it('folds a changed history in, stores the vector, and uses the stored one next time without training', async () => {
    const first = model();
    const request = { profileId: 1, historyChangedAt: 200, historyMovieIds: [101, 102, 999, 101] };
    const learned = await resolveProfileUser(first, record, itemOfMovie, request);
    expect(learned.user).toBe(SPARE);
    expect(learned.source).toBe('folded-in-now');
    expect(learned.foldInSeconds).toBeGreaterThanOrEqual(0);
    expect(first.trainingSteps).toBeGreaterThan(0);
    const stored = await db.profileVectors.get([record.id, 1]);
    expect(stored?.historyChangedAt).toBe(200);
    expect(Array.from(stored!.vectors[0])).toEqual(Array.from(first.getUserRow(SPARE)));
    // Only the history's known movies (items 0 and 1) were learned from.
    expect(Array.from(first.getUserRow(SPARE)).map((x, k) => (k < 2 ? x > 0.5 : Math.abs(x) < 0.1))).toEqual([true, true, true, true]);

    // Another model instance (the worker reloaded): the stored vector goes into its spare row.
    const second = model();
    expect(await resolveProfileUser(second, record, itemOfMovie, request)).toEqual({
      user: SPARE,
      source: 'folded-in',
      foldInSeconds: null,
    });
    expect(second.trainingSteps).toBe(0);
    expect(Array.from(second.getUserRow(SPARE))).toEqual(Array.from(stored!.vectors[0]));
  });

  it('folds a new profile in, and again when its history changed since the stored vector', async () => {
    const fused = model();
    await resolveProfileUser(fused, record, itemOfMovie, { profileId: 2, historyChangedAt: 10, historyMovieIds: [103] });
    const changed = await resolveProfileUser(fused, record, itemOfMovie, {
      profileId: 2,
      historyChangedAt: 11,
      historyMovieIds: [103, 104],
    });
    expect(changed.source).toBe('folded-in-now');
    expect((await db.profileVectors.get([record.id, 2]))?.historyChangedAt).toBe(11);
  });

  it('refuses a history with no movie of the data set, storing nothing', async () => {
    await expect(
      resolveProfileUser(model(), record, itemOfMovie, { profileId: 2, historyChangedAt: 10, historyMovieIds: [1, 2] }),
    ).rejects.toThrow(/None of the movies in this history is in the data set/);
    expect(await db.profileVectors.count()).toBe(0);
  });

  it('scores with the folded-in vector when a full disk refuses to store it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(db.profileVectors, 'put').mockRejectedValue(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const fused = model();
    const resolved = await resolveProfileUser(fused, record, itemOfMovie, { profileId: 2, historyChangedAt: 10, historyMovieIds: [103] });
    expect(resolved.source).toBe('folded-in-now');
    expect(resolved.user).toBe(SPARE);
    expect(await db.profileVectors.count()).toBe(0);
  });
});
