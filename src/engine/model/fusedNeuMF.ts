/**
 * NeuMF (He et al. 2017) as one hand-written CPU trainer and scorer: every weight in a flat
 * Float32Array, forward and backward fused per sample, binary cross-entropy on the sigmoid
 * output, Adam for the dense layers and a row-wise Adam for the embedding tables.
 *
 * Why by hand: a tfjs LayersModel on the CPU pays per-op dispatch, allocation and full
 * embedding-table gradients every batch and trains at ~120 samples/s here; this does the same
 * arithmetic with no allocation per batch and touches only the embedding rows a batch uses.
 * `tfNeuMF.ts` builds the identical architecture in tfjs for saving and loading; the two
 * exchange weights through `NamedWeights`, laid out by `neumfLayout.ts`.
 *
 * Here: the embeddings (one user row = [gmf (gmfDim) | mlp (mlpLayers[0]/2)], one item row
 * likewise), the GMF path, the prediction layer, the loss and the optimiser bookkeeping. The MLP
 * tower is `mlpTower.ts`: with every tower size a multiple of 4 its hot loops run as WebAssembly
 * SIMD kernels over one memory that holds the tables, weights and gradients; otherwise, or where
 * WebAssembly is missing, as plain JS. The Adam arithmetic is `adamMath.ts`.
 */
import { SeededRandom } from '../../shared/random';
import { adamStep, adamStepRows, catchUpRows } from './adamMath';
import { activationCount, MlpTower, towerFitsSimd } from './mlpTower';
import type { NamedWeights, NeuMFLayout, NeuMFTables } from './neumfLayout';
import { LAYER_NAMES, neumfLayout, weightsFromTables, writeWeightsToTables } from './neumfLayout';
import type { NeuMFSettings } from './neumfSettings';
import { TablesAverage } from './tablesAverage';
import { denseKernelsAvailable, instantiateDenseKernels, plainDenseKernels } from './wasm/denseKernels';
import { allocateFloat32Blocks, carveFloat32Blocks, float32BlocksBytes, pagesFor, type Float32Block } from './wasm/float32Arena';

/**
 * How the embedding tables follow Adam.
 * - 'dense': what dense Adam does (the PyTorch reference): rows a batch does not use keep
 *   moving by their decaying momentum. Done lazily: a row's skipped steps are applied in closed
 *   form when it is next used (or on `flush`), so the cost stays per used row. Equal to dense
 *   Adam up to the two approximations `catchUpRows` (adamMath.ts) describes and bounds.
 * - 'lazy': SparseAdam / LazyAdam: only rows in the batch change; global step for bias correction.
 */
export type EmbeddingAdam = 'dense' | 'lazy';

export interface FusedNeuMFOptions {
  embeddingAdam?: EmbeddingAdam;
  /** Use the WebAssembly SIMD kernels where available (default true); false forces plain JS. */
  simd?: boolean;
  /**
   * Train as thread `thread` of several over one memory (`createTrainingThreadsMemory`): the
   * embedding tables and their optimiser state are the memory's, every thread's; the dense
   * layers, their Adam moments, the step count, gradients and activations are this thread's own
   * (src/engine/training/trainingThreads.ts passes the dense state between threads through
   * `copyDenseStateTo`/`loadDenseState`). Thread 0 initialises the weights; the others attach to
   * the tables as they are and take the dense state from thread 0.
   */
  shared?: { memory: WebAssembly.Memory; thread: number; threads: number };
}

/**
 * The embedding tables and their optimiser state, which every thread reads and writes, and one
 * thread's own part (dense layers with their Adam moments and step count, gradients,
 * activations): the layout of a shared training memory. Lengths are in floats (lastStep and the
 * step counter are Int32 views of their blocks).
 */
function sharedLengths(layout: NeuMFLayout, numUsers: number, numItems: number) {
  const users = numUsers * layout.rowWidth;
  const items = numItems * layout.rowWidth;
  return {
    userEmb: users,
    itemEmb: items,
    userM: users,
    userV: users,
    itemM: items,
    itemV: items,
    userLastStep: numUsers,
    itemLastStep: numItems,
  };
}

/**
 * Gradient rows a thread of a shared model keeps per side: one per distinct row a batch can use.
 * Gradients are stored compactly, in the order the batch first uses its rows (`markRows`), so a
 * step's gradients sit in one block of a few hundred kilobytes, and a thread's memory does not
 * grow with the users (tables as large as the embeddings were 46 MB a thread at 151,280 users).
 */
