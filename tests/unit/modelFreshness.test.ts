import { describe, expect, it } from 'vitest';
import { modelFreshness } from '../../src/recommend/modelFreshness';
import type { ProfileRecord } from '../../src/storage/db';
import type { ModelSummary } from '../../src/storage/modelStore';

const profile: ProfileRecord = { id: 3, name: 'Ana', nameKey: 'ana', createdAt: 1, historyFinishedAt: 5, historyChangedAt: 7 };
const model = (historyChangedAt: number | null): ModelSummary =>
  ({ profileUsers: historyChangedAt === null ? [] : [{ profileId: 3, user: 610, historyChangedAt, movies: 20 }] }) as unknown as ModelSummary;

describe('modelFreshness', () => {
  it('tells whether the model learned the profile as it is now', () => {
    expect(modelFreshness(null, profile)).toEqual({ kind: 'none' });
    expect(modelFreshness(model(7), profile)).toEqual({ kind: 'current' });
    expect(modelFreshness(model(6), profile)).toEqual({ kind: 'folded-in', reason: 'history-changed' });
    expect(modelFreshness(model(null), profile)).toEqual({ kind: 'folded-in', reason: 'new-profile' });
  });
});
