/**
 * The benchmark's printed lines from a run's reports: one definition for the bench page and the
 * Node benchmarks (src/bench/gpuInNode.ts), so every bench prints the same keys, rounded alike.
 */
import type { ModelRun } from '../bridge/trainingMessages';
import type { EpochReport } from '../engine/training/trainingRun';
import type { BenchEpochLine, BenchSummaryLine } from './benchConfig';

/** A figure as the bench prints it: `digits` decimals (4 unless said). */
export const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;
const roundOrNull = (x: number | null, digits = 4): number | null => (x === null ? null : round(x, digits));

/** What a line says of the run beside the epoch's figures. */
export type BenchLineRun = Pick<BenchEpochLine, 'model' | 'backend' | 'batch' | 'threads' | 'average_epochs'>;

export function benchEpochLine(m: EpochReport, run: BenchLineRun): BenchEpochLine {
  return {
    epoch: m.epoch,
    ...run,
    ...(m.setting ? { setting: m.setting } : {}),
    train_s: round(m.trainSeconds, 3),
    samples_per_s: m.samplesPerSecond === null ? null : Math.round(m.samplesPerSecond),
    loss: roundOrNull(m.loss),
    hr10: round(m.hr10),
    ndcg10: round(m.ndcg10),
    val_hr10: roundOrNull(m.valHr10),
    val_ndcg10: roundOrNull(m.valNdcg10),
    full_hr10: roundOrNull(m.fullHr10),
    full_ndcg10: roundOrNull(m.fullNdcg10),
    coverage10: roundOrNull(m.coverage10),
    top100_share10: roundOrNull(m.top100Share10),
    full_users: m.fullUsers,
    eval_s: round(m.evalSeconds, 3),
  };
}

/** The test figures at the chosen epoch, and the paper-comparison column. */
export function benchSummaryLine(run: Pick<ModelRun, 'model' | 'bestEpoch' | 'metrics' | 'stoppedEarly'>): BenchSummaryLine {
  const chosen = run.metrics.find((m) => m.epoch === run.bestEpoch)!;
  return {
    summary: true,
    model: run.model,
    chosen_epoch: run.bestEpoch,
    epochs_run: Math.max(...run.metrics.map((m) => m.epoch)),
    stopped_early: run.stoppedEarly,
    hr10: round(chosen.hr10),
    ndcg10: round(chosen.ndcg10),
    full_hr10: roundOrNull(chosen.fullHr10),
    full_ndcg10: roundOrNull(chosen.fullNdcg10),
    coverage10: roundOrNull(chosen.coverage10),
    top100_share10: roundOrNull(chosen.top100Share10),
    val_hr10: roundOrNull(chosen.valHr10),
    val_ndcg10: roundOrNull(chosen.valNdcg10),
    full_users: chosen.fullUsers,
    best_test_hr10: round(Math.max(...run.metrics.map((m) => m.hr10))),
  };
}
