import { describe, expect, it } from 'vitest';
import { evaluateRanking } from '../../../../src/engine/evaluation/evaluateRanking';
import type { NamedWeights } from '../../../../src/engine/model/neumfLayout';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import type { NeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { buildUserHistories, knownInteractions } from '../../../../src/engine/data/sparseRows';
import { sampleTrainingEpoch } from '../../../../src/engine/sampling/negatives';
import { trainEpoch } from '../../../../src/engine/training/trainEpoch';
import { SeededRandom } from '../../../../src/shared/random';
import { plantedSplit, randomBatch } from '../fixtures';

/** Tower sizes that are multiples of 4 run on the SIMD kernels; others on the plain-JS loops. */
const tiny: NeuMFSettings = resolveNeuMFSettings({ ...paperNeuMFSettings, gmfDim: 3, mlpLayers: [8, 8, 4], seed: 5 });
const tinyOdd: NeuMFSettings = resolveNeuMFSettings({ ...paperNeuMFSettings, gmfDim: 3, mlpLayers: [6, 5, 3], seed: 5 });

/** Large random weights, so every gradient is well above float32 noise. */
function scrambled(weights: NamedWeights, seed: number): NamedWeights {
  const rng = new SeededRandom(seed);
  return weights.map((w) => ({ ...w, values: w.values.map(() => 0.6 * rng.nextGaussian()) }));
}

describe('FusedNeuMF gradients', () => {
  const cases = [
    ...(['neumf', 'gmf', 'mlp'] as const).map((model) => ({ model, settings: tiny, simd: true })),
    { model: 'neumf' as const, settings: tinyOdd, simd: true },
    { model: 'neumf' as const, settings: tiny, simd: false },
    // The L2 penalty on the batch's rows is part of the loss and of the gradient.
    { model: 'neumf' as const, settings: { ...tiny, l2: 0.05 }, simd: true },
  ];
  for (const { model, settings, simd } of cases) {
    it(`match finite differences (${model}, tower ${settings.mlpLayers}, simd ${simd}, l2 ${settings.l2})`, () => {
      const net = new FusedNeuMF(4, 5, { ...settings, model }, { simd });
      if (model !== 'gmf') expect(net.usesSimd).toBe(simd && settings !== tinyOdd);
      net.setWeights(scrambled(net.getWeights(), 11));
      const { users, items, labels } = randomBatch(4, 5, 12, 3);
      net.accumulateGradients(users, items, labels);
      const analytic = net.gradients();
      const weights = net.getWeights();
      const h = 2e-3;
      let checked = 0;
      for (let w = 0; w < weights.length; w++) {
        for (let k = 0; k < weights[w].values.length; k++) {
          const original = weights[w].values[k];
          weights[w].values[k] = original + h;
          net.setWeights(weights);
          const plus = net.accumulateGradients(users, items, labels);
          weights[w].values[k] = original - h;
          net.setWeights(weights);
          const minus = net.accumulateGradients(users, items, labels);
          weights[w].values[k] = original;
          const numeric = (plus - minus) / (2 * h);
          expect(Math.abs(numeric - analytic[w].values[k]), `${weights[w].name}[${k}]`).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(30);
    });
  }
});

/** PyTorch's dense Adam, applied by the test to whole weight tensors. */
function denseAdamReference(net: FusedNeuMF, steps: number, batches: ReturnType<typeof randomBatch>[], lr: number): NamedWeights {
  const weights = net.getWeights();
  const m = weights.map((w) => new Float64Array(w.values.length));
  const v = weights.map((w) => new Float64Array(w.values.length));
  for (let t = 1; t <= steps; t++) {
    const { users, items, labels } = batches[t - 1];
    net.setWeights(weights);
    net.accumulateGradients(users, items, labels);
    const grads = net.gradients();
    for (let w = 0; w < weights.length; w++) {
      for (let k = 0; k < weights[w].values.length; k++) {
        const g = grads[w].values[k];
        m[w][k] = 0.9 * m[w][k] + 0.1 * g;
        v[w][k] = 0.999 * v[w][k] + 0.001 * g * g;
        const mHat = m[w][k] / (1 - 0.9 ** t);
        const vHat = v[w][k] / (1 - 0.999 ** t);
        weights[w].values[k] -= (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    }
  }
  return weights;
}

describe('FusedNeuMF optimiser', () => {
  // Past step 1,000 the catch-up holds the bias correction over the skipped steps (adamMath.ts),
  // so the long run checks that approximation too, at the product's learning rate.
  const runs = [
    { steps: 40, learningRate: 0.01, within: 1e-3 },
    { steps: 1200, learningRate: 0.001, within: 3e-4 },
  ];
  for (const { steps, learningRate, within } of runs) {
    it(`'dense' embedding Adam moves untouched rows like dense Adam does (${steps} steps)`, () => {
      const settings = { ...tiny, learningRate };
      const batches = Array.from({ length: steps }, (_, s) => randomBatch(30, 40, 4, 100 + s));
      const fused = new FusedNeuMF(30, 40, settings, { embeddingAdam: 'dense' });
      const reference = denseAdamReference(new FusedNeuMF(30, 40, settings), steps, batches, settings.learningRate);
      for (const b of batches) fused.trainBatch(b.users, b.items, b.labels);
      const lazy = new FusedNeuMF(30, 40, settings, { embeddingAdam: 'lazy' });
      for (const b of batches) lazy.trainBatch(b.users, b.items, b.labels);
      const got = fused.getWeights();
      const gotLazy = lazy.getWeights();
      let worst = 0;
      let worstLazy = 0;
      for (let w = 0; w < got.length; w++) {
        for (let k = 0; k < got[w].values.length; k++) {
          worst = Math.max(worst, Math.abs(got[w].values[k] - reference[w].values[k]));
          worstLazy = Math.max(worstLazy, Math.abs(gotLazy[w].values[k] - reference[w].values[k]));
        }
      }
      // Parameters move by tenths; the closed-form catch-up stays close to dense Adam, where lazy
      // Adam (rows frozen when unused) does not.
      expect(worst).toBeLessThan(within);
      expect(worstLazy).toBeGreaterThan(10 * worst);
    });
  }

  it('lowers the training loss', () => {
    const split = plantedSplit();
    const seen = buildUserHistories(split);
    const net = new FusedNeuMF(split.numUsers, split.numItems, { ...tiny, learningRate: 0.01 });
    const losses = [1, 2, 3, 4, 5].map((e) => trainEpoch(net, sampleTrainingEpoch(split, seen, 4, e), 32).loss);
    expect(losses[4]).toBeLessThan(losses[0] * 0.8);
  });
});

describe('FusedNeuMF learns a planted structure', () => {
  for (const model of ['neumf', 'gmf', 'mlp'] as const) {
    it(`${model}: HR@10 far above the 0.10 of chance`, () => {
      const split = plantedSplit(80, 200, 4, 15, 9);
      const seen = buildUserHistories(split);
      // The MLP alone starts from near-zero embeddings and needs a gentler rate and more epochs.
      const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, model, learningRate: model === 'mlp' ? 0.003 : 0.01, seed: 3 });
      const net = new FusedNeuMF(split.numUsers, split.numItems, settings);
      for (let e = 1; e <= (model === 'mlp' ? 12 : 8); e++) trainEpoch(net, sampleTrainingEpoch(split, seen, 4, e), 64);
      const result = evaluateRanking(split, (u, i, out) => net.predict(u, i, out), {
        kind: 'sampled',
        known: knownInteractions(split),
        perUser: 99,
        seed: 4,
      });
      expect(result.users).toBe(80);
      expect(result.hr10).toBeGreaterThan(0.3);
    });
  }
});

describe('FusedNeuMF SIMD kernels', () => {
  it('train and score like the plain-JS loops', () => {
    const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 12 });
    const simd = new FusedNeuMF(40, 60, settings, { simd: true });
    const plain = new FusedNeuMF(40, 60, settings, { simd: false });
    expect(simd.usesSimd).toBe(true);
    expect(plain.usesSimd).toBe(false);
    for (let s = 0; s < 30; s++) {
      const { users, items, labels } = randomBatch(40, 60, 64, 200 + s);
      expect(simd.trainBatch(users, items, labels)).toBeCloseTo(plain.trainBatch(users, items, labels), 5);
    }
    const { users, items } = randomBatch(40, 60, 300, 7);
    const [a, b] = [new Float32Array(300), new Float32Array(300)];
    simd.predict(users, items, a);
    plain.predict(users, items, b);
    for (let r = 0; r < 300; r++) expect(Math.abs(a[r] - b[r])).toBeLessThan(1e-4);
  });
});

describe('FusedNeuMF user rows (fold-in)', () => {
  it('trains one user row against a frozen network', () => {
    const split = plantedSplit(40, 120, 4, 12, 2);
    const seen = buildUserHistories(split);
    const net = new FusedNeuMF(
      split.numUsers + 1,
      split.numItems,
      resolveNeuMFSettings({ ...paperNeuMFSettings, learningRate: 0.01, seed: 3 }),
    );
    for (let e = 1; e <= 6; e++) trainEpoch(net, sampleTrainingEpoch(split, seen, 4, e), 64);
    const frozen = net.getWeights().filter((w) => !w.name.startsWith('user_'));

    // A new user (the spare row) who likes cluster 0's training items.
    const spare = split.numUsers;
    const liked = Array.from(split.trainItems.filter((_, p) => split.trainUsers[p] % 4 === 0)).slice(0, 20);
    const users = new Int32Array(liked.length * 2).fill(spare);
    const items = Int32Array.from([...liked, ...liked.map((i) => (i + 30) % 120)]);
    const labels = Float32Array.from(items, (_, r) => (r < liked.length ? 1 : 0));
    net.setUserRow(spare, new Float32Array(net.rowWidth));
    net.resetUserRowOptimiser(spare);
    const first = net.trainUserRows(users, items, labels, 0, users.length, 0.02);
    let last = first;
    for (let s = 0; s < 60; s++) last = net.trainUserRows(users, items, labels, 0, users.length, 0.02);
    expect(last).toBeLessThan(first * 0.7);
    expect(net.getUserRow(spare).some((x) => x !== 0)).toBe(true);
    // Nothing but user rows moved.
    expect(net.getWeights().filter((w) => !w.name.startsWith('user_'))).toEqual(frozen);
    expect(() => net.setUserRow(spare, new Float32Array(3))).toThrow(/numbers/);
  });
});

describe('FusedNeuMF weights', () => {
  it('round-trip through getWeights/setWeights and reject wrong shapes', () => {
    const a = new FusedNeuMF(7, 9, tiny);
    const b = new FusedNeuMF(7, 9, { ...tiny, seed: 99 });
    b.setWeights(a.getWeights());
    const { users, items } = randomBatch(7, 9, 20, 1);
    const pa = new Float32Array(20);
    const pb = new Float32Array(20);
    a.predict(users, items, pa);
    b.predict(users, items, pb);
    expect(Array.from(pb)).toEqual(Array.from(pa));
    const wrong = a.getWeights().map((w) => (w.name.startsWith('prediction/kernel') ? { ...w, shape: [2, 1] } : w));
    expect(() => b.setWeights(wrong)).toThrow(/shape/);
  });

  it('is initialised deterministically by seed', () => {
    const a = new FusedNeuMF(7, 9, tiny).getWeights();
    const b = new FusedNeuMF(7, 9, tiny).getWeights();
    const c = new FusedNeuMF(7, 9, { ...tiny, seed: 6 }).getWeights();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('builds NeuMF from pre-trained GMF and MLP with alpha 0.5', () => {
    const gmf = new FusedNeuMF(7, 9, { ...tiny, model: 'gmf' });
    const mlp = new FusedNeuMF(7, 9, { ...tiny, model: 'mlp', seed: 8 });
    const neumf = FusedNeuMF.fromPretrained(gmf, mlp, tiny);
    const { users, items } = randomBatch(7, 9, 20, 2);
    const [pg, pm, pn] = [new Float32Array(20), new Float32Array(20), new Float32Array(20)];
    gmf.predict(users, items, pg);
    mlp.predict(users, items, pm);
    neumf.predict(users, items, pn);
    // Logit of NeuMF = 0.5 · logit(GMF) + 0.5 · logit(MLP).
    const logit = (p: number) => Math.log(p / (1 - p));
    for (let r = 0; r < 20; r++) expect(logit(pn[r])).toBeCloseTo(0.5 * logit(pg[r]) + 0.5 * logit(pm[r]), 4);
  });
});

describe('FusedNeuMF.scoreUser', () => {
  for (const settings of [tiny, tinyOdd, { ...tiny, model: 'gmf' as const }, { ...tiny, model: 'mlp' as const }]) {
    it(`gives every item the logit predict gives the pair (${settings.model}, tower ${settings.mlpLayers})`, () => {
      const net = new FusedNeuMF(6, 30, settings);
      net.setWeights(scrambled(net.getWeights(), 4));
      const check = () => {
        const logits = new Float32Array(30);
        const sigmoids = new Float32Array(30);
        for (let user = 0; user < 6; user++) {
          net.scoreUser(user, logits);
          net.predict(
            new Int32Array(30).fill(user),
            Int32Array.from({ length: 30 }, (_, i) => i),
            sigmoids,
          );
          for (let i = 0; i < 30; i++) expect(1 / (1 + Math.exp(-logits[i]))).toBeCloseTo(sigmoids[i], 5);
        }
      };
      check();
      // After training steps the cached item parts must follow the new weights.
      const { users, items, labels } = randomBatch(6, 30, 40, 2);
      for (let s = 0; s < 3; s++) net.trainBatch(users, items, labels);
      check();
    });
  }
});
