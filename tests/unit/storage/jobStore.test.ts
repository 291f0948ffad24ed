import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { db } from '../../../src/storage/db';
import { clearJobRecord, jobRecord, startJobRecord } from '../../../src/storage/jobStore';

beforeEach(async () => {
  await db.delete();
  await db.open();
});

describe('job records', () => {
  it('keep what was started, per kind, until cleared', async () => {
    const before = Date.now();
    await startJobRecord('training', 'neumf for 20 epochs');
    await startJobRecord('import', 'ml-25m');
    const training = await jobRecord('training');
    expect(training).toMatchObject({ kind: 'training', description: 'neumf for 20 epochs' });
    expect(training!.startedAt).toBeGreaterThanOrEqual(before);
    await clearJobRecord('training');
    expect(await jobRecord('training')).toBeNull();
    expect(await jobRecord('import')).toMatchObject({ description: 'ml-25m' });
  });

  it('hold one record per kind: a new start replaces the old one', async () => {
    await startJobRecord('import', 'first');
    await startJobRecord('import', 'second');
    expect(await db.jobs.count()).toBe(1);
    expect((await jobRecord('import'))?.description).toBe('second');
  });

  it('clear inside a save transaction, with it or not at all', async () => {
    await startJobRecord('training', 'run');
    await expect(
      db.transaction('rw', [db.jobs, db.settings], async () => {
        await clearJobRecord('training');
        throw new Error('the save failed');
      }),
    ).rejects.toThrow('the save failed');
    expect(await jobRecord('training')).not.toBeNull();
  });
});
