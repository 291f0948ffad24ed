import { describe, expect, it } from 'vitest';
import { averageKeeps, foldEverySteps, WeightAveraging, type AveragingTrainer } from '../../../../src/engine/training/weightAveraging';

/** A trainer with one weight, its average kept as the real trainers keep theirs. */
function oneWeightTrainer() {
  const trainer = {
    weight: 0,
    average: 0,
    keeps: [] as number[],
    foldIntoAverage(keep: number) {
      trainer.keeps.push(keep);
      trainer.average = keep * trainer.average + (1 - keep) * trainer.weight;
    },
    swapAverage() {
      [trainer.weight, trainer.average] = [trainer.average, trainer.weight];
    },
  } satisfies AveragingTrainer & Record<string, unknown>;
  return trainer;
}

describe('foldEverySteps', () => {
  it('samples the window 16 times, and folds a large model no more often than its steps can pay for', () => {
    expect(foldEverySteps(1000, 943, 1682, 1024)).toBe(63);
    expect(foldEverySteps(1000, 6040, 3706, 1024)).toBe(63);
    // ml-25m's every user and movie: a fold reads 16M numbers, so every 860 steps.
    expect(foldEverySteps(1000, 162_541, 57_452, 1024)).toBe(860);
    expect(foldEverySteps(1, 2, 2, 1024)).toBe(1);
  });
});

describe('averageKeeps', () => {
  it('is the plain mean of the folds until the run is as old as the window, then the moving average', () => {
    expect(averageKeeps(1000, 0, 63)).toBe(0);
    expect(averageKeeps(1000, 63, 63)).toBe(0.5);
    expect(averageKeeps(1000, 126, 63)).toBeCloseTo(2 / 3, 12);
    expect(averageKeeps(1000, 100_000, 63)).toBeCloseTo(Math.pow(0.999, 63), 12);
    expect(averageKeeps(1000, 100_000, 1)).toBeCloseTo(0.999, 12);
  });
});

describe('WeightAveraging', () => {
  it('folds every `foldEverySteps` steps, and the average stands in only while it is used', async () => {
    const trainer = oneWeightTrainer();
    // A 64-step window on 64 users and movies in batches of 64: a fold every 8 steps.
    const averaging = new WeightAveraging(trainer, 64, 64, 64, 64);
    const folds: number[] = [];
    for (let step = 1; step <= 24; step++) {
      trainer.weight = step;
      const before = trainer.keeps.length;
      averaging.afterStep(step);
      if (trainer.keeps.length > before) folds.push(step);
    }
    expect(folds).toEqual([8, 16, 24]);
    // The weights at steps 8, 16 and 24, each given the same share.
    expect(trainer.keeps).toEqual([0, 0.5, 2 / 3]);
    expect(trainer.average).toBeCloseTo(16, 12);

    trainer.weight = 30;
    const seen = await averaging.standingIn(27, async () => trainer.weight);
    // Step 27's weights folded in first (three steps after 24: 24 / 27 of the average kept).
    expect(seen).toBeCloseTo((16 * 24 + 30 * 3) / 27, 12);
    expect(trainer.weight).toBe(30);
  });

  it('brings the trained weights back when what it runs fails', async () => {
    const trainer = oneWeightTrainer();
    const averaging = new WeightAveraging(trainer, 64, 64, 64, 64);
    trainer.weight = 5;
    averaging.afterStep(8);
    trainer.weight = 7;
    await expect(
      averaging.standingIn(8, async () => {
        throw new Error('evaluation failed');
      }),
    ).rejects.toThrow('evaluation failed');
    // Nothing new to fold at the same step; the trained weight is back.
    expect(trainer.keeps).toEqual([0]);
    expect(trainer.weight).toBe(7);
  });

  it('refuses a window shorter than one step', () => {
    expect(() => new WeightAveraging(oneWeightTrainer(), 0.5, 1, 1, 1)).toThrow(RangeError);
    expect(() => new WeightAveraging(oneWeightTrainer(), Number.NaN, 1, 1, 1)).toThrow(RangeError);
  });
});
