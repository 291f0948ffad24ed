import { describe, expect, it } from 'vitest';
import { evaluateHeldOut, planHeldOutEvaluation } from '../../../../src/engine/evaluation/heldOutEvaluation';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { buildUserHistories } from '../../../../src/engine/data/sparseRows';
import { evaluateTrainer, pretrainNeuMF, trainStage, type EpochReport, type RunContext } from '../../../../src/engine/training/trainingRun';
import { plantedSplit } from '../fixtures';

const split = plantedSplit(40, 120, 4, 13, 5);
const seen = buildUserHistories(split);

function recordingContext() {
  const epochs: [string, EpochReport][] = [];
  const batches: { stage: string; epoch: number; rowsDone: number; rowsPerEpoch: number }[] = [];
  const context: RunContext = {
    split,
    seen,
    evaluation: planHeldOutEvaluation(split, { perUser: 99 }),
    onBatch: (stage, epoch, _epochs, rowsDone, rowsPerEpoch) => batches.push({ stage, epoch, rowsDone, rowsPerEpoch }),
    onEpoch: (stage, report) => epochs.push([stage, report]),
  };
  return { context, epochs, batches };
}

describe('trainStage', () => {
  const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, epochs: 4, batchSize: 64, learningRate: 0.01, seed: 3 });

  it('reports the untrained model as epoch 0, then every epoch, and learns', async () => {
    const { context, epochs, batches } = recordingContext();
    const run = await trainStage('Training', new FusedNeuMF(split.numUsers, split.numItems, settings), settings, context);
    expect(run.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(epochs).toEqual(run.epochs.map((report) => ['Training', report]));
    expect(run.epochs[0]).toMatchObject({ loss: null, samplesPerSecond: null, trainSeconds: 0 });
    for (const e of run.epochs.slice(1)) expect(e.loss! > 0 && e.samplesPerSecond! > 0).toBe(true);
    expect(run.epochs[4].loss!).toBeLessThan(run.epochs[1].loss!);
    expect(Math.max(...run.epochs.map((e) => e.hr10))).toBeGreaterThan(run.epochs[0].hr10 + 0.2);

    // Progress: every epoch's rows in batches of 64, counted up to the epoch's size.
    const rowsPerEpoch = split.trainItems.length * (1 + settings.negatives);
    const last = batches.filter((b) => b.epoch === 2);
    expect(last.map((b) => b.rowsDone)).toEqual(
      Array.from({ length: Math.ceil(rowsPerEpoch / 64) }, (_, k) => Math.min(rowsPerEpoch, 64 * (k + 1))),
    );
    expect(last.every((b) => b.rowsPerEpoch === rowsPerEpoch && b.stage === 'Training')).toBe(true);
  });

  it('keeps the weights of the epoch that ranks validation best with its neighbours, never choosing on test', async () => {
    const { context } = recordingContext();
    const run = await trainStage('Training', new FusedNeuMF(split.numUsers, split.numItems, settings), settings, context);
    // Each trained epoch's validation figure smoothed with the trained epochs either side of it, weights 1, 2, 1 (EpochChoice).
    const validation = run.epochs.map((e) => e.valNdcg10!);
    const windowed = (e: number) => {
      const around = [e - 1, e, e, e + 1].filter((k) => k >= 1 && k < validation.length);
      return around.reduce((sum, k) => sum + validation[k], 0) / around.length;
    };
    const best = run.epochs.slice(1).reduce((a, b) => (windowed(b.epoch) > windowed(a.epoch) ? b : a));
    expect(run.bestEpoch).toBe(best.epoch);

    const restored = new FusedNeuMF(split.numUsers, split.numItems, settings);
    restored.setWeights(run.bestWeights);
    const again = await evaluateTrainer(restored, context.evaluation);
    expect([again.valNdcg10, again.hr10, again.fullHr10]).toEqual([best.valNdcg10, best.hr10, best.fullHr10]);
  });

  it('stops once validation has not improved for `patience` epochs', async () => {
    // A learning rate this high overshoots after a few epochs: validation stops improving.
    const eager = resolveNeuMFSettings({ ...paperNeuMFSettings, epochs: 30, patience: 2, batchSize: 64, learningRate: 0.2, seed: 3 });
    const { context } = recordingContext();
    const run = await trainStage('Training', new FusedNeuMF(split.numUsers, split.numItems, eager), eager, context);
    const last = run.epochs[run.epochs.length - 1].epoch;
    expect(run.stoppedEarly).toBe(true);
    // Patience counts judged epochs; the last one waits for a neighbour that stopping never trains.
    expect(last).toBe(run.bestEpoch + 3);
    expect(last).toBeLessThan(30);
  });

  it('with averaged weights evaluates and keeps the average, and trains on exactly as without it', async () => {
    const averaged = { ...settings, averageEpochs: 0.5 };
    const plain = await trainStage(
      'Training',
      new FusedNeuMF(split.numUsers, split.numItems, settings),
      settings,
      recordingContext().context,
    );
    const { context } = recordingContext();
    const run = await trainStage('Training', new FusedNeuMF(split.numUsers, split.numItems, averaged), averaged, context);
    // The same steps from the same weights: averaging reads the trained weights and puts them back.
    expect(run.epochs.map((e) => e.loss)).toEqual(plain.epochs.map((e) => e.loss));
    // What was scored is the average, not the last step's weights.
    expect(run.epochs.slice(1).map((e) => e.valNdcg10)).not.toEqual(plain.epochs.slice(1).map((e) => e.valNdcg10));
    const restored = new FusedNeuMF(split.numUsers, split.numItems, averaged);
    restored.setWeights(run.bestWeights);
    const again = await evaluateTrainer(restored, context.evaluation);
    const kept = run.epochs[run.bestEpoch];
    expect([again.valNdcg10, again.hr10, again.fullHr10]).toEqual([kept.valNdcg10, kept.hr10, kept.fullHr10]);
    const strip = (epochs: EpochReport[]) => epochs.map(({ epoch, loss, hr10, valNdcg10 }) => ({ epoch, loss, hr10, valNdcg10 }));
    const rerun = await trainStage(
      'Training',
      new FusedNeuMF(split.numUsers, split.numItems, averaged),
      averaged,
      recordingContext().context,
    );
    expect(strip(rerun.epochs)).toEqual(strip(run.epochs));
  });

  it('is the same run for the same seed', async () => {
    const run = () =>
      trainStage('Training', new FusedNeuMF(split.numUsers, split.numItems, settings), settings, recordingContext().context);
    const strip = (epochs: EpochReport[]) => epochs.map(({ epoch, loss, hr10, ndcg10 }) => ({ epoch, loss, hr10, ndcg10 }));
    expect(strip((await run()).epochs)).toEqual(strip((await run()).epochs));
  });
});

describe('pretrainNeuMF', () => {
  it('trains GMF, then MLP, and joins their best weights into NeuMF', async () => {
    const settings = resolveNeuMFSettings({
      ...paperNeuMFSettings,
      model: 'neumf-pretrained',
      epochs: 3,
      batchSize: 64,
      learningRate: 0.01,
      seed: 5,
    });
    const { context, epochs } = recordingContext();
    const neumf = await pretrainNeuMF(split.numUsers, split.numItems, settings, context);
    expect(epochs.map(([stage, report]) => `${stage} ${report.epoch}`)).toEqual([
      ...[0, 1, 2, 3].map((e) => `Pre-training GMF ${e}`),
      ...[0, 1, 2, 3].map((e) => `Pre-training MLP ${e}`),
    ]);
    expect(neumf.settings.model).toBe('neumf');
    expect(neumf.layout.gmfDim > 0 && neumf.layout.mlpHalf > 0).toBe(true);
    // Already trained before its own first epoch: far above the ~0.1 of an untrained model.
    const start = evaluateHeldOut(context.evaluation, { scoreUser: (u, out) => neumf.scoreUser(u, out) });
    expect(start.hr10).toBeGreaterThan(0.4);
  });
});
