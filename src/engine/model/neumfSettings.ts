/**
 * NeuMF settings: one typed object and its defaults. The defaults are not the paper's (GMF 8,
 * MLP 64-32-16-8, 4 negatives, batch 256, no L2): chosen on validation full-catalogue NDCG@10 on
 * ml-100k and ml-latest-small, a wide GMF with a small MLP, 16 negatives and L2 on the embedding
 * rows rank the whole catalogue far better (docs/BENCHMARKS.md, "Choosing the defaults"); since
 * session 17 the weights kept are averaged over the last ~0.2 of an epoch, chosen on validation (docs/BENCHMARKS.md, "Averaged weights").
 * The paper's set-up stays one flag away in the benchmark (`--paper`).
 */
import { checkSettings, resolveSettings } from '../../shared/settings';

/** 'neumf-pretrained': GMF and MLP trained alone first, then NeuMF from both (the paper's best). */
export type ModelKind = 'neumf' | 'gmf' | 'mlp' | 'neumf-pretrained';

export interface NeuMFSettings {
  /** 'neumf' fuses both paths; 'gmf' and 'mlp' train one path alone (e.g. for pre-training). */
  model: ModelKind;
  /** Size of the GMF user and item embeddings. */
  gmfDim: number;
  /**
   * MLP tower sizes: the first is the concatenated user+item embedding (each half of it),
   * the rest are Dense+ReLU layers, e.g. [64, 32, 16, 8] means 32+32 → 32 → 16 → 8.
   */
  mlpLayers: number[];
  /** Sampled negatives per training positive. */
  negatives: number;
  batchSize: number;
  learningRate: number;
  /**
   * L2 penalty on the embedding rows a batch uses: each sample adds l2 · (|user row|² + |item row|²)
   * to its loss (GMF and MLP parts). Only the rows in use, so it keeps sparse updates sparse.
   */
  l2: number;
  /** The most epochs to train. */
  epochs: number;
  /** Stop once the validation figure (full-catalogue NDCG@10) has not improved for this many epochs. */
  patience: number;
  /** Seeds weight initialisation and negative sampling. */
  seed: number;
  /**
   * Training threads (workers) sharing one model (the fused trainer only; each thread on its own
   * users and movies at a time, see src/engine/training/trainingThreads.ts). A run is exactly
   * reproducible for a seed, and 1 and 2 threads train the same model (on more, the epoch is cut
   * into as many blocks as threads). More than 1 needs a cross-origin isolated page, else training uses 1.
   * Absent in settings saved before it existed: 1.
   */
  threads?: number;
  /**
   * Polyak averaging: the weights evaluated, chosen and kept are an exponential moving average of
   * the trained ones over about this share of an epoch's steps (its time constant; the trained
   * weights go on training as they are), e.g. 0.2: the last fifth of an epoch; 0: the last step's
   * weights. Why a share of an epoch, and how often it is updated:
   * src/engine/training/weightAveraging.ts. Absent in settings saved before it existed: 0.
   */
  averageEpochs?: number;
}

/** All cores but one, which stays with the page; at least 1. */
export function defaultThreads(): number {
  const cores = typeof navigator === 'object' ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, (cores ?? 1) - 1);
}

export const defaultNeuMFSettings: Readonly<NeuMFSettings> = Object.freeze({
  model: 'neumf',
  gmfDim: 64,
  mlpLayers: Object.freeze([16, 8]) as unknown as number[],
  negatives: 16,
  batchSize: 1024,
  learningRate: 0.001,
  l2: 0.001,
  epochs: 50,
  patience: 5,
  seed: 2017,
  threads: defaultThreads(),
  averageEpochs: 0.2,
});

function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x > 0;
}

/**
 * He et al. 2017's set-up (and the PyTorch reference's in docs/BENCHMARKS.md), which the defaults
 * replaced: the benchmark's `--paper`, and the set-up the engine's tests were written against.
 */
export const paperNeuMFSettings: Readonly<Partial<NeuMFSettings>> = Object.freeze({
  gmfDim: 8,
  mlpLayers: Object.freeze([64, 32, 16, 8]) as unknown as number[],
  negatives: 4,
  batchSize: 256,
  learningRate: 0.001,
  l2: 0,
  epochs: 20,
  patience: 20,
  averageEpochs: 0,
});

/** Human-readable problems with `settings`; empty when they can be trained with. */
export function findSettingsProblems(settings: NeuMFSettings): string[] {
  const problems: string[] = [];
  if (!['neumf', 'gmf', 'mlp', 'neumf-pretrained'].includes(settings.model)) {
    problems.push(`Model must be NeuMF, pre-trained NeuMF, GMF or MLP (got "${String(settings.model)}").`);
  }
  if (settings.model !== 'mlp' && !isPositiveInteger(settings.gmfDim)) {
    problems.push('GMF size must be a whole number of at least 1.');
  }
  if (settings.model !== 'gmf') {
    const layers = settings.mlpLayers;
    if (!Array.isArray(layers) || layers.length < 2 || !layers.every(isPositiveInteger)) {
      problems.push('MLP layers must be at least two whole numbers of at least 1, e.g. 64, 32, 16, 8.');
    } else if (layers[0] % 2 !== 0) {
      problems.push('The first MLP layer must be even: it is split between the user and the item embedding.');
    }
  }
  if (!Number.isInteger(settings.negatives) || settings.negatives < 1) {
    problems.push('Negatives per positive must be a whole number of at least 1.');
  }
  if (!isPositiveInteger(settings.batchSize)) problems.push('Batch size must be a whole number of at least 1.');
  if (!(typeof settings.learningRate === 'number' && settings.learningRate > 0 && settings.learningRate < 1)) {
    problems.push('Learning rate must be a number between 0 and 1, e.g. 0.001.');
  }
  if (!(typeof settings.l2 === 'number' && settings.l2 >= 0 && settings.l2 < 1)) {
    problems.push('L2 penalty must be a number from 0 up to 1, e.g. 0.001 (0 for none).');
  }
  if (!isPositiveInteger(settings.epochs)) problems.push('Epochs must be a whole number of at least 1.');
  if (!isPositiveInteger(settings.patience)) problems.push('Patience must be a whole number of at least 1 epoch.');
  if (!Number.isInteger(settings.seed)) problems.push('Seed must be a whole number.');
  if (settings.threads !== undefined && !(isPositiveInteger(settings.threads) && settings.threads <= 64))
    problems.push('Threads must be a whole number from 1 to 64.');
  if (
    settings.averageEpochs !== undefined &&
    !(typeof settings.averageEpochs === 'number' && settings.averageEpochs >= 0 && settings.averageEpochs <= 10)
  )
    problems.push('Epochs averaged over must be a number from 0 (no averaging) to 10, e.g. 0.2.');
  return problems;
}

/** How `InvalidSettingsError` names these settings: "Invalid model settings: …". */
const WHAT = 'model';

/** `settings` as they are; throws `InvalidSettingsError` where they cannot be trained with. */
export function checkNeuMFSettings(settings: NeuMFSettings): NeuMFSettings {
  return checkSettings(settings, findSettingsProblems, WHAT);
}

/** Defaults overlaid with `overrides`, validated. */
export function resolveNeuMFSettings(overrides: Partial<NeuMFSettings> = {}): NeuMFSettings {
  return resolveSettings(defaultNeuMFSettings, overrides, findSettingsProblems, WHAT);
}
