import { describe, expect, it } from 'vitest';
import { describeError, WorkerFailed } from '../../../src/bridge/failure';

describe('describeError', () => {
  it('gives the message of whatever was thrown', () => {
    expect(describeError(new Error('disk on fire'))).toBe('disk on fire');
    expect(describeError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toBe('The quota has been exceeded.');
    expect(describeError(new WorkerFailed('input', 'u.data is empty.'))).toBe('u.data is empty.');
    expect(describeError({ message: 'an error from another realm' })).toBe('an error from another realm');
    expect(describeError('plain text')).toBe('plain text');
    expect(describeError(undefined)).toBe('undefined');
    expect(describeError(null)).toBe('null');
  });
});
