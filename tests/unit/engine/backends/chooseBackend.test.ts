import { describe, expect, it, vi } from 'vitest';
import {
  createTrainer,
  describeBackends,
  describeFusedTrainer,
  FUSED_THREAD_EFFICIENCY,
  fusedSpeedupOn,
  measureTrainingSpeed,
  probeSteps,
  rankProbedSpeeds,
  type NeuMFTrainer,
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

  it('times only what comes after a warm-up as long as the timing, so a trainer that speeds up is measured at its later speed', async () => {
    // A trainer whose first 8 steps take 40 ms and every later one 10 ms (as V8 switches to optimised WebAssembly), on a fake clock.
    let clock = 0;
    let steps = 0;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const trainer = {
      numUsers: 10,
      numItems: 10,
      trainBatch: () => {
        clock += steps++ < 8 ? 40 : 10;
        return 0.5;
      },
    } as unknown as NeuMFTrainer;
    try {
      // Warm-up: 8 steps (320 ms) + 8 steps (80 ms) reach 400 ms; then 40 steps of 10 ms: 100 rows each in 0.4 s.
      expect(await measureTrainingSpeed(trainer, 100, 400)).toBe(10_000);
      expect(steps).toBe(56);
    } finally {
      now.mockRestore();
    }
  });
});

describe('probeSteps', () => {
  it('trains on the rows it is given, four batches of them in turn, cycling rows where there are fewer', async () => {
    const seenUsers: number[][] = [];
    const trainer = {
      numUsers: 10,
      numItems: 10,
      trainBatch: (users: Int32Array, items: Int32Array, labels: Float32Array, start: number, end: number) => {
        seenUsers.push(Array.from(users.subarray(start, end)));
        expect(Array.from(items.subarray(start, end))).toEqual(seenUsers.at(-1)!.map((u) => u + 100));
        expect(Array.from(labels.subarray(start, end))).toEqual(seenUsers.at(-1)!.map((u) => u % 2));
        return 0.5;
      },
    } as unknown as NeuMFTrainer;
    const given = [1, 2, 3, 4, 5, 6];
    const rows = {
      users: Int32Array.from(given),
      items: Int32Array.from(given, (u) => u + 100),
      labels: Float32Array.from(given, (u) => u % 2),
    };
    const step = probeSteps(trainer, 4, rows);
    for (let k = 0; k < 5; k++) await step(k);
    expect(seenUsers).toEqual([
      [1, 2, 3, 4],
      [5, 6, 1, 2],
      [3, 4, 5, 6],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
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

describe('rankProbedSpeeds', () => {
  // What the probe measured in Chromium on an NVIDIA H200 at batch 8,192 (docs/BENCHMARKS.md).
  const probed = [
    { id: 'fused' as const, samplesPerSecond: 409_000 },
    { id: 'webgpu' as const, samplesPerSecond: 527_000 },
    { id: 'webgl' as const, samplesPerSecond: 63_000 },
  ];

  it('puts the fastest first where the fused trainer would train on one thread', () => {
    expect(rankProbedSpeeds(probed)).toEqual({ order: ['webgpu', 'fused', 'webgl'], measured: 'webgpu 527k, fused 409k, webgl 63k' });
  });

  it("weighs the fused trainer's one-thread rate by the threads it would train on", () => {
    expect(fusedSpeedupOn(1)).toBe(1);
    expect(fusedSpeedupOn(2)).toBe(1 + FUSED_THREAD_EFFICIENCY);
    expect(rankProbedSpeeds(probed, 2)).toEqual({
      order: ['fused', 'webgpu', 'webgl'],
      measured: `fused 409k a thread, ~${Math.round(409 * (1 + FUSED_THREAD_EFFICIENCY))}k on 2 threads, webgpu 527k, webgl 63k`,
    });
  });

  it('keeps a GPU that outruns every thread the fused trainer would have', () => {
    const fast = [
      { id: 'fused' as const, samplesPerSecond: 100_000 },
      { id: 'webgpu' as const, samplesPerSecond: 2_000_000 },
    ];
    expect(rankProbedSpeeds(fast, 8).order).toEqual(['webgpu', 'fused']);
  });
});