function gradientRows(rows: number, batchSize: number): number {
  return Math.min(rows, batchSize);
}

function threadLengths(layout: NeuMFLayout, numUsers: number, numItems: number, batchSize: number) {
  const activations = activationCount(layout);
  return {
    userGrad: gradientRows(numUsers, batchSize) * layout.rowWidth,
    itemGrad: gradientRows(numItems, batchSize) * layout.rowWidth,
    dense: layout.denseSize,
    denseGrad: layout.denseSize,
    denseM: layout.denseSize,
    denseV: layout.denseSize,
    step: 4,
    acts: activations,
    deltas: activations,
  };
}

/**
 * A WebAssembly memory big enough for `threads` threads of a FusedNeuMF of this size: the
 * embedding tables and their optimiser state once, each thread's own part once a thread. Shared
 * (its buffer a SharedArrayBuffer, which needs cross-origin isolation in a browser) for several
 * threads; an ordinary one for one thread, which then trains as several would without needing
 * isolation.
 */
export function createTrainingThreadsMemory(
  numUsers: number,
  numItems: number,
  settings: NeuMFSettings,
  threads: number,
): WebAssembly.Memory {
  const layout = neumfLayout(numUsers, numItems, settings);
  const bytes =
    float32BlocksBytes(sharedLengths(layout, numUsers, numItems)) +
    threads * float32BlocksBytes(threadLengths(layout, numUsers, numItems, settings.batchSize));
  const pages = pagesFor(bytes);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: threads > 1 });
}

/** What a fused trainer's tower runs on: the WebAssembly SIMD kernels or plain JS loops. */
export type FusedKernels = 'wasm-simd' | 'js';

/** What the fused trainer with these settings would run on, without building one. Throws on invalid settings. */
export function fusedKernelsFor(settings: NeuMFSettings, options: FusedNeuMFOptions = {}): FusedKernels {
  return kernelsFor(neumfLayout(0, 0, settings), options);
}

function kernelsFor(layout: NeuMFLayout, options: FusedNeuMFOptions): FusedKernels {
  const wanted = (options.simd ?? true) && towerFitsSimd(layout) && typeof WebAssembly === 'object';
  return wanted && denseKernelsAvailable() ? 'wasm-simd' : 'js';
}

/** One side's embedding table (users or items), its gradient and its row-wise optimiser state. */
interface EmbeddingSide {
  weights: Float32Array;
  /** The latest pass's gradient rows, compact: row `touched[r]`'s at row r (`slot`). */
  grad: Float32Array;
  /** Where each row the latest pass used has its gradient in `grad` (valid where `mark` is that pass). */
  slot: Int32Array;
  m: Float32Array;
  v: Float32Array;
  /** Step at which each row last received its Adam update (for 'dense' catch-up). */
  lastStep: Int32Array;
  /** Gradient pass that last used each row (so nothing needs clearing between batches). */
  mark: Int32Array;
  /** The distinct rows the latest pass used: the first `touchedCount`. */
  touched: Int32Array;
  touchedCount: number;
}

function embeddingSide(
  weights: Float32Array,
  grad: Float32Array,
  rows: number,
  state?: { m: Float32Array; v: Float32Array; lastStep: Int32Array },
): EmbeddingSide {
  return {
    weights,
    grad,
    slot: new Int32Array(rows),
    m: state?.m ?? new Float32Array(weights.length),
    v: state?.v ?? new Float32Array(weights.length),
    lastStep: state?.lastStep ?? new Int32Array(rows),
    mark: new Int32Array(rows),
    touched: new Int32Array(1024),
    touchedCount: 0,
  };
}

export class FusedNeuMF {
  readonly numUsers: number;
  readonly numItems: number;
  readonly settings: NeuMFSettings;
  readonly embeddingAdam: EmbeddingAdam;
  /** Where every weight lives: sizes, row width, the dense vector's parts, the names. */
  readonly layout: NeuMFLayout;
  /** Width of one embedding row, `layout.rowWidth`. */
  readonly rowWidth: number;
  readonly kernels: FusedKernels;

  private readonly users: EmbeddingSide;
  private readonly items: EmbeddingSide;
  /** All dense parameters, laid out as `layout` says, their gradient and Adam moments. */
  private readonly dense: Float32Array;
  private readonly denseGrad: Float32Array;
  private readonly denseM: Float32Array;
  private readonly denseV: Float32Array;
  private readonly gmfDim: number;
  private readonly predictOffset: number;
  private readonly predictBiasOffset: number;

