import { describe, expect, it } from 'vitest';
import { cancelledTrainingMessage } from '../../../src/app/state/cancelledTraining';

describe('the message after a cancelled training run', () => {
  it('says nothing was saved when there is no model, before or after', () => {
    expect(cancelledTrainingMessage(null, null, [])).toBe('Training cancelled. Nothing was saved.');
  });

  it('says the previous model is kept only when it is still the one that recommends', () => {
    expect(cancelledTrainingMessage(7, 7, [])).toBe('Training cancelled. The previous model is kept.');
  });

  it('names the models the run had finished when they replaced what was there, or filled a first run', () => {
    const finished = ['Most popular', 'EASE', 'iALS'];
    const said = 'Training cancelled. What it had finished is saved (Most popular, EASE, iALS) and recommends until you train again.';
    expect(cancelledTrainingMessage(null, 12, finished)).toBe(said);
    expect(cancelledTrainingMessage(7, 12, finished)).toBe(said);
  });
});
