import { afterEach, describe, expect, it, vi } from 'vitest';
import { messageFor } from '../../../src/app/errorMessage';
import { WorkerFailed } from '../../../src/bridge/failure';
import { ProfileFileError } from '../../../src/profiles/profileTransfer';
import { ProfileError } from '../../../src/storage/profileStore';

afterEach(() => vi.restoreAllMocks());

describe('messageFor', () => {
  it("shows a typed error's own sentence", () => {
    expect(messageFor(new WorkerFailed('input', 'u.data is empty.'), 'The import failed unexpectedly')).toBe('u.data is empty.');
    expect(messageFor(new ProfileError('Give the profile a name.'), 'Could not create the profile')).toBe('Give the profile a name.');
    expect(messageFor(new ProfileFileError('This file is too large to be a Reel profile.'), 'Import failed')).toBe(
      'This file is too large to be a Reel profile.',
    );
  });

  it("shows the page's sentence for anything else, with what was thrown, and logs it", () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const bug = new TypeError('profile is undefined');
    expect(messageFor(bug, 'Export failed')).toBe('Export failed: profile is undefined');
    expect(logged).toHaveBeenCalledWith(bug);
  });

  it("shows the storage-failure sentence for a full disk, never the browser's raw error", () => {
    const quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const sentence = /ran out of storage space/;
    expect(messageFor(quota, 'Could not create the profile')).toMatch(sentence);
    expect(messageFor(Object.assign(new Error('Transaction aborted'), { name: 'AbortError', inner: quota }), 'Finish failed')).toMatch(
      sentence,
    );
    expect(messageFor(quota, 'Could not create the profile')).not.toMatch(/QuotaExceededError|quota has been exceeded/);
  });
});
