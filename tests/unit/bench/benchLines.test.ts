import { describe, expect, it } from 'vitest';
import { benchEpochLine, benchSummaryLine } from '../../../src/bench/benchLines';
import type { EpochReport } from '../../../src/engine/training/trainingRun';

function report(epoch: number, hr10: number, valNdcg10: number | null): EpochReport {
  return {
    epoch,
    loss: epoch === 0 ? null : 0.5 / epoch,
    trainSeconds: epoch * 1.23456,
    samplesPerSecond: epoch === 0 ? null : 123456.7,
    hr10,
    ndcg10: hr10 / 2,
    valHr10: valNdcg10 === null ? null : valNdcg10 * 2,
    valNdcg10,
    fullHr10: hr10 / 5,
    fullNdcg10: hr10 / 10,
    coverage10: 0.3,
    top100Share10: 0.6,
    fullUsers: 943,
    evalSeconds: 0.123456,
  };
}

describe('bench lines', () => {
  it('an epoch line rounds figures to 4 digits, seconds to 3 and rates to whole samples, and keeps nulls', () => {
    const line = benchEpochLine(report(3, 0.612345, 0.061234), {
      model: 'neumf',
      backend: 'b',
      batch: 1024,
      threads: 2,
      average_epochs: 0.2,
    });
    expect(line).toEqual({
      epoch: 3,
      model: 'neumf',
      backend: 'b',
      batch: 1024,
      threads: 2,
      average_epochs: 0.2,
      train_s: 3.704,
      samples_per_s: 123457,
      loss: 0.1667,
      hr10: 0.6123,
      ndcg10: 0.3062,
      val_hr10: 0.1225,
      val_ndcg10: 0.0612,
      full_hr10: 0.1225,
      full_ndcg10: 0.0612,
      coverage10: 0.3,
      top100_share10: 0.6,
      full_users: 943,
      eval_s: 0.123,
    });
    const untrained = benchEpochLine(report(0, 0.1, null), { model: 'neumf', backend: 'b', batch: 1024, threads: 1, average_epochs: 0 });
    expect(untrained).toMatchObject({ samples_per_s: null, loss: null, val_ndcg10: null, val_hr10: null });
    expect('setting' in untrained).toBe(false);
    const ease = benchEpochLine(
      { ...report(1, 0.5, 0.05), setting: 'λ 500' },
      { model: 'ease', backend: '', batch: null, threads: null, average_epochs: null },
    );
    expect(ease).toMatchObject({ setting: 'λ 500', batch: null, threads: null, average_epochs: null });
  });

  it('the summary gives the test figures of the chosen epoch, not of the best test epoch, which it names apart', () => {
    const metrics = [report(0, 0.1, 0.01), report(1, 0.7, 0.05), report(2, 0.6, 0.06), report(3, 0.65, 0.055)];
    const line = benchSummaryLine({ model: 'neumf', bestEpoch: 2, metrics, stoppedEarly: true });
    expect(line).toMatchObject({ chosen_epoch: 2, epochs_run: 3, stopped_early: true, hr10: 0.6, val_ndcg10: 0.06 });
    expect(line.best_test_hr10).toBe(0.7);
  });
});
