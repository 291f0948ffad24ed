import type { InteractionSplit } from '../../data/interactions';
import type { EvaluationNegatives } from '../evaluation/evaluateRanking';
import { evaluateRanking } from '../evaluation/evaluateRanking';
import type { NeuMFTrainer } from '../backends/chooseBackend';
import { FusedNeuMF } from '../model/fusedNeuMF';
import type { NamedWeights } from '../model/neumfLayout';
import type { NeuMFSettings } from '../model/neumfSettings';
import type { SparseRows } from '../data/sparseRows';
import { sampleTrainingEpoch } from '../sampling/negatives';
import { trainEpoch } from './trainEpoch';

/** One epoch of a training run, as the app shows it and the model record stores it; epoch 0 is the untrained model. */
export interface EpochReport {
  epoch: number;
  loss: number | null;
  hr10: number;
  ndcg10: number;
  trainSeconds: number;
  evalSeconds: number;
  samplesPerSecond: number | null;
}

export interface RunContext {
  split: InteractionSplit;
  seen: SparseRows;
  negatives: EvaluationNegatives;
  /** Users whose held-out movie is ranked (the data set's; profiles have none). */
  evaluatedUsers: Int32Array;
  /** Told the rows done in the current epoch and the last batch loss; throttle on the caller's side. */
  onBatch?: (stage: string, epoch: number, epochs: number, rowsDone: number, rowsPerEpoch: number, loss: number) => void;
  onEpoch?: (stage: string, report: EpochReport) => void;
}

export interface StageResult {
  epochs: EpochReport[];
  bestEpoch: number;
  bestWeights: NamedWeights;
}

/**
 * One training stage: evaluate the untrained model (epoch 0), then per epoch fresh negatives,
 * a pass in mini-batches and the product's HR@10 / NDCG@10; keeps the best epoch's weights.
 * The app's worker and the benchmark both train through here.
 */
export function trainStage(stage: string, trainer: NeuMFTrainer, settings: NeuMFSettings, context: RunContext): StageResult {
  const { split, seen, negatives, evaluatedUsers } = context;
  const evaluate = () => evaluateRanking(split, (u, i, out) => trainer.predict(u, i, out), negatives, { users: evaluatedUsers });
  const rowsPerEpoch = split.trainItems.length * (1 + settings.negatives);
  const untrained = evaluate();
  const epochs: EpochReport[] = [
    {
      epoch: 0,
      loss: null,
      hr10: untrained.hr10,
      ndcg10: untrained.ndcg10,
      trainSeconds: 0,
      evalSeconds: untrained.seconds,
      samplesPerSecond: null,
    },
  ];
  context.onEpoch?.(stage, epochs[0]);
  let best = { epoch: 0, hr10: untrained.hr10, weights: trainer.getWeights() };
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const rows = sampleTrainingEpoch(split, seen, settings.negatives, settings.seed * 1000 + epoch);
    const result = trainEpoch(trainer, rows, settings.batchSize, (rowsDone, loss) =>
      context.onBatch?.(stage, epoch, settings.epochs, rowsDone, rowsPerEpoch, loss),
    );
    const ranking = evaluate();
    const report: EpochReport = {
      epoch,
      loss: result.loss,
      hr10: ranking.hr10,
      ndcg10: ranking.ndcg10,
      trainSeconds: result.seconds,
      evalSeconds: ranking.seconds,
      samplesPerSecond: result.rows / result.seconds,
    };
    epochs.push(report);
    context.onEpoch?.(stage, report);
    if (ranking.hr10 > best.hr10) best = { epoch, hr10: ranking.hr10, weights: trainer.getWeights() };
  }
  return { epochs, bestEpoch: best.epoch, bestWeights: best.weights };
}

/**
 * NeuMF as the paper trains it best (He et al. 2017, 3.4.1): GMF and MLP trained alone first,
 * then NeuMF initialised from both (alpha 0.5) and trained on. The pre-training stages report
 * under their own stage names; the returned model holds the best pre-trained weights fused.
 */
export function pretrainNeuMF(numUsers: number, numItems: number, settings: NeuMFSettings, context: RunContext): FusedNeuMF {
  const gmf = new FusedNeuMF(numUsers, numItems, { ...settings, model: 'gmf' });
  gmf.setWeights(trainStage('Pre-training GMF', gmf, { ...settings, model: 'gmf' }, context).bestWeights);
  const mlp = new FusedNeuMF(numUsers, numItems, { ...settings, model: 'mlp' });
  mlp.setWeights(trainStage('Pre-training MLP', mlp, { ...settings, model: 'mlp' }, context).bestWeights);
  return FusedNeuMF.fromPretrained(gmf, mlp, { ...settings, model: 'neumf' }, 0.5);
}