  /** The MLP path, up to its share of the logit; null for 'gmf'. */
  private readonly tower: MlpTower | null;

  /** Adam steps so far, in [0] (each thread's own when threads share the model; `loadDenseState` sets it). */
  private readonly stepCounter: Int32Array;
  /** The shared training memory, when this model lives in one (`FusedNeuMFOptions.shared`). */
  readonly sharedMemory: WebAssembly.Memory | null;
  /** Gradient passes so far; marks which rows the latest pass used. */
  private pass = 0;
  /** Adam steps of user rows trained alone by `trainUserRows` (fold-in). */
  private readonly userRowSteps = new Map<number, number>();
  /** The weights' running average (`foldIntoAverage`), when the training run keeps one. */
  private readonly average = new TablesAverage();

  constructor(numUsers: number, numItems: number, settings: NeuMFSettings, options: FusedNeuMFOptions = {}) {
    const layout = neumfLayout(numUsers, numItems, settings);
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.settings = settings;
    this.embeddingAdam = options.embeddingAdam ?? 'dense';
    this.layout = layout;
    this.rowWidth = layout.rowWidth;
    this.gmfDim = layout.gmfDim;
    this.predictOffset = layout.predictOffset;
    this.predictBiasOffset = layout.predictBiasOffset;
    this.kernels = kernelsFor(layout, options);

    const shared = options.shared;
    this.sharedMemory = shared?.memory ?? null;
    let blocks: Record<'userEmb' | 'itemEmb' | 'dense' | 'denseGrad' | 'userGrad' | 'itemGrad' | 'acts' | 'deltas', Float32Block>;
    let memory: WebAssembly.Memory | null;
    let buffer: ArrayBufferLike;
    if (shared) {
      // The threads write the shared embedding rows without locks: at any time each trains its
      // own block of users against its own block of movies (trainingThreads.ts trains an epoch
      // in strata), so no two write the same row. Each trains the dense layers in its own copy,
      // which thread 0 merges between the epoch's segments.
      memory = shared.memory;
      buffer = memory.buffer;
      const common = carveFloat32Blocks(buffer, 0, sharedLengths(layout, numUsers, numItems));
      const ownLengths = threadLengths(layout, numUsers, numItems, settings.batchSize);
      const threadBytes = float32BlocksBytes(ownLengths);
      const own = carveFloat32Blocks(buffer, common.end + shared.thread * threadBytes, ownLengths);
      if (own.end > buffer.byteLength) throw new RangeError(`The shared memory holds fewer than ${shared.threads} threads of this model.`);
      const c = common.blocks;
      const int32 = (block: Float32Block) => new Int32Array(buffer, block.pointer, block.array.length);
      blocks = { ...own.blocks, userEmb: c.userEmb, itemEmb: c.itemEmb };
      this.users = embeddingSide(c.userEmb.array, own.blocks.userGrad.array, numUsers, {
        m: c.userM.array,
        v: c.userV.array,
        lastStep: int32(c.userLastStep),
      });
      this.items = embeddingSide(c.itemEmb.array, own.blocks.itemGrad.array, numItems, {
        m: c.itemM.array,
        v: c.itemV.array,
        lastStep: int32(c.itemLastStep),
      });
      this.denseM = own.blocks.denseM.array;
      this.denseV = own.blocks.denseV.array;
      this.stepCounter = int32(own.blocks.step);
    } else {
      const userFloats = numUsers * layout.rowWidth;
      const itemFloats = numItems * layout.rowWidth;
      const activations = activationCount(layout);
      ({ memory, buffer, blocks } = allocateFloat32Blocks(
        {
          userEmb: userFloats,
          itemEmb: itemFloats,
          // A gradient row for every row: a model of its own also takes batches of any size
          // (fold-in's one step over all of a user's pairs may use every item).
          userGrad: userFloats,
          itemGrad: itemFloats,
          dense: layout.denseSize,
          denseGrad: layout.denseSize,
          acts: activations,
          deltas: activations,
        },
        this.kernels === 'wasm-simd',
      ));
      this.users = embeddingSide(blocks.userEmb.array, blocks.userGrad.array, numUsers);
      this.items = embeddingSide(blocks.itemEmb.array, blocks.itemGrad.array, numItems);
      this.denseM = new Float32Array(layout.denseSize);
      this.denseV = new Float32Array(layout.denseSize);
      this.stepCounter = new Int32Array(1);
    }
    this.dense = blocks.dense.array;
    this.denseGrad = blocks.denseGrad.array;
    const kernels = (this.kernels === 'wasm-simd' && memory && instantiateDenseKernels(memory)) || plainDenseKernels(buffer);
    this.tower = layout.kernelOffset.length > 0 ? new MlpTower(layout, blocks, kernels) : null;

    if (shared && shared.thread !== 0) return; // the weights are thread 0's
    this.initialise(new SeededRandom(settings.seed));
  }

