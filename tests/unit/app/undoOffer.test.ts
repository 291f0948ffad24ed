import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UndoOffer } from '../../../src/app/state/undoOffer.svelte';

// Fake timers: the offer's time runs out on command, the test never waits.
beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('UndoOffer', () => {
  it('runs the undo once and ends the offer', async () => {
    const offer = new UndoOffer(5000);
    const undo = vi.fn(async () => {});
    offer.offer({ message: 'Removed Heat.', undo });
    expect(offer.current?.message).toBe('Removed Heat.');
    await offer.undo();
    await offer.undo();
    expect(undo).toHaveBeenCalledTimes(1);
    expect(offer.current).toBeNull();
  });

  it('ends when its time is up, and the next action replaces it', () => {
    const offer = new UndoOffer(5000);
    offer.offer({ message: 'first', undo: async () => {} });
    vi.advanceTimersByTime(4000);
    offer.offer({ message: 'second', undo: async () => {} });
    vi.advanceTimersByTime(4000);
    expect(offer.current?.message).toBe('second');
    vi.advanceTimersByTime(1000);
    expect(offer.current).toBeNull();
  });

  it('waits while held and gets its full time back when released', () => {
    const offer = new UndoOffer(5000);
    offer.offer({ message: 'held', undo: async () => {} });
    offer.hold();
    vi.advanceTimersByTime(60_000);
    expect(offer.current?.message).toBe('held');
    offer.release();
    vi.advanceTimersByTime(4999);
    expect(offer.current?.message).toBe('held');
    vi.advanceTimersByTime(1);
    expect(offer.current).toBeNull();
  });
});
