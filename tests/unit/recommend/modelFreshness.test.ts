import { describe, expect, it } from 'vitest';
import { modelFreshness } from '../../../src/recommend/modelFreshness';
import type { ModelRecord, ProfileRecord } from '../../../src/storage/db';

const profile: ProfileRecord = { id: 3, name: 'Ana', nameKey: 'ana', createdAt: 1, historyFinishedAt: 5, historyChangedAt: 7 };
const model = (historyChangedAt: number | null): ModelRecord =>
  ({
    profileUsers: historyChangedAt === null ? [] : [{ profileId: 3, user: 610, historyChangedAt, movies: 20 }],
  }) as unknown as ModelRecord;

describe('modelFreshness', () => {
  it('tells whether the model learned the profile as it is now', () => {
    expect(modelFreshness(null, profile)).toEqual({ kind: 'none' });
    expect(modelFreshness(model(7), profile)).toEqual({ kind: 'current' });
    expect(modelFreshness(model(6), profile)).toEqual({ kind: 'folded-in', reason: 'history-changed' });
    expect(modelFreshness(model(null), profile)).toEqual({ kind: 'folded-in', reason: 'new-profile' });
  });
});
