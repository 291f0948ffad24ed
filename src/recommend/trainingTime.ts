import type { TrainingEstimate } from '../bridge/trainingMessages';
import type { EpochReport } from '../engine/training/trainingRun';
import type { NeuMFSettings } from '../engine/model/neumfSettings';
import type { ModelRecord } from '../storage/db';

/**
 * Epochs before validation stops improving when nothing better is known: the tuned defaults
 * peaked between epochs 4 and 12 on every data set measured (docs/BENCHMARKS.md), and then run
 * `patience` more.
 */
const TYPICAL_BEST_EPOCH = 10;

/**
 * How long a training run will take here, from a measured estimate: `likely` with early stopping
 * (the last run's epoch count where one was saved, else a typical one), `most` if every epoch runs.
 * Pre-trained NeuMF trains three times (GMF, MLP, then NeuMF). `baselineSeconds`: what the
 * baselines took last time (null: not known yet, counted as nothing).
 */
export function expectedTrainingSeconds(
  estimate: TrainingEstimate,
  settings: NeuMFSettings,
  lastRun: ModelRecord | null,
  baselineSeconds: number | null,
): { likely: number; most: number } {
  const stages = settings.model === 'neumf-pretrained' ? 3 : 1;
  const lastEpochs = lastRun ? Math.max(...lastRun.epochs.map((e) => e.epoch)) : null;
  const likelyEpochs = Math.min(settings.epochs, lastEpochs ?? TYPICAL_BEST_EPOCH + settings.patience);
  const base = baselineSeconds ?? 0;
  return {
    likely: base + stages * likelyEpochs * estimate.secondsPerEpoch,
    most: base + stages * settings.epochs * estimate.secondsPerEpoch,
  };
}

/**
 * The estimate a finished run gives of the next one with the same costs: its trained epochs' mean
 * seconds (sampling, training, evaluation), measured on every epoch rather than for a moment. Null
 * without a trained epoch.
 */
export function estimateFromRun(epochs: EpochReport[], maxEpochs: number): TrainingEstimate | null {
  const trained = epochs.filter((e) => e.epoch > 0 && e.samplesPerSecond !== null && e.trainSeconds > 0);
  if (trained.length === 0) return null;
  const mean = (value: (e: EpochReport) => number) => trained.reduce((sum, e) => sum + value(e), 0) / trained.length;
  const trainSeconds = mean((e) => e.trainSeconds);
  const rowsPerEpoch = mean((e) => e.trainSeconds * (e.samplesPerSecond ?? 0));
  const evalSeconds = mean((e) => e.evalSeconds);
  return {
    samplesPerSecond: rowsPerEpoch / trainSeconds,
    rowsPerEpoch,
    evalSeconds,
    maxEpochs,
    secondsPerEpoch: trainSeconds + evalSeconds,
  };
}

/** "45 s", "3 min", "1 h 20 min": a duration as a person says it. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '…';
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