  /** Whether training and scoring run on the WebAssembly SIMD kernels. */
  get usesSimd(): boolean {
    return this.kernels === 'wasm-simd';
  }

  /** Adam steps taken so far. */
  get steps(): number {
    return Atomics.load(this.stepCounter, 0);
  }

  /** For the threads sharing this model: the weights changed outside this object, so cached item parts are stale. */
  weightsChangedElsewhere(): void {
    this.weightsVersion++;
  }

  /** Floats of the dense state `copyDenseStateTo` writes: the dense weights, then Adam's first and second moments of them. */
  get denseStateLength(): number {
    return 3 * this.dense.length;
  }

  /** Copies the dense state (weights, Adam's moments; `denseStateLength` floats) into `out` from `at`. */
  copyDenseStateTo(out: Float32Array, at = 0): void {
    const n = this.dense.length;
    out.set(this.dense, at);
    out.set(this.denseM, at + n);
    out.set(this.denseV, at + 2 * n);
  }

  /**
   * Replaces the dense state by the one at `from[at ..]` (as `copyDenseStateTo` wrote it) and
   * the step count by `steps`: how threads sharing the model take the merged dense layers.
   */
  loadDenseState(from: Float32Array, at: number, steps: number): void {
    const n = this.dense.length;
    this.dense.set(from.subarray(at, at + n));
    this.denseM.set(from.subarray(at + n, at + 2 * n));
    this.denseV.set(from.subarray(at + 2 * n, at + 3 * n));
    Atomics.store(this.stepCounter, 0, steps);
    this.weightsVersion++;
  }

  /**
   * Merges dense states trained apart from the one at `states[merged ..]` (as `copyDenseStateTo`
   * wrote them, `length` floats each, at the offsets `trained`) into it, in the order given: the
   * weights move by the sum of the states' moves, Adam's moments become their mean. Summed in
   * that order every time, so the same states merge to the same numbers.
   */
  static mergeDenseStates(states: Float32Array, merged: number, trained: readonly number[], length: number): void {
    if (trained.length === 0) return;
    const weights = length / 3;
    for (let i = merged; i < merged + weights; i++) {
      let weight = states[i];
      for (const at of trained) weight += states[at + i - merged] - states[i];
      states[i] = weight;
    }
    for (let i = merged + weights; i < merged + length; i++) {
      let moment = 0;
      for (const at of trained) moment += states[at + i - merged];
      states[i] = moment / trained.length;
    }
  }

