/**
 * Where NeuMF keeps its weights, derived once from the settings: the layer names the tfjs model
 * and saved files use, the GMF and MLP sizes, the embedding row a trainer stores per user and
 * item, the flat vector of dense weights, and the conversion between those tables and named
 * weights. The fused trainer, the tfjs trainer, the tfjs model, persistence and storage all read
 * the architecture from here, so they cannot disagree about it. Pure data: no tfjs, no trainer.
 */
import type { NeuMFSettings } from './neumfSettings';
import { checkNeuMFSettings } from './neumfSettings';

/** One weight tensor, named and shaped as in the tfjs model (kernels are [in, out]). */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}
export type NamedWeights = NamedWeight[];

export const LAYER_NAMES = {
  userGmf: 'user_gmf_embedding',
  itemGmf: 'item_gmf_embedding',
  userMlp: 'user_mlp_embedding',
  itemMlp: 'item_mlp_embedding',
  mlpDense: (l: number) => `mlp_dense_${l + 1}`,
  prediction: 'prediction',
} as const;

const USER_EMBEDDING_LAYERS = [LAYER_NAMES.userGmf, LAYER_NAMES.userMlp];

/** Whether `weightName` ("layer/param") holds one row per user: the rows a profile owns. */
export function isUserEmbedding(weightName: string): boolean {
  return USER_EMBEDDING_LAYERS.some((layer) => weightName.startsWith(`${layer}/`));
}

/** Where one named weight lives in the tables of `NeuMFTables`. */
export interface WeightSlot {
  name: string;
  shape: number[];
  /**
   * 'user' / 'item': columns [offset, offset + shape[1]) of every row of that side's table;
   * 'dense': [offset, offset + size) of the dense vector.
   */
  home: 'user' | 'item' | 'dense';
  offset: number;
}

export interface NeuMFLayout {
  numUsers: number;
  numItems: number;
  /** GMF embedding size (0 for 'mlp'). */
  gmfDim: number;
  /** Per-side MLP embedding size (0 for 'gmf'). */
  mlpHalf: number;
  /** Width of one user or item row: [gmf (gmfDim) | mlp (mlpHalf)]. */
  rowWidth: number;
  /** MLP tower sizes including the input ([] for 'gmf'). */
  towerSizes: number[];
  /** Inputs to the prediction layer: gmfDim + last tower size. */
  predictInputs: number;
  /** Floats in the dense vector: [kernel_1, bias_1, ..., kernel_L, bias_L, prediction kernel, prediction bias]. */
  denseSize: number;
  /** Start of tower layer l's kernel ([in][out], as tfjs stores it) and bias in the dense vector. */
  kernelOffset: Int32Array;
  biasOffset: Int32Array;
  predictOffset: number;
  predictBiasOffset: number;
  /** Every weight, in the order `getWeights` returns them. */
  slots: WeightSlot[];
}

