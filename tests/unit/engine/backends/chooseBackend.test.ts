import { describe, expect, it } from 'vitest';
import {
  createTrainer,
  describeBackends,
  describeFusedTrainer,
  measureTrainingSpeed,
  toFusedNeuMF,
} from '../../../../src/engine/backends/chooseBackend';
import { FusedNeuMF } from '../../../../src/engine/model/fusedNeuMF';
import { paperNeuMFSettings, resolveNeuMFSettings } from '../../../../src/engine/model/neumfSettings';
import { randomBatch } from '../fixtures';
import { InvalidSettingsError } from '../../../../src/shared/settings';

// Node has WebAssembly SIMD but neither WebGPU nor OffscreenCanvas: no GPU, as on this project's machine.
const settings = resolveNeuMFSettings({ ...paperNeuMFSettings, seed: 6 });
const NO_GPU = 'webgpu: WebGPU is not exposed by this browser; webgl: no OffscreenCanvas in this context';

describe('createTrainer', () => {
  it('gives the fused trainer when asked for it', async () => {
    const created = await createTrainer(20, 30, settings, 'fused');
    expect(created.trainer).toBeInstanceOf(FusedNeuMF);
    expect(created).toMatchObject({ id: 'fused', backend: 'wasm-simd (fused kernels)', reason: 'Chosen in the settings.' });
  });

  it("'auto' without a hardware GPU takes the fused trainer at once and says why", async () => {
    const created = await createTrainer(20, 30, settings, 'auto', { probeMilliseconds: 1 });
    expect(created.trainer).toBeInstanceOf(FusedNeuMF);
    expect(created.reason).toBe(`No hardware-accelerated GPU (${NO_GPU}), so the fused CPU trainer is fastest.`);
  });

  it('falls back to what auto picks when the requested backend cannot start', async () => {
    const created = await createTrainer(20, 30, settings, 'webgl');
    expect(created.id).toBe('fused');
    expect(created.reason).toBe(
      `webgl unavailable: no OffscreenCanvas in this context; using wasm-simd (fused kernels). No hardware-accelerated GPU (${NO_GPU}), so the fused CPU trainer is fastest.`,
    );
  });

  it('starts tfjs on the cpu from the fused initialisation, checked against the fused trainer', async () => {
    const created = await createTrainer(20, 30, settings, 'cpu');
    try {
      expect(created).toMatchObject({ id: 'cpu', backend: 'tfjs cpu', reason: 'Chosen in the settings.' });
      expect(created.trainer).not.toBeInstanceOf(FusedNeuMF);
      const fused = new FusedNeuMF(20, 30, settings);
      expect(created.trainer.getWeights()).toEqual(fused.getWeights());

      const { users, items, labels } = randomBatch(20, 30, 64, 1);
      expect(created.trainer.trainBatch(users, items, labels, 0, 64)).toBeCloseTo(fused.trainBatch(users, items, labels, 0, 64), 5);
      const stored = await toFusedNeuMF(created.trainer);
      expect(stored).toBeInstanceOf(FusedNeuMF);
      expect(stored.getWeights()).toEqual(created.trainer.getWeights());
    } finally {
      created.trainer.dispose?.();
    }
  }, 30_000); // loads tfjs

  it('rejects settings no trainer can use', async () => {
    await expect(createTrainer(20, 30, { ...settings, gmfDim: 0 }, 'fused')).rejects.toThrow(InvalidSettingsError);
  });
});

describe('describeFusedTrainer', () => {
  it('says what createTrainer says for the fused trainer, without building one', async () => {
    const { trainer, ...created } = await createTrainer(20, 30, settings, 'fused');
    expect(trainer).toBeInstanceOf(FusedNeuMF);
    expect(describeFusedTrainer(settings)).toEqual(created);
  });

  it('names the plain-JS kernels for a tower the SIMD kernels cannot run', async () => {
    expect(describeFusedTrainer(resolveNeuMFSettings({ ...paperNeuMFSettings, mlpLayers: [6, 5, 3] })).backend).toBe('js (fused kernels)');
    expect(describeFusedTrainer(resolveNeuMFSettings({ ...paperNeuMFSettings, model: 'gmf' })).backend).toBe('js (fused kernels)');
  });

  it('rejects invalid settings as the trainer would', async () => {
    expect(() => describeFusedTrainer({ ...settings, mlpLayers: [7, 4] })).toThrow(InvalidSettingsError);
  });
});

describe('toFusedNeuMF', () => {
  it('returns a fused trainer itself', async () => {
    const fused = new FusedNeuMF(4, 5, settings);
    expect(await toFusedNeuMF(fused)).toBe(fused);
  });
});

describe('measureTrainingSpeed', () => {
  it('trains the trainer and reports samples per second', async () => {
    const fused = new FusedNeuMF(20, 30, settings);
    const rate = await measureTrainingSpeed(fused, 32, 5);
    expect(rate).toBeGreaterThan(0);
    expect(Number.isFinite(rate)).toBe(true);
    expect(fused.steps).toBeGreaterThanOrEqual(5); // two warm-up batches and at least three timed ones
  });
});

describe('describeBackends', () => {
  it('lists every concrete backend with what it would run on here', async () => {
    const backends = await describeBackends();
    expect(backends.map((b) => [b.id, b.available, b.accelerated])).toEqual([
      ['fused', true, false],
      ['webgpu', false, false],
      ['webgl', false, false],
      ['wasm', true, false],
      ['cpu', true, false],
    ]);
    expect(backends[0].note).toBe('wasm-simd (fused kernels): hand-written kernels on the CPU');
    expect(backends[3].note).toBe('tfjs on the CPU with SIMD');
  });
});
