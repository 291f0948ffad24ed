import type { InteractionSplit } from '../../data/interactions';
import { queuedTrainer, readTrainerWeights, toFusedNeuMF, type NeuMFTrainer } from '../backends/chooseBackend';
import type { SparseRows } from '../data/sparseRows';
import { evaluateHeldOut, type HeldOutEvaluation, type HeldOutMetrics } from '../evaluation/heldOutEvaluation';
import { FusedNeuMF } from '../model/fusedNeuMF';
import type { NamedWeights } from '../model/neumfLayout';
import type { NeuMFSettings } from '../model/neumfSettings';
import { chunkBuffer, epochChunks, epochSeed, planTrainingEpoch } from '../sampling/negatives';
import { positivesPerChunk, trainEpoch, trainEpochAsync } from './trainEpoch';
import { EpochChoice } from './epochChoice';
import type { TrainingThreads } from './trainingThreads';
import { WeightAveraging } from './weightAveraging';

/** Figures that models saved before the validation hold-out existed do not have (null there). */
type MeasuredSinceValidation = 'valHr10' | 'valNdcg10' | 'fullHr10' | 'fullNdcg10' | 'coverage10' | 'top100Share10' | 'fullUsers';

/**
 * One epoch of a training run (or one fitted baseline), as the app shows it and the model record
 * stores it; epoch 0 is the untrained model. The figures are `HeldOutMetrics` (docs/EVALUATION.md).
 */
export type EpochReport = Omit<HeldOutMetrics, MeasuredSinceValidation> & {
  [K in MeasuredSinceValidation]: number | null;
} & {
  epoch: number;
  /** Mean training loss of the epoch (with the L2 penalty); null before training and for closed-form models. */
  loss: number | null;
  trainSeconds: number;
  samplesPerSecond: number | null;
  /** For models whose steps are settings rather than epochs (EASE's λ), the setting this step tried. */
  setting?: string;
};

export interface RunContext {
  split: InteractionSplit;
  /** Each user's training positives: what training negatives are drawn outside of. */
  seen: SparseRows;
  evaluation: HeldOutEvaluation;
  /** Told the rows done in the current epoch, the last batch loss and the epoch's training seconds; throttle on the caller's side. */
  onBatch?: (stage: string, epoch: number, epochs: number, rowsDone: number, rowsPerEpoch: number, loss: number, seconds: number) => void;
  onEpoch?: (stage: string, report: EpochReport) => void;
  /** Several threads sharing the model: a stage whose trainer is `threads.model` trains each epoch on all of them. */
  threads?: TrainingThreads;
}

export interface StageResult {
  epochs: EpochReport[];
  /** The epoch chosen on validation (`EpochChoice`), whose weights are kept. */
  bestEpoch: number;
  bestWeights: NamedWeights;
  /** Whether training stopped before `settings.epochs` because validation stopped improving. */
  stoppedEarly: boolean;
}

/** The figure epochs (and models) are chosen on: validation full-catalogue NDCG@10. */
export function selectionScore(report: Pick<EpochReport, 'valNdcg10'>): number {
  return report.valNdcg10 ?? -Infinity;
}

/**
 * The trainer's held-out figures, scored through the fused kernels whatever trained (their weights
 * are the same); on every thread of `threads` when it trains this model.
 */
export async function evaluateTrainer(
  trainer: NeuMFTrainer,
  evaluation: HeldOutEvaluation,
  threads?: TrainingThreads,
): Promise<HeldOutMetrics> {
  if (threads?.model === trainer) return evaluateHeldOut(evaluation, threads.scoringModel());
  const fused = await toFusedNeuMF(trainer);
  return evaluateHeldOut(evaluation, {
    scoreUser: (user, out) => fused.scoreUser(user, out),
    scorePairs: (users, items, out) => fused.predict(users, items, out),
  });
}

/**
 * One training stage: evaluate the untrained model (epoch 0), then per epoch fresh negatives,
 * a pass in mini-batches and the held-out figures. With `settings.averageEpochs`, what each epoch
 * evaluates and offers to keep is the weights' running average (`WeightAveraging`). Keeps the
 * weights of the epoch whose validation figure (`selectionScore`) is best smoothed with its
 * neighbours' (`EpochChoice`), and stops once that has not improved for `settings.patience`
 * epochs. The app's worker and the benchmark both train through here. A trainer that reads from
 * a device asynchronously (tfjs) is awaited, never read synchronously.
 */
