import { describe, expect, it } from 'vitest';
import type { EpochReport } from '../../../src/engine/training/trainingRun';
import { estimateFromRun, expectedTrainingSeconds, formatDuration } from '../../../src/recommend/trainingTime';
import { defaultNeuMFSettings } from '../../../src/engine/model/neumfSettings';

function epoch(n: number, trainSeconds: number, samplesPerSecond: number | null, evalSeconds: number): EpochReport {
  return {
    epoch: n,
    loss: n === 0 ? null : 0.3,
    trainSeconds,
    samplesPerSecond,
    evalSeconds,
    hr10: 0,
    ndcg10: 0,
    valHr10: 0,
    valNdcg10: 0,
    fullHr10: 0,
    fullNdcg10: 0,
    coverage10: 0,
    top100Share10: 0,
    fullUsers: 10,
  };
}

describe('estimateFromRun', () => {
  it("takes the trained epochs' mean seconds, evaluation included, and leaves out the untrained epoch 0", () => {
    const run = [epoch(0, 0, null, 5), epoch(1, 10, 100_000, 1), epoch(2, 12, 90_000, 1)];
    const estimate = estimateFromRun(run, 30)!;
    expect(estimate.secondsPerEpoch).toBeCloseTo(12);
    expect(estimate.evalSeconds).toBeCloseTo(1);
    expect(estimate.rowsPerEpoch).toBeCloseTo((1_000_000 + 1_080_000) / 2);
    expect(estimate.samplesPerSecond).toBeCloseTo(1_040_000 / 11);
    expect(estimate.maxEpochs).toBe(30);
  });

  it('is null for a run that never trained an epoch', () => {
    expect(estimateFromRun([epoch(0, 0, null, 5)], 30)).toBeNull();
  });

  it("feeds the expected duration: the last run's epoch count at the measured seconds per epoch", () => {
    const run = [epoch(0, 0, null, 5), epoch(1, 10, 100_000, 2), epoch(2, 10, 100_000, 2)];
    const settings = { ...defaultNeuMFSettings, epochs: 50 };
    const lastRun = { epochs: run } as Parameters<typeof expectedTrainingSeconds>[2];
    const expected = expectedTrainingSeconds(estimateFromRun(run, 50)!, settings, lastRun, 30);
    expect(expected.likely).toBeCloseTo(30 + 2 * 12);
    expect(expected.most).toBeCloseTo(30 + 50 * 12);
    expect(formatDuration(expected.likely)).toBe('54 s');
  });
});
