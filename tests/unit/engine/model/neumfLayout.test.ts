import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  emptyTables,
  isUserEmbedding,
  neumfLayout,
  weightsFromTables,
  writeWeightsToTables,
} from '../../../../src/engine/model/neumfLayout';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { buildTfNeuMF } from '../../../../src/engine/model/tfNeuMF';
import { InvalidSettingsError } from '../../../../src/shared/settings';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('neumfLayout', () => {
  it('derives the sizes of NeuMF from its settings', () => {
    const layout = neumfLayout(5, 7, resolveNeuMFSettings({ ...paperNeuMFSettings, gmfDim: 8, mlpLayers: [64, 32, 16, 8] }));
    expect(layout).toMatchObject({ gmfDim: 8, mlpHalf: 32, rowWidth: 40, towerSizes: [64, 32, 16, 8], predictInputs: 16 });
    // [kernel 64x32, bias 32, kernel 32x16, bias 16, kernel 16x8, bias 8, prediction 16x1, bias 1]
    expect(Array.from(layout.kernelOffset)).toEqual([0, 2080, 2608]);
    expect(Array.from(layout.biasOffset)).toEqual([2048, 2592, 2736]);
    expect([layout.predictOffset, layout.predictBiasOffset, layout.denseSize]).toEqual([2744, 2760, 2761]);
  });

  it('leaves out the path a GMF or MLP model does not have', () => {
    const gmf = neumfLayout(5, 7, resolveNeuMFSettings({ ...paperNeuMFSettings, model: 'gmf', gmfDim: 6 }));
    expect(gmf).toMatchObject({ gmfDim: 6, mlpHalf: 0, rowWidth: 6, towerSizes: [], predictInputs: 6, denseSize: 7 });
    expect(gmf.slots.map((s) => s.name)).toEqual([
      'user_gmf_embedding/embeddings',
      'item_gmf_embedding/embeddings',
      'prediction/kernel',
      'prediction/bias',
    ]);
    const mlp = neumfLayout(5, 7, resolveNeuMFSettings({ ...paperNeuMFSettings, model: 'mlp', mlpLayers: [6, 4] }));
    expect(mlp).toMatchObject({ gmfDim: 0, mlpHalf: 3, rowWidth: 3, predictInputs: 4, denseSize: 6 * 4 + 4 + 4 + 1 });
    expect(mlp.slots.filter((s) => s.home !== 'dense').map((s) => [s.name, s.offset])).toEqual([
      ['user_mlp_embedding/embeddings', 0],
      ['item_mlp_embedding/embeddings', 0],
    ]);
  });

  it('rejects settings that cannot be trained with', () => {
    expect(() => neumfLayout(5, 7, { ...resolveNeuMFSettings(paperNeuMFSettings), mlpLayers: [7, 4] })).toThrow(InvalidSettingsError);
  });

  for (const model of ['neumf', 'gmf', 'mlp'] as const) {
    it(`names and shapes every weight as the tfjs model does (${model})`, () => {
      const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, model, gmfDim: 3, mlpLayers: [8, 6, 4] });
      const tfModel = buildTfNeuMF(5, 7, settings);
      const fromTf = tfModel.weights.map((w) => `${w.originalName} ${w.shape}`).sort();
      tfModel.dispose();
      expect(
        neumfLayout(5, 7, settings)
          .slots.map((s) => `${s.name} ${s.shape}`)
          .sort(),
      ).toEqual(fromTf);
    });
  }
});

describe('tables and named weights', () => {
  const layout = neumfLayout(2, 3, resolveNeuMFSettings({ ...paperNeuMFSettings, gmfDim: 2, mlpLayers: [4, 4] }));
  const counting = () => {
    const tables = emptyTables(layout);
    for (const table of [tables.user, tables.item, tables.dense]) table.forEach((_, k) => (table[k] = k));
    return tables;
  };

  it('splits each row into its GMF and MLP columns', () => {
    const byName = new Map(weightsFromTables(layout, counting()).map((w) => [w.name, w]));
    // User rows are [g0 g1 | m0 m1]: row 1 is 4..7.
    expect(byName.get('user_gmf_embedding/embeddings')).toEqual({
      name: 'user_gmf_embedding/embeddings',
      shape: [2, 2],
      values: Float32Array.of(0, 1, 4, 5),
    });
    expect(byName.get('user_mlp_embedding/embeddings')!.values).toEqual(Float32Array.of(2, 3, 6, 7));
    expect(byName.get('item_mlp_embedding/embeddings')!.values).toEqual(Float32Array.of(2, 3, 6, 7, 10, 11));
    expect(byName.get('mlp_dense_1/bias')!.values).toEqual(Float32Array.of(16, 17, 18, 19));
    expect(byName.get('prediction/bias')!.values).toEqual(Float32Array.of(layout.denseSize - 1));
  });

  it('writes named weights back where they came from', () => {
    const tables = counting();
    const copy = emptyTables(layout);
    writeWeightsToTables(layout, weightsFromTables(layout, tables), copy);
    expect(copy).toEqual(tables);
  });

  it('checks every weight before writing any', () => {
    const weights = weightsFromTables(layout, counting());
    const target = emptyTables(layout);
    const wrongShape = weights.map((w) => (w.name === 'prediction/kernel' ? { ...w, shape: [2, 2] } : w));
    expect(() => writeWeightsToTables(layout, wrongShape, target)).toThrow(
      'Weight prediction/kernel has shape [2,2] but the model needs [6,1].',
    );
    expect(() => writeWeightsToTables(layout, weights.slice(1), target)).toThrow('Weight user_gmf_embedding/embeddings is missing.');
    expect(target).toEqual(emptyTables(layout));
  });

  it('knows which weights hold one row per user', () => {
    const users = layout.slots.filter((s) => isUserEmbedding(s.name)).map((s) => s.name);
    expect(users).toEqual(['user_gmf_embedding/embeddings', 'user_mlp_embedding/embeddings']);
  });
});
