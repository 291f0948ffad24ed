import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { buildTfNeuMF, copyWeightsFromTfModel, copyWeightsToTfModel } from '../../../../src/engine/model/tfNeuMF';
import { SeededRandom } from '../../../../src/shared/random';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('tfjs NeuMF', () => {
  for (const model of ['neumf', 'gmf', 'mlp'] as const) {
    it(`scores like the fused model with the same weights (${model})`, () => {
      const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, model, seed: 4 });
      const fused = new FusedNeuMF(30, 50, settings);
      // Train a little so the weights are not just the initialisation.
      const rng = new SeededRandom(2);
      const n = 512;
      const users = Int32Array.from({ length: n }, () => rng.nextInt(30));
      const items = Int32Array.from({ length: n }, () => rng.nextInt(50));
      const labels = Float32Array.from({ length: n }, () => (rng.nextFloat() < 0.5 ? 1 : 0));
      for (let s = 0; s < 20; s++) fused.trainBatch(users, items, labels, 0, n);

      const tfModel = buildTfNeuMF(30, 50, settings);
      copyWeightsToTfModel(fused, tfModel);
      const expected = new Float32Array(n);
      fused.predict(users, items, expected);
      const got = tf.tidy(() =>
        (tfModel.predict([tf.tensor2d(users, [n, 1], 'int32'), tf.tensor2d(items, [n, 1], 'int32')]) as tf.Tensor).dataSync(),
      );
      let worst = 0;
      for (let r = 0; r < n; r++) worst = Math.max(worst, Math.abs(got[r] - expected[r]));
      expect(worst).toBeLessThan(1e-5);

      const back = new FusedNeuMF(30, 50, { ...settings, seed: 77 });
      copyWeightsFromTfModel(tfModel, back);
      const again = new Float32Array(n);
      back.predict(users, items, again);
      expect(Array.from(again)).toEqual(Array.from(expected));
      tfModel.dispose();
    });
  }
});