export async function trainStage(stage: string, trainer: NeuMFTrainer, settings: NeuMFSettings, context: RunContext): Promise<StageResult> {
  const { split, seen, evaluation } = context;
  const rowsPerEpoch = split.trainItems.length * (1 + settings.negatives);
  const threads = context.threads?.model === trainer ? context.threads : undefined;
  const untrained = await evaluateTrainer(trainer, evaluation, threads);
  const epochs: EpochReport[] = [{ epoch: 0, loss: null, trainSeconds: 0, samplesPerSecond: null, ...untrained }];
  context.onEpoch?.(stage, epochs[0]);
  const choice = new EpochChoice(selectionScore(untrained), await readTrainerWeights(trainer));
  let stoppedEarly = false;
  // Sampled a chunk at a time into one buffer: memory is the split, the visiting order and a chunk.
  const perChunk = positivesPerChunk(settings.batchSize);
  let order: Int32Array | undefined;
  const buffer = chunkBuffer({ positivesPerChunk: perChunk, ratio: settings.negatives });
  const queued = queuedTrainer(trainer);
  const windowSteps = ((settings.averageEpochs ?? 0) * rowsPerEpoch) / settings.batchSize;
  const averaging =
    windowSteps > 0 ? new WeightAveraging(trainer, Math.max(1, windowSteps), split.numUsers, split.numItems, settings.batchSize) : null;
  let rowsBefore = 0;
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const plan = threads
      ? threads.planEpoch(epochSeed(settings.seed, epoch))
      : planTrainingEpoch(split, seen, settings.negatives, epochSeed(settings.seed, epoch), perChunk, order);
    order = plan.order;
    const fold = (rowsDone: number) => averaging?.afterStep((rowsBefore + rowsDone) / settings.batchSize);
    const onBatch = (rowsDone: number, loss: number, seconds: number) => {
      // Threads fold only while the model is whole (between segments), so any number of them folds the same weights.
      if (!threads) fold(rowsDone);
      context.onBatch?.(stage, epoch, settings.epochs, rowsDone, rowsPerEpoch, loss, seconds);
    };
    const result = threads
      ? threads.trainEpoch(plan, onBatch, Infinity, fold)
      : queued
        ? await trainEpochAsync(queued, epochChunks(plan, buffer), settings.batchSize, onBatch)
        : trainEpoch(trainer, epochChunks(plan, buffer), settings.batchSize, onBatch);
    rowsBefore += result.rows;
    const evaluate = async () => ({
      metrics: await evaluateTrainer(trainer, evaluation, threads),
      weights: await readTrainerWeights(trainer),
    });
    const { metrics, weights } = averaging ? await averaging.standingIn(rowsBefore / settings.batchSize, evaluate) : await evaluate();
    const report: EpochReport = {
      epoch,
      loss: result.loss,
      trainSeconds: result.seconds,
      samplesPerSecond: result.rows / result.seconds,
      ...metrics,
    };
    epochs.push(report);
    context.onEpoch?.(stage, report);
    // Every epoch's weights are read (one copy more than the best's): an epoch is judged only once the next one is in.
    choice.add(epoch, selectionScore(metrics), weights);
    if (choice.epochsWithoutImprovement >= settings.patience && epoch < settings.epochs) {
      stoppedEarly = true;
      break;
    }
  }
  const kept = choice.finish(stoppedEarly);
  return { epochs, bestEpoch: kept.epoch, bestWeights: kept.weights, stoppedEarly };
}

/**
 * NeuMF as the paper trains it best (He et al. 2017, 3.4.1): GMF and MLP trained alone first,
 * then NeuMF initialised from both (alpha 0.5) and trained on. The pre-training stages report
 * under their own stage names; the returned model holds the best pre-trained weights fused.
 */
export async function pretrainNeuMF(numUsers: number, numItems: number, settings: NeuMFSettings, context: RunContext): Promise<FusedNeuMF> {
  const gmf = new FusedNeuMF(numUsers, numItems, { ...settings, model: 'gmf' });
  gmf.setWeights((await trainStage('Pre-training GMF', gmf, { ...settings, model: 'gmf' }, context)).bestWeights);
  const mlp = new FusedNeuMF(numUsers, numItems, { ...settings, model: 'mlp' });
  mlp.setWeights((await trainStage('Pre-training MLP', mlp, { ...settings, model: 'mlp' }, context)).bestWeights);
  return FusedNeuMF.fromPretrained(gmf, mlp, { ...settings, model: 'neumf' }, 0.5);
}
