/// <reference lib="webworker" />
/**
 * Worker side of scripts/probe-backends.mjs: creates a trainer through `createTrainer` exactly as
 * the training worker does, then measures training and scoring speed, loss and tensor counts.
 */
import {
  createTrainer,
  describeBackends,
  measureTrainingSpeed,
  type NeuMFTrainer,
  type TrainingBackend,
} from '../../src/engine/backends/chooseBackend';
import { TfjsNeuMFTrainer } from '../../src/engine/backends/tfjsTrainer';
import { FusedNeuMF } from '../../src/engine/model/fusedNeuMF';
import { resolveNeuMFSettings } from '../../src/engine/model/neumfSettings';

export interface ProbeRequest {
  /** 'webgpu-async': tfjs webgpu driven directly with asynchronous loss reads (its synchronous read fails here). */
  backend: TrainingBackend | 'webgpu-async';
  batchSizes: number[];
  /** Timed training per batch size, after two warm-up batches. */
  milliseconds: number;
  numUsers: number;
  numItems: number;
  /** Also set tfjs flags before the first kernel, e.g. { WEBGL_USE_SHAPES_UNIFORMS: false }. */
  flags?: Record<string, boolean | number>;
}

export interface ProbeReport {
  requested: ProbeRequest['backend'];
  id: string;
  backend: string;
  reason: string;
  setupSeconds: number;
  samplesPerSecond: Record<number, number>;
  predictPairsPerSecond: number;
  lossFirst: number;
  lossLast: number;
  tensors: number[];
  descriptions: unknown;
  error?: string;
}

const log = (line: string) => self.postMessage({ log: line });

async function tensorCount(): Promise<number> {
  const tf = await import('@tensorflow/tfjs');
  return tf.memory().numTensors;
}

/** Pairs with a planted rule (liked when user and item fall in the same of 4 groups), so the loss must fall. */
function plantedRows(numUsers: number, numItems: number, rows: number) {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const users = Int32Array.from({ length: rows }, () => Math.floor(next() * numUsers));
  const items = Int32Array.from({ length: rows }, () => Math.floor(next() * numItems));
  const labels = Float32Array.from({ length: rows }, (_, r) => (users[r] % 4 === items[r] % 4 ? 1 : 0));
  return { users, items, labels };
}

/** Samples/s with the loss read asynchronously after every batch (as `measureTrainingSpeed`, awaiting). */
async function measureAsync(trainer: TfjsNeuMFTrainer, batchSize: number, milliseconds: number): Promise<number> {
  const rows = plantedRows(trainer.numUsers, trainer.numItems, batchSize * 4);
  const step = (k: number) => trainer.trainBatchQueued(rows.users, rows.items, rows.labels, (k % 4) * batchSize, ((k % 4) + 1) * batchSize);
  for (let k = 0; k < 2; k++) await step(k);
  const started = performance.now();
  let batches = 0;
  while (batches < 3 || (performance.now() - started < milliseconds && batches < 200)) await step(batches++);
  return (batches * batchSize) / ((performance.now() - started) / 1000);
}

async function probeWebGpuAsync(request: ProbeRequest, report: ProbeReport): Promise<void> {
  const { activateTfjsBackend } = await import('../../src/engine/backends/tfjsBackend');
  const { detectWebGpu } = await import('../../src/engine/backends/gpuDetection');
  const started = performance.now();
  report.id = 'webgpu';
  report.backend = `${await activateTfjsBackend('webgpu', (await detectWebGpu()).device)}, async loss reads`;
  const settings = resolveNeuMFSettings();
  const trainer = new TfjsNeuMFTrainer(request.numUsers, request.numItems, settings);
  report.setupSeconds = (performance.now() - started) / 1000;
  try {
    for (const batchSize of request.batchSizes) {
      report.samplesPerSecond[batchSize] = await measureAsync(trainer, batchSize, request.milliseconds);
      log(`  b${batchSize}: ${Math.round(report.samplesPerSecond[batchSize])} samples/s`);
    }
    trainer.setWeights(new FusedNeuMF(request.numUsers, request.numItems, settings).getWeights());
    const rows = plantedRows(request.numUsers, request.numItems, 12 * 256);
    const epochLoss: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      let sum = 0;
      for (let b = 0; b < 12; b++) sum += await trainer.trainBatchAsync(rows.users, rows.items, rows.labels, b * 256, b * 256 + 256);
      epochLoss.push(sum / 12);
      report.tensors.push(await tensorCount());
    }
    [report.lossFirst, report.lossLast] = [epochLoss[0], epochLoss[4]];
    log(`  loss by epoch ${epochLoss.map((l) => l.toFixed(4)).join(' ')}; tensors ${report.tensors.join(' ')}`);
  } finally {
    trainer.dispose();
  }
}