  /**
   * As the PyTorch NCF reference (guoyang9/NCF): embeddings N(0, 0.01²), tower kernels
   * Xavier-uniform, prediction kernel Kaiming-uniform (a=1, sigmoid gain 1), biases zero.
   */
  private initialise(rng: SeededRandom): void {
    const { rowWidth: w, gmfDim: g, mlpHalf: h, towerSizes: tower, kernelOffset, predictOffset, predictInputs } = this.layout;
    const normalRows = (table: Float32Array, rows: number, from: number, width: number) => {
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < width; k++) table[r * w + from + k] = 0.01 * rng.nextGaussian();
      }
    };
    normalRows(this.users.weights, this.numUsers, 0, g);
    normalRows(this.items.weights, this.numItems, 0, g);
    normalRows(this.users.weights, this.numUsers, g, h);
    normalRows(this.items.weights, this.numItems, g, h);
    for (let l = 0; l < kernelOffset.length; l++) {
      const fanIn = tower[l];
      const fanOut = tower[l + 1];
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      for (let k = 0; k < fanIn * fanOut; k++) this.dense[kernelOffset[l] + k] = (2 * rng.nextFloat() - 1) * bound;
    }
    const bound = Math.sqrt(3 / predictInputs);
    for (let k = 0; k < predictInputs; k++) this.dense[predictOffset + k] = (2 * rng.nextFloat() - 1) * bound;
  }

  /**
   * One Adam step on rows `start .. end` of (users, items, labels); returns their training loss
   * (`accumulateGradients`) before the step.
   */
  trainBatch(users: Int32Array, items: Int32Array, labels: Float32Array, start = 0, end = users.length): number {
    if (end <= start) return 0;
    const loss = this.accumulateGradients(users, items, labels, start, end);
    this.weightsVersion++;
    const t = Atomics.add(this.stepCounter, 0, 1) + 1;
    adamStep(this.dense, this.denseGrad, this.denseM, this.denseV, 0, this.dense.length, this.settings.learningRate, t);
    this.adamRows(this.users, t);
    this.adamRows(this.items, t);
    return loss;
  }

  /** The same Adam step on the rows the batch used (their skipped steps were applied in markRows). */
  private adamRows(side: EmbeddingSide, t: number): void {
    const { weights, grad, m, v, lastStep, touched, touchedCount } = side;
    for (let r = 0; r < touchedCount; r++) lastStep[touched[r]] = t;
    adamStepRows(weights, grad, m, v, touched, touchedCount, this.rowWidth, this.settings.learningRate, t);
  }

  /**
   * The training loss of rows `start .. end` (mean binary cross-entropy, plus the L2 penalty of
   * the rows they use when `settings.l2` > 0) and its gradient with respect to every weight
   * (kept for the next Adam step; `gradients()` reads it). Changes no weight.
   */
  accumulateGradients(users: Int32Array, items: Int32Array, labels: Float32Array, start = 0, end = users.length): number {
    const batch = end - start;
    if (batch <= 0) return 0;
    // Checked before any row is marked or caught up, so a refused batch changes nothing.
    for (const side of [this.users, this.items]) {
      const capacity = side.grad.length / this.rowWidth;
      if (Math.min(batch, side.mark.length) > capacity)
        throw new RangeError(
          `A batch of ${batch} rows may use more than ${capacity} distinct rows, the most this trainer holds gradients for.`,
        );
    }
    const pass = ++this.pass;
    this.markRows(this.users, users, start, end, pass);
    this.markRows(this.items, items, start, end, pass);
    this.denseGrad.fill(0);

    const scale = 1 / batch;
    const l2 = this.settings.l2;
    let lossSum = 0;
    const w = this.rowWidth;
    const userSlot = this.users.slot;
    const itemSlot = this.items.slot;
    for (let r = start; r < end; r++) {
      // The pair's weight rows, and its gradient rows in the batch's compact gradients.
      const uo = users[r] * w;
      const io = items[r] * w;
      const ug = userSlot[users[r]] * w;
      const ig = itemSlot[items[r]] * w;
      const z = this.forwardSample(uo, io);
      const y = labels[r];
      // Binary cross-entropy on the logit, stable for any z: max(z,0) - z*y + log(1 + e^-|z|).
      const e = Math.exp(-Math.abs(z));
      lossSum += (z > 0 ? z : 0) - z * y + Math.log1p(e);
      const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      this.backwardSample(uo, io, ug, ig, (p - y) * scale);
      if (l2 > 0) lossSum += this.penaliseRows(uo, io, ug, ig, l2, scale);
    }
    return lossSum / batch;
  }

  /** Adds the L2 penalty's gradient for one sample's two rows (weights at uo/io, gradients at ug/ig); returns the sample's penalty. */
  private penaliseRows(uo: number, io: number, ug: number, ig: number, l2: number, scale: number): number {
    const uEmb = this.users.weights;
    const iEmb = this.items.weights;
    const uGrad = this.users.grad;
    const iGrad = this.items.grad;
    const c = 2 * l2 * scale;
    let squares = 0;
    for (let k = 0, w = this.rowWidth; k < w; k++) {
      const ue = uEmb[uo + k];
      const ie = iEmb[io + k];
      squares += ue * ue + ie * ie;
      uGrad[ug + k] += c * ue;
      iGrad[ig + k] += c * ie;
    }
    return l2 * squares;
  }

  /** The gradient of the last `accumulateGradients`/`trainBatch` batch, named like `getWeights`. */
  gradients(): NamedWeights {
    const w = this.rowWidth;
    // Rows the batch did not use have zero gradient.
    const usedRows = (side: EmbeddingSide) => {
      const out = new Float32Array(side.weights.length);
      for (let r = 0; r < side.touchedCount; r++) out.set(side.grad.subarray(r * w, r * w + w), side.touched[r] * w);
      return out;
    };
    return weightsFromTables(this.layout, { user: usedRows(this.users), item: usedRows(this.items), dense: this.denseGrad });
  }

  /** Scores (sigmoid outputs) of the pairs (users[r], items[r]) into `out[r]`. */
  predict(users: Int32Array, items: Int32Array, out: Float32Array, start = 0, end = users.length): void {
    this.flush();
    for (let r = start; r < end; r++) {
      const z = this.forwardSample(users[r] * this.rowWidth, items[r] * this.rowWidth);
      out[r] = 1 / (1 + Math.exp(-z));
    }
  }

  /**
   * The logit of every item for `user` into `out[0 .. numItems)`, for ranking a whole catalogue:
   * the same numbers as `predict` before its sigmoid (which would turn confident scores into
   * ties at 1 in float32). The items' share of the MLP's first layer is computed once per set of
   * weights, so each item costs only the tower's upper layers and the GMF dot product.
   */
  scoreUser(user: number, out: Float32Array): void {
    this.flush();
    const { gmfDim: g, rowWidth: w } = this;
    const uEmb = this.users.weights;
    const iEmb = this.items.weights;
    const W = this.dense;
    const po = this.predictOffset;
    const bias = W[this.predictBiasOffset];
    // GMF: Σ_k u_k · w_k · i_k, with u ⊙ w taken once for the user.
    const userGmf = new Float32Array(g);
    for (let k = 0; k < g; k++) userGmf[k] = uEmb[user * w + k] * W[po + k];
    const tower = this.tower;
    const itemParts = tower ? this.itemFirstLayerParts(tower) : null;
    const userPart = tower ? new Float32Array(tower.firstLayer.length) : null;
    if (tower && userPart) {
      tower.firstLayerPart('user', user * w, userPart);
      const b = tower.firstLayerBias;
      for (let n = 0; n < userPart.length; n++) userPart[n] += b[n];
    }
    const first = tower?.firstLayer ?? new Float32Array(0);
    const width = first.length;
    for (let item = 0; item < this.numItems; item++) {
      const io = item * w;
      let z = bias;
      for (let k = 0; k < g; k++) z += userGmf[k] * iEmb[io + k];
      if (tower && userPart && itemParts) {
        for (let n = 0, at = item * width; n < width; n++) first[n] = userPart[n] + itemParts[at + n];
        z = tower.forwardFromFirstLayer(z);
      }
      out[item] = z;
    }
  }

  /** Weights the item parts were computed from: bumped by every change to the item rows or the tower. */
  private weightsVersion = 0;
  private itemParts: { version: number; parts: Float32Array } | null = null;

  /** Every item's part of the MLP's first-layer pre-activation (numItems × first-layer size), cached per weights. */
  private itemFirstLayerParts(tower: MlpTower): Float32Array {
    if (this.itemParts?.version === this.weightsVersion) return this.itemParts.parts;
    const width = tower.firstLayer.length;
    const parts = this.itemParts?.parts.length === this.numItems * width ? this.itemParts.parts : new Float32Array(this.numItems * width);
    for (let item = 0; item < this.numItems; item++)
      tower.firstLayerPart('item', item * this.rowWidth, parts.subarray(item * width, (item + 1) * width));
    this.itemParts = { version: this.weightsVersion, parts };
    return parts;
  }

  /**
   * Brings every embedding row up to the current step (only needed with 'dense' embedding
   * Adam, where rows a batch skipped owe their momentum moves). `predict` and `getWeights` call it.
   */
  flush(): void {
    if (this.embeddingAdam !== 'dense') return;
    this.catchUp(this.users, null, this.numUsers);
    this.catchUp(this.items, null, this.numItems);
  }

  /**
   * Marks the distinct rows of the batch in the order it first uses them, gives each the next
   * (zeroed) row of the compact gradients, and brings them up to the current step.
   */
  private markRows(side: EmbeddingSide, ids: Int32Array, start: number, end: number, pass: number): void {
    if (side.touched.length < end - start) side.touched = new Int32Array(end - start);
    const { mark, touched, grad, slot } = side;
    const w = this.rowWidth;
    let count = 0;
    for (let r = start; r < end; r++) {
      const id = ids[r];
      if (mark[id] === pass) continue;
      mark[id] = pass;
      slot[id] = count;
      touched[count] = id;
      grad.fill(0, count * w, count * w + w);
      count++;
    }
    side.touchedCount = count;
    if (this.embeddingAdam === 'dense') this.catchUp(side, touched, count);
  }

  /** Applies the Adam steps rows sat out since their last update (`rows` null: the first `count`). */
  private catchUp(side: EmbeddingSide, rows: Int32Array | null, count: number): void {
    catchUpRows(side.weights, side.m, side.v, side.lastStep, rows, count, this.rowWidth, this.settings.learningRate, this.steps);
  }

  /** GMF and tower forward for one pair; returns the logit (the tower keeps its activations for the backward pass). */
  private forwardSample(uo: number, io: number): number {
    const uEmb = this.users.weights;
    const iEmb = this.items.weights;
    const W = this.dense;
    const g = this.gmfDim;
    const po = this.predictOffset;
    let z = W[this.predictBiasOffset];
    for (let k = 0; k < g; k++) z += uEmb[uo + k] * iEmb[io + k] * W[po + k];
    return this.tower === null ? z : this.tower.forward(uo, io, z);
  }

  /**
   * Accumulates the gradients of one pair, given dLoss/dLogit, into denseGrad and the row
   * gradients (the pair's weight rows at uo/io, its gradient rows at ug/ig).
   */
  private backwardSample(uo: number, io: number, ug: number, ig: number, dz: number): void {
    const uEmb = this.users.weights;
    const iEmb = this.items.weights;
    const uGrad = this.users.grad;
    const iGrad = this.items.grad;
    const W = this.dense;
    const G = this.denseGrad;
    const g = this.gmfDim;
    const po = this.predictOffset;

    G[this.predictBiasOffset] += dz;
    for (let k = 0; k < g; k++) {
      const ue = uEmb[uo + k];
      const ie = iEmb[io + k];
      G[po + k] += dz * ue * ie;
      const d = dz * W[po + k];
      uGrad[ug + k] += d * ie;
      iGrad[ig + k] += d * ue;
    }
    this.tower?.backward(uo, io, ug, ig, dz);
  }

  /** A copy of user `user`'s embedding row: [gmf (gmfDim) | mlp (mlpLayers[0]/2)]. */
  getUserRow(user: number): Float32Array {
    this.flush();
    const w = this.rowWidth;
    return this.users.weights.slice(user * w, user * w + w);
  }

  /** Replaces user `user`'s embedding row (layout as `getUserRow`). */
  setUserRow(user: number, row: Float32Array): void {
    if (row.length !== this.rowWidth) throw new Error(`A user row has ${this.rowWidth} numbers, got ${row.length}.`);
    this.flush();
    this.users.weights.set(row, user * this.rowWidth);
  }

  /** Forgets user `user`'s Adam moments, so a new vector (e.g. a fold-in) starts a fresh optimiser. */
  resetUserRowOptimiser(user: number): void {
    const w = this.rowWidth;
    this.users.m.fill(0, user * w, user * w + w);
    this.users.v.fill(0, user * w, user * w + w);
    this.users.lastStep[user] = this.steps; // owes no catch-up
    this.userRowSteps.delete(user);
  }

  /**
   * One Adam step (rate `learningRate`) on the USER rows of the batch only; every other weight
   * stays frozen. For fold-in: learning a new user's vector against a trained network. Each
   * user row counts its own steps for the bias correction (from `resetUserRowOptimiser`).
   * Returns the batch's mean loss before the step.
   */
  trainUserRows(users: Int32Array, items: Int32Array, labels: Float32Array, start: number, end: number, learningRate: number): number {
    if (end <= start) return 0;
    const loss = this.accumulateGradients(users, items, labels, start, end);
    const w = this.rowWidth;
    const { weights, grad, m, v, touched, touchedCount } = this.users;
    for (let r = 0; r < touchedCount; r++) {
      const row = touched[r];
      const t = (this.userRowSteps.get(row) ?? 0) + 1;
      this.userRowSteps.set(row, t);
      adamStep(weights, grad, m, v, row * w, row * w + w, learningRate, t, undefined, undefined, r * w);
    }
    return loss;
  }

  /**
   * Folds the weights into their running average (`TablesAverage.fold`; the schedule is
   * src/engine/training/weightAveraging.ts). Reads the tables as they stand: with 'dense' Adam, a
   * row that sat out the latest steps is averaged without the few momentum moves it still owes
   * (a catch-up moves it by ~1/(1 − β1) = 10 steps' worth at most), which an average over
   * hundreds of steps barely notices. Threads sharing the model: thread 0's alone (the average
   * lives in this object, not in shared memory), between segments, while no thread trains.
   */
  foldIntoAverage(keep: number, average: TablesAverage = this.average): void {
    average.fold(this.weightTables(), keep);
  }

  /**
   * Exchanges the weights with their average, in place (a second call restores both), so that
   * scoring and `getWeights` see the average. The optimiser state stays as it is: it belongs to
   * the trained weights, which the second swap brings back. Every row is brought up to the
   * current step first, so no catch-up moves the average while it stands in. Threads sharing the
   * model: call only while no thread trains; a helper's cached item parts are dropped after every
   * training job, and one comes between any two swaps. `average`: another than the model's own,
   * for `npm run bench:averaging`, which keeps one per window of one run.
   */
  swapAverage(average: TablesAverage = this.average): void {
    this.flush();
    average.swap(this.weightTables());
    this.weightsVersion++;
  }

  /** The weight tables themselves (user rows, item rows, dense vector; live arrays, not copies). */
  private weightTables(): Float32Array[] {
    return [this.users.weights, this.items.weights, this.dense];
  }

  /** The weights' tables as `neumfLayout.ts` lays them out (live arrays, not copies). */
  private tables(): NeuMFTables {
    return { user: this.users.weights, item: this.items.weights, dense: this.dense };
  }

  /** Weights named and shaped as in the tfjs model (`tfNeuMF.ts`), in its layer order. */
  getWeights(): NamedWeights {
    this.flush();
    return weightsFromTables(this.layout, this.tables());
  }

  /**
   * Loads weights by name (every weight of this architecture must be present, with its shape).
   * Resets the optimiser: moments and step count start afresh, as for a newly created Adam.
   */
  setWeights(weights: NamedWeights): void {
    writeWeightsToTables(this.layout, weights, this.tables());
    this.weightsVersion++;
    this.resetOptimiser();
  }

  private resetOptimiser(): void {
    Atomics.store(this.stepCounter, 0, 0);
    this.pass = 0;
    for (const a of [this.users.m, this.users.v, this.items.m, this.items.v, this.denseM, this.denseV]) a.fill(0);
    for (const a of [this.users.lastStep, this.items.lastStep, this.users.mark, this.items.mark]) a.fill(0);
    this.userRowSteps.clear();
  }

  /**
   * NeuMF initialised from a trained GMF and a trained MLP (He et al. 2017, §3.4.1): both
   * paths' embeddings and tower are copied, and the prediction layer is
   * [alpha · gmf kernel ; (1 - alpha) · mlp kernel] with bias alpha · b_gmf + (1 - alpha) · b_mlp.
   */
  static fromPretrained(
    gmf: FusedNeuMF,
    mlp: FusedNeuMF,
    settings: NeuMFSettings,
    alpha = 0.5,
    options: FusedNeuMFOptions = {},
  ): FusedNeuMF {
    if (gmf.settings.model !== 'gmf' || mlp.settings.model !== 'mlp') throw new Error('Pre-training needs a GMF and an MLP model.');
    const model = new FusedNeuMF(gmf.numUsers, gmf.numItems, { ...settings, model: 'neumf' }, options);
    const gmfWeights = new Map(gmf.getWeights().map((wt) => [wt.name, wt.values]));
    const mlpWeights = new Map(mlp.getWeights().map((wt) => [wt.name, wt.values]));
    const weights = model.getWeights().map((wt) => {
      if (wt.name === `${LAYER_NAMES.prediction}/kernel`) {
        const gk = gmfWeights.get(wt.name)!;
        const mk = mlpWeights.get(wt.name)!;
        const values = new Float32Array(gk.length + mk.length);
        for (let k = 0; k < gk.length; k++) values[k] = alpha * gk[k];
        for (let k = 0; k < mk.length; k++) values[gk.length + k] = (1 - alpha) * mk[k];
        return { ...wt, values };
      }
      if (wt.name === `${LAYER_NAMES.prediction}/bias`) {
        const b = alpha * gmfWeights.get(wt.name)![0] + (1 - alpha) * mlpWeights.get(wt.name)![0];
        return { ...wt, values: Float32Array.of(b) };
      }
      const source = gmfWeights.get(wt.name) ?? mlpWeights.get(wt.name);
      if (!source) throw new Error(`Pre-trained weight ${wt.name} is missing.`);
      return { ...wt, values: source };
    });
    model.setWeights(weights);
    return model;
  }
}
