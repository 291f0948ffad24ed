import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SUBSET_USERS,
  defaultImportSettings,
  defaultMaxUsers,
  estimateRows,
  LARGE_FILE_ROWS,
} from '../../../src/data/importSettings';

describe('import settings', () => {
  it('keep every user of a file up to the large-file size, and a subset above it', () => {
    const bytesPerRow = 26;
    expect(estimateRows(100 * bytesPerRow)).toBe(100);
    expect(defaultMaxUsers(LARGE_FILE_ROWS * bytesPerRow)).toBe(Infinity);
    expect(defaultMaxUsers((LARGE_FILE_ROWS + 1000) * bytesPerRow)).toBe(DEFAULT_SUBSET_USERS);
    expect(defaultImportSettings).toEqual({ maxUsers: Infinity, seed: 2017 });
  });
});
