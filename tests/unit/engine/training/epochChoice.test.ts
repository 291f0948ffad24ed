import { describe, expect, it } from 'vitest';
import { EpochChoice } from '../../../../src/engine/training/epochChoice';

/** Feeds validation figures for epochs 1.. (epoch 0 untrained at 0) and returns the kept epoch; weights are the epoch's name. */
function keptEpoch(scores: number[]): number {
  const choice = new EpochChoice(0, 'epoch 0');
  scores.forEach((score, i) => choice.add(i + 1, score, `epoch ${i + 1}`));
  const kept = choice.finish(false);
  expect(kept.weights).toBe(`epoch ${kept.epoch}`);
  return kept.epoch;
}

describe('EpochChoice', () => {
  it('keeps the epoch whose figure smoothed with its neighbours is best, not a lone spike', () => {
    // Session 14's two-thread run on NCF ml-1m (seed 2017): the single best epoch was 8, a spike between 0.115 and 0.118.
    const curve = [0.1035, 0.1222, 0.1248, 0.1209, 0.1192, 0.1183, 0.1153, 0.1249, 0.1184, 0.1183];
    expect(keptEpoch(curve)).toBe(3);
  });

  it('keeps a high epoch between two lower ones, not the dip between two high ones', () => {
    // ml-latest-small (NCF split, seed 2017, one thread): equal weights kept epoch 8, a dip between epochs 7 and 9.
    const curve = [0.014, 0.016, 0.0232, 0.0292, 0.0273, 0.0315, 0.0347, 0.029, 0.0327, 0.0286, 0.0291, 0.0278, 0.0254];
    expect(keptEpoch(curve)).toBe(7);
  });

  it('keeps the single best epoch where the curve is smooth', () => {
    expect(keptEpoch([0.1, 0.2, 0.3, 0.25, 0.2])).toBe(3);
  });

  it('judges the first and last epochs on the neighbours they have, never on the untrained epoch', () => {
    expect(keptEpoch([0.3, 0.29, 0.1])).toBe(1);
    expect(keptEpoch([0.1, 0.2, 0.3])).toBe(3);
    // Of two epochs, the better one: each counts twice in its own score.
    expect(keptEpoch([0.0144, 0.0155])).toBe(2);
    expect(keptEpoch([0.0155, 0.0144])).toBe(1);
    const choice = new EpochChoice(0.5, 'untrained');
    choice.add(1, 0.2, 'epoch 1');
    choice.add(2, 0.4, 'epoch 2');
    expect(choice.windowScore(1)).toBeCloseTo((2 * 0.2 + 0.4) / 3);
    expect(choice.windowScore(2)).toBeCloseTo((0.2 + 2 * 0.4) / 3);
    choice.add(3, 0.1, 'epoch 3');
    expect(choice.windowScore(2)).toBeCloseTo((0.2 + 2 * 0.4 + 0.1) / 4);
  });

  it('keeps the untrained model when no trained epoch beats it', () => {
    const choice = new EpochChoice(0.5, 'untrained');
    choice.add(1, 0.2, 'epoch 1');
    expect(choice.finish(false)).toEqual({ epoch: 0, weights: 'untrained' });
  });

  it('judges an epoch only once the epoch after it is in, so patience counts from a whole window', () => {
    const choice = new EpochChoice(0, 'epoch 0');
    choice.add(1, 0.1, 'epoch 1');
    expect(choice.best.epoch).toBe(0);
    choice.add(2, 0.2, 'epoch 2');
    expect(choice.best.epoch).toBe(1);
    expect(() => choice.add(4, 0.3, 'epoch 4')).toThrow('Epoch 4 came after epoch 2.');
  });

  it('counts for patience only the epochs judged, and leaves the last epoch of a run stopped early unjudged', () => {
    // NCF ml-1m, two threads, seed 1: best smoothed at epoch 3; epoch 8, 0.0012 above epoch 7, would win on the one
    // neighbour it has (0.12410 against 0.12408).
    const curve = [0.1028, 0.122, 0.1264, 0.1215, 0.1248, 0.1198, 0.1233, 0.1245];
    const choice = new EpochChoice(0.0018, 'epoch 0');
    curve.forEach((score, i) => choice.add(i + 1, score, `epoch ${i + 1}`));
    // Epochs 4 to 7 are judged (epoch 8 waits for a neighbour): four without beating epoch 3.
    expect(choice.epochsWithoutImprovement).toBe(4);
    expect(choice.finish(true)).toEqual({ epoch: 3, weights: 'epoch 3' });

    const completed = new EpochChoice(0.0018, 'epoch 0');
    curve.forEach((score, i) => completed.add(i + 1, score, `epoch ${i + 1}`));
    expect(completed.finish(false).epoch).toBe(8);
  });
});