self.onmessage = async (message: MessageEvent<ProbeRequest>) => {
  const request = message.data;
  if (request.backend === 'webgpu-async') {
    const report: ProbeReport = {
      requested: request.backend,
      id: '',
      backend: '',
      reason: 'driven directly (not through createTrainer)',
      setupSeconds: 0,
      samplesPerSecond: {},
      predictPairsPerSecond: NaN,
      lossFirst: NaN,
      lossLast: NaN,
      tensors: [],
      descriptions: null,
    };
    await probeWebGpuAsync(request, report).catch((error: unknown) => (report.error = (error as Error)?.stack ?? String(error)));
    self.postMessage({ report });
    return;
  }
  const report: ProbeReport = {
    requested: request.backend,
    id: '',
    backend: '',
    reason: '',
    setupSeconds: 0,
    samplesPerSecond: {},
    predictPairsPerSecond: 0,
    lossFirst: NaN,
    lossLast: NaN,
    tensors: [],
    descriptions: null,
  };
  let trainer: NeuMFTrainer | null = null;
  try {
    report.descriptions = await describeBackends();
    const settings = resolveNeuMFSettings({ batchSize: request.batchSizes[0] });
    const started = performance.now();
    const created = await createTrainer(request.numUsers, request.numItems, settings, request.backend as TrainingBackend);
    report.setupSeconds = (performance.now() - started) / 1000;
    if (request.flags && created.id !== 'fused') {
      const tf = await import('@tensorflow/tfjs');
      for (const [flag, value] of Object.entries(request.flags)) tf.env().set(flag, value);
    }
    trainer = created.trainer;
    Object.assign(report, { id: created.id, backend: created.backend, reason: created.reason });
    log(`${request.backend}: ${created.backend} (${created.reason}) in ${report.setupSeconds.toFixed(1)} s`);

    const initial = trainer.getWeights();
    for (const batchSize of request.batchSizes) {
      report.samplesPerSecond[batchSize] = await measureTrainingSpeed(trainer, batchSize, request.milliseconds);
      log(`  b${batchSize}: ${Math.round(report.samplesPerSecond[batchSize])} samples/s`);
    }

    // Loss on planted data, from freshly reset weights: 12 batches of 256 rows, 5 epochs;
    // tensors counted after each epoch.
    trainer.setWeights(initial);
    const rows = plantedRows(request.numUsers, request.numItems, 12 * 256);
    const epochLoss: number[] = [];
    for (let epoch = 0; epoch < 5; epoch++) {
      let sum = 0;
      for (let b = 0; b < 12; b++) sum += trainer.trainBatch(rows.users, rows.items, rows.labels, b * 256, b * 256 + 256);
      epochLoss.push(sum / 12);
      if (created.id !== 'fused') report.tensors.push(await tensorCount());
    }
    [report.lossFirst, report.lossLast] = [epochLoss[0], epochLoss[4]];
    log(`  loss by epoch ${epochLoss.map((l) => l.toFixed(4)).join(' ')}; tensors ${report.tensors.join(' ')}`);

    const pairs = 100 * 1000;
    const out = new Float32Array(pairs);
    const sample = plantedRows(request.numUsers, request.numItems, pairs);
    trainer.predict(sample.users, sample.items, out); // warm-up (compiles the scoring shapes)
    const predictStarted = performance.now();
    trainer.predict(sample.users, sample.items, out);
    report.predictPairsPerSecond = pairs / ((performance.now() - predictStarted) / 1000);
    if (created.id !== 'fused') report.tensors.push(await tensorCount());
  } catch (error) {
    report.error = (error as Error)?.stack ?? String(error);
  } finally {
    trainer?.dispose?.();
  }
  self.postMessage({ report });
};
