import { describe, expect, it } from 'vitest';
import { UserSample } from '../../../src/data/userSample';

function keptUsers(ids: number[], maxUsers: number, seed = 42): number[] {
  const sample = new UserSample(maxUsers, seed);
  for (const id of ids) sample.admit(id);
  return ids.filter((id) => sample.isKept(id)).sort((a, b) => a - b);
}

describe('UserSample', () => {
  const ids = Array.from({ length: 200 }, (_, i) => i * 7 + 1);

  it('keeps at most maxUsers users, the same ones whatever the order of the file', () => {
    const kept = keptUsers(ids, 50);
    expect(kept).toHaveLength(50);
    expect(keptUsers([...ids].reverse(), 50)).toEqual(kept);
    expect(keptUsers(ids, 50, 43)).not.toEqual(kept);
  });

  it('tells apart ids past 2^31 − 1, including ids 2^32 apart, and keeps them exact', () => {
    const big = [2 ** 31, 2 ** 31 + 2 ** 32, 2 ** 40 + 5, 5, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - 2 ** 32];
    const all = [...ids, ...big];
    const kept = keptUsers(all, 100);
    expect(kept).toHaveLength(100);
    expect(keptUsers([...all].reverse(), 100)).toEqual(kept);
    // Every id is kept as itself, never as a 32-bit truncation of it.
    expect(kept.every((id) => all.includes(id))).toBe(true);
    expect(keptUsers(big, 6)).toEqual([...big].sort((a, b) => a - b));
  });
});
