import { describe, expect, it } from 'vitest';
import { defaultEaseSettings } from '../../../src/engine/baselines/easeSettings';
import { defaultNeuMFSettings } from '../../../src/engine/model/neumfSettings';
import { describeHitRates, keptEpochRule } from '../../../src/recommend/modelDescription';
import type { ModelRecord } from '../../../src/storage/db';
import { modelRecord } from '../storage/modelRecord';

/** A saved model record whose kept epoch is 4. */
const common = { ...modelRecord(1, 1), id: 1, bestEpoch: 4 };

describe('describeHitRates', () => {
  it('says both hit rates per hundred people, with the figures after them', () => {
    expect(describeHitRates({ hr10: 0.614, fullHr10: 0.0923 })).toBe(
      'In a test, for 61 of every 100 people here, the movie they watched last makes its top 10 when mixed with 99 random movies they had not seen (HR@10 0.614); among every movie, for 9 of 100 (0.092).',
    );
  });

  it('leaves out the whole-catalogue rate of a model saved before it was measured', () => {
    expect(describeHitRates({ hr10: 0.7049, fullHr10: null })).toBe(
      'In a test, for 70 of every 100 people here, the movie they watched last makes its top 10 when mixed with 99 random movies they had not seen (HR@10 0.705).',
    );
  });
});

describe('keptEpochRule', () => {
  it('says how each kind of model chose what it kept, and NeuMF models saved before the smoothed choice as they were chosen', () => {
    const neumf: ModelRecord = {
      ...common,
      kind: 'neumf',
      settings: { ...defaultNeuMFSettings, averageEpochs: 0 },
      epochChoice: 'smoothed',
    };
    expect(keptEpochRule(neumf)).toBe(
      'epoch 4 was kept: the best on validation NDCG@10, with the epochs either side counted at half weight',
    );
    expect(keptEpochRule({ ...neumf, epochChoice: undefined })).toBe('epoch 4 was kept: the best on validation NDCG@10');
    expect(keptEpochRule({ ...neumf, settings: { ...defaultNeuMFSettings, averageEpochs: 0.2 } })).toBe(
      "epoch 4 was kept: the best on validation NDCG@10, with the epochs either side counted at half weight; its weights are averaged over about the last 0.2 of an epoch's updates",
    );
    expect(keptEpochRule({ ...common, kind: 'itempop', settings: null })).toBe('nothing to choose');
    const lambdas = [50, 300, 1000].map((lambda) => ({ ...common.epochs[0], epoch: lambda }));
    expect(keptEpochRule({ ...common, kind: 'ease', settings: { ...defaultEaseSettings, lambda: 300 }, epochs: lambdas })).toBe(
      'its regularisation λ = 300 ranked the validation movies best of 3 values tried',
    );
  });
});
