import { describe, expect, it } from 'vitest';
import { ProgressMeter } from '../../../../src/engine/training/progressMeter';

describe('ProgressMeter', () => {
  it('has no rate before a batch has finished', () => {
    const meter = new ProgressMeter();
    expect(meter.samplesPerSecond).toBeNull();
    expect(meter.secondsFor(1000)).toBeNull();
    // A batch reported with no measurable time yet gives no rate either (no "256,000,000 samples/s").
    meter.batchDone(1, 256, 0);
    expect(meter.samplesPerSecond).toBeNull();
  });

  it('keeps the run rate across epochs instead of restarting at each', () => {
    const meter = new ProgressMeter();
    meter.batchDone(1, 1000, 1);
    meter.batchDone(1, 4000, 4);
    expect(meter.samplesPerSecond).toBe(1000);
    // The first batch of epoch 2 is very fast; the run's rate hardly moves.
    meter.batchDone(2, 1000, 0.001);
    expect(meter.samplesPerSecond).toBeCloseTo(5000 / 4.001, 6);
    meter.batchDone(2, 4000, 2);
    expect(meter.samplesPerSecond).toBeCloseTo(8000 / 6, 6);
    expect(meter.secondsFor(8000)).toBeCloseTo(6, 6);
  });
});