/** The layout of NeuMF with these settings; throws `InvalidSettingsError` where they cannot be trained with. */
export function neumfLayout(numUsers: number, numItems: number, settings: NeuMFSettings): NeuMFLayout {
  checkNeuMFSettings(settings);
  const useMlp = settings.model !== 'gmf';
  const gmfDim = settings.model !== 'mlp' ? settings.gmfDim : 0;
  const towerSizes = useMlp ? [...settings.mlpLayers] : [];
  const mlpHalf = useMlp ? settings.mlpLayers[0] / 2 : 0;
  const layers = Math.max(0, towerSizes.length - 1);
  const predictInputs = gmfDim + (useMlp ? towerSizes[towerSizes.length - 1] : 0);

  const slots: WeightSlot[] = [];
  const embedding = (layer: string, home: 'user' | 'item', column: number, width: number) =>
    slots.push({ name: `${layer}/embeddings`, shape: [home === 'user' ? numUsers : numItems, width], home, offset: column });
  if (gmfDim > 0) {
    embedding(LAYER_NAMES.userGmf, 'user', 0, gmfDim);
    embedding(LAYER_NAMES.itemGmf, 'item', 0, gmfDim);
  }
  if (mlpHalf > 0) {
    embedding(LAYER_NAMES.userMlp, 'user', gmfDim, mlpHalf);
    embedding(LAYER_NAMES.itemMlp, 'item', gmfDim, mlpHalf);
  }
  let denseSize = 0;
  const dense = (name: string, shape: number[]): number => {
    const offset = denseSize;
    slots.push({ name, shape, home: 'dense', offset });
    denseSize += sizeOf(shape);
    return offset;
  };
  const kernelOffset = new Int32Array(layers);
  const biasOffset = new Int32Array(layers);
  for (let l = 0; l < layers; l++) {
    kernelOffset[l] = dense(`${LAYER_NAMES.mlpDense(l)}/kernel`, [towerSizes[l], towerSizes[l + 1]]);
    biasOffset[l] = dense(`${LAYER_NAMES.mlpDense(l)}/bias`, [towerSizes[l + 1]]);
  }
  const predictOffset = dense(`${LAYER_NAMES.prediction}/kernel`, [predictInputs, 1]);
  const predictBiasOffset = dense(`${LAYER_NAMES.prediction}/bias`, [1]);

  return {
    numUsers,
    numItems,
    gmfDim,
    mlpHalf,
    rowWidth: gmfDim + mlpHalf,
    towerSizes,
    predictInputs,
    denseSize,
    kernelOffset,
    biasOffset,
    predictOffset,
    predictBiasOffset,
    slots,
  };
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A model's weights as trainers keep them: one row per user and per item, and the dense vector. */
export interface NeuMFTables {
  /** numUsers rows of rowWidth. */
  user: Float32Array;
  /** numItems rows of rowWidth. */
  item: Float32Array;
  /** denseSize floats. */
  dense: Float32Array;
}

/** Copies of the tables' weights, named and shaped as in the tfjs model. */
export function weightsFromTables(layout: NeuMFLayout, tables: NeuMFTables): NamedWeights {
  const w = layout.rowWidth;
  return layout.slots.map(({ name, shape, home, offset }) => {
    if (home === 'dense') return { name, shape: [...shape], values: tables.dense.slice(offset, offset + sizeOf(shape)) };
    const [rows, width] = shape;
    const table = home === 'user' ? tables.user : tables.item;
    const values = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) values.set(table.subarray(r * w + offset, r * w + offset + width), r * width);
    return { name, shape: [...shape], values };
  });
}

/**
 * Writes `weights` (by name) into `tables`. Every weight of the layout must be there with its
 * shape; otherwise it throws before anything is written.
 */
export function writeWeightsToTables(layout: NeuMFLayout, weights: NamedWeights, tables: NeuMFTables): void {
  const byName = new Map(weights.map((wt) => [wt.name, wt]));
  for (const { name, shape } of layout.slots) {
    const given = byName.get(name);
    if (!given) throw new Error(`Weight ${name} is missing.`);
    if (given.shape.join('x') !== shape.join('x') || given.values.length !== sizeOf(shape)) {
      throw new Error(`Weight ${name} has shape [${given.shape}] but the model needs [${shape}].`);
    }
  }
  const w = layout.rowWidth;
  for (const { name, shape, home, offset } of layout.slots) {
    const values = byName.get(name)!.values;
    if (home === 'dense') {
      tables.dense.set(values, offset);
      continue;
    }
    const [rows, width] = shape;
    const table = home === 'user' ? tables.user : tables.item;
    for (let r = 0; r < rows; r++) table.set(values.subarray(r * width, r * width + width), r * w + offset);
  }
}

/** Zeroed tables for `layout`. */
export function emptyTables(layout: NeuMFLayout): NeuMFTables {
  return {
    user: new Float32Array(layout.numUsers * layout.rowWidth),
    item: new Float32Array(layout.numItems * layout.rowWidth),
    dense: new Float32Array(layout.denseSize),
  };
}
