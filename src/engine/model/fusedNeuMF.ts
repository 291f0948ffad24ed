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
 * The tower's two hot loops (y += x·W and its backward) run as WebAssembly SIMD kernels
 * (`wasm/denseKernels.ts`) when every tower size is a multiple of 4, over one memory that holds
 * the tables, weights and gradients; otherwise, or where WebAssembly is missing, as plain JS.
 *
 * Layout, chosen so the hot loops run over contiguous memory:
 * - one user row = [gmf (gmfDim) | mlp (mlpLayers[0]/2)], one item row likewise;
 * - a Dense kernel is [in][out] (as tfjs stores it), so both the forward `h += x_k * W[k,:]` and
 *   the backward `dW[k,:] += x_k * d` / `dx_k = W[k,:]·d` walk one row of W;
 * - a ReLU output that is 0 has zero gradient and adds nothing forward, so its row of W is
 *   skipped in the next layer, forward and backward.
 */
import { SeededRandom } from '../../shared/random';
import type { NamedWeights, NeuMFLayout } from './neumfLayout';
import { LAYER_NAMES, neumfLayout, weightsFromTables, writeWeightsToTables } from './neumfLayout';
import type { NeuMFSettings } from './neumfSettings';
import { adamStep, adamStepRows, catchUpRows } from './adamMath';
import type { DenseKernels } from './wasm/denseKernels';
import { instantiateDenseKernels } from './wasm/denseKernels';
import { Float32Arena } from './wasm/float32Arena';

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
}

export class FusedNeuMF {
  readonly numUsers: number;
  readonly numItems: number;
  readonly settings: NeuMFSettings;
  readonly embeddingAdam: EmbeddingAdam;
  /** Where every weight lives: sizes, row width, the dense vector's parts, the names. */
  readonly layout: NeuMFLayout;

  /** GMF embedding size (0 for 'mlp'). */
  readonly gmfDim: number;
  /** Per-side MLP embedding size (0 for 'gmf'). */
  readonly mlpHalf: number;
  /** Width of one embedding row: gmfDim + mlpHalf. */
  readonly rowWidth: number;
  /** MLP tower sizes including the input ([] for 'gmf'). */
  readonly towerSizes: number[];
  /** Inputs to the prediction layer: gmfDim + last tower size. */
  readonly predictInputs: number;

  private readonly userEmb: Float32Array;
  private readonly itemEmb: Float32Array;
  private readonly userM: Float32Array;
  private readonly userV: Float32Array;
  private readonly itemM: Float32Array;
  private readonly itemV: Float32Array;
  private readonly userGrad: Float32Array;
  private readonly itemGrad: Float32Array;
  /** Step at which each row last received its Adam update (for 'dense' catch-up). */
  private readonly userLastStep: Int32Array;
  private readonly itemLastStep: Int32Array;
  /** Rows used by the current batch (marked by step number, so nothing needs clearing). */
  private readonly userMark: Int32Array;
  private readonly itemMark: Int32Array;
  private touchedUsers: Int32Array;
  private touchedItems: Int32Array;

  /** All dense parameters, in order: [kernel_1, bias_1, ..., kernel_L, bias_L, predict kernel, predict bias]. */
  private readonly dense: Float32Array;
  private readonly denseGrad: Float32Array;
  private readonly denseM: Float32Array;
  private readonly denseV: Float32Array;
  private readonly kernelOffset: Int32Array;
  private readonly biasOffset: Int32Array;
  private readonly predictOffset: number;
  private readonly predictBiasOffset: number;

  /** Per-sample activations and their gradients, tower layer l's output at actOffset[l]. */
  private readonly acts: Float32Array;
  private readonly deltas: Float32Array;
  private readonly actOffset: Int32Array;

  /** SIMD kernels over the arena's memory, and the byte offsets of the arrays they read. */
  private readonly kernels: DenseKernels | null;
  private readonly userEmbPtr: number;
  private readonly itemEmbPtr: number;
  private readonly userGradPtr: number;
  private readonly itemGradPtr: number;
  private readonly densePtr: number;
  private readonly denseGradPtr: number;
  private readonly actsPtr: number;
  private readonly deltasPtr: number;

  private step = 0;
  /** Gradient passes so far; marks which rows the latest pass used. */
  private pass = 0;
  private usersTouched = 0;
  private itemsTouched = 0;
  /** Adam steps of user rows trained alone by `trainUserRows` (fold-in). */
  private readonly userRowSteps = new Map<number, number>();

  constructor(numUsers: number, numItems: number, settings: NeuMFSettings, options: FusedNeuMFOptions = {}) {
    const layout = neumfLayout(numUsers, numItems, settings);
    this.numUsers = numUsers;
    this.numItems = numItems;
    this.settings = settings;
    this.embeddingAdam = options.embeddingAdam ?? 'dense';
    this.layout = layout;
    this.gmfDim = layout.gmfDim;
    this.towerSizes = layout.towerSizes;
    this.mlpHalf = layout.mlpHalf;
    this.rowWidth = layout.rowWidth;
    this.predictInputs = layout.predictInputs;
    const tower = this.towerSizes;
    const layers = layout.kernelOffset.length;

    this.kernelOffset = layout.kernelOffset;
    this.biasOffset = layout.biasOffset;
    this.predictOffset = layout.predictOffset;
    this.predictBiasOffset = layout.predictBiasOffset;
    const size = layout.denseSize;
    this.actOffset = new Int32Array(layers);
    let acts = 0;
    for (let l = 0; l < layers; l++) {
      this.actOffset[l] = acts;
      acts += tower[l + 1];
    }

    const w = this.rowWidth;
    const userFloats = numUsers * w;
    const itemFloats = numItems * w;
    acts = Math.max(4, acts);
    // The kernels work on 4 output units at a time.
    const simdFits = layers > 0 && tower.slice(1).every((n) => n % 4 === 0);
    const arena = new Float32Arena(
      [userFloats, itemFloats, userFloats, itemFloats, size, size, acts, acts],
      (options.simd ?? true) && simdFits && typeof WebAssembly === 'object',
    );
    this.kernels = arena.memory ? instantiateDenseKernels(arena.memory) : null;
    let block = arena.allocate(userFloats);
    [this.userEmb, this.userEmbPtr] = [block.array, block.pointer];
    block = arena.allocate(itemFloats);
    [this.itemEmb, this.itemEmbPtr] = [block.array, block.pointer];
    block = arena.allocate(userFloats);
    [this.userGrad, this.userGradPtr] = [block.array, block.pointer];
    block = arena.allocate(itemFloats);
    [this.itemGrad, this.itemGradPtr] = [block.array, block.pointer];
    block = arena.allocate(size);
    [this.dense, this.densePtr] = [block.array, block.pointer];
    block = arena.allocate(size);
    [this.denseGrad, this.denseGradPtr] = [block.array, block.pointer];
    block = arena.allocate(acts);
    [this.acts, this.actsPtr] = [block.array, block.pointer];
    block = arena.allocate(acts);
    [this.deltas, this.deltasPtr] = [block.array, block.pointer];

    this.userM = new Float32Array(userFloats);
    this.userV = new Float32Array(userFloats);
    this.itemM = new Float32Array(itemFloats);
    this.itemV = new Float32Array(itemFloats);
    this.denseM = new Float32Array(size);
    this.denseV = new Float32Array(size);
    this.userLastStep = new Int32Array(numUsers);
    this.itemLastStep = new Int32Array(numItems);
    this.userMark = new Int32Array(numUsers);
    this.itemMark = new Int32Array(numItems);
    this.touchedUsers = new Int32Array(1024);
    this.touchedItems = new Int32Array(1024);

    this.initialise(new SeededRandom(settings.seed));
  }

  /** Whether training and scoring run on the WebAssembly SIMD kernels. */
  get usesSimd(): boolean {
    return this.kernels !== null;
  }

  /** Adam steps taken so far. */
  get steps(): number {
    return this.step;
  }

  /**
   * As the PyTorch NCF reference (guoyang9/NCF): embeddings N(0, 0.01²), tower kernels
   * Xavier-uniform, prediction kernel Kaiming-uniform (a=1, sigmoid gain 1), biases zero.
   */
  private initialise(rng: SeededRandom): void {
    const { rowWidth: w, gmfDim: g, mlpHalf: h } = this;
    const normalRows = (table: Float32Array, rows: number, from: number, width: number) => {
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < width; k++) table[r * w + from + k] = 0.01 * rng.nextGaussian();
      }
    };
    normalRows(this.userEmb, this.numUsers, 0, g);
    normalRows(this.itemEmb, this.numItems, 0, g);
    normalRows(this.userEmb, this.numUsers, g, h);
    normalRows(this.itemEmb, this.numItems, g, h);
    const tower = this.towerSizes;
    for (let l = 0; l < this.kernelOffset.length; l++) {
      const fanIn = tower[l];
      const fanOut = tower[l + 1];
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      for (let k = 0; k < fanIn * fanOut; k++) this.dense[this.kernelOffset[l] + k] = (2 * rng.nextFloat() - 1) * bound;
    }
    const bound = Math.sqrt(3 / this.predictInputs);
    for (let k = 0; k < this.predictInputs; k++) this.dense[this.predictOffset + k] = (2 * rng.nextFloat() - 1) * bound;
  }

  /**
   * One Adam step on rows `start .. end` of (users, items, labels); returns their mean
   * binary cross-entropy before the step.
   */
  trainBatch(users: Int32Array, items: Int32Array, labels: Float32Array, start = 0, end = users.length): number {
    if (end <= start) return 0;
    const loss = this.accumulateGradients(users, items, labels, start, end);
    const t = ++this.step;
    adamStep(this.dense, this.denseGrad, this.denseM, this.denseV, 0, this.dense.length, this.settings.learningRate, t);
    this.adamRows(this.userEmb, this.userGrad, this.userM, this.userV, this.userLastStep, this.touchedUsers, this.usersTouched, t);
    this.adamRows(this.itemEmb, this.itemGrad, this.itemM, this.itemV, this.itemLastStep, this.touchedItems, this.itemsTouched, t);
    return loss;
  }

  /**
   * Mean binary cross-entropy of rows `start .. end` and its gradient with respect to every
   * weight (kept for the next Adam step; `gradients()` reads it). Changes no weight.
   */
  accumulateGradients(users: Int32Array, items: Int32Array, labels: Float32Array, start = 0, end = users.length): number {
    const batch = end - start;
    if (batch <= 0) return 0;
    const pass = ++this.pass;
    this.usersTouched = this.markRows(users, start, end, pass, true);
    this.itemsTouched = this.markRows(items, start, end, pass, false);
    this.denseGrad.fill(0);

    const scale = 1 / batch;
    let lossSum = 0;
    for (let r = start; r < end; r++) {
      const uo = users[r] * this.rowWidth;
      const io = items[r] * this.rowWidth;
      const z = this.forwardSample(uo, io);
      const y = labels[r];
      // Binary cross-entropy on the logit, stable for any z: max(z,0) - z*y + log(1 + e^-|z|).
      const e = Math.exp(-Math.abs(z));
      lossSum += (z > 0 ? z : 0) - z * y + Math.log1p(e);
      const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      this.backwardSample(uo, io, (p - y) * scale);
    }
    return lossSum / batch;
  }

  /** The gradient of the last `accumulateGradients`/`trainBatch` batch, named like `getWeights`. */
  gradients(): NamedWeights {
    const w = this.rowWidth;
    // Rows the batch did not use have zero gradient; their slots still hold an older batch's.
    const usedRows = (grad: Float32Array, mark: Int32Array) => {
      const out = new Float32Array(grad.length);
      for (let r = 0; r < mark.length; r++) {
        if (mark[r] === this.pass) out.set(grad.subarray(r * w, r * w + w), r * w);
      }
      return out;
    };
    return weightsFromTables(this.layout, {
      user: usedRows(this.userGrad, this.userMark),
      item: usedRows(this.itemGrad, this.itemMark),
      dense: this.denseGrad,
    });
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
   * Brings every embedding row up to the current step (only needed with 'dense' embedding
   * Adam, where rows a batch skipped owe their momentum moves). `predict` and `getWeights` call it.
   */
  flush(): void {
    if (this.embeddingAdam !== 'dense') return;
    catchUpRows(this.userEmb, this.userM, this.userV, this.userLastStep, null, this.numUsers, this.rowWidth, this.settings.learningRate, this.step);
    catchUpRows(this.itemEmb, this.itemM, this.itemV, this.itemLastStep, null, this.numItems, this.rowWidth, this.settings.learningRate, this.step);
  }

  /** Marks the distinct rows of the batch, zeroes their gradient and brings them up to the current step. */
  private markRows(ids: Int32Array, start: number, end: number, pass: number, isUser: boolean): number {
    const mark = isUser ? this.userMark : this.itemMark;
    const grad = isUser ? this.userGrad : this.itemGrad;
    let touched = isUser ? this.touchedUsers : this.touchedItems;
    if (touched.length < end - start) {
      touched = new Int32Array(end - start);
      if (isUser) this.touchedUsers = touched;
      else this.touchedItems = touched;
    }
    const w = this.rowWidth;
    let count = 0;
    for (let r = start; r < end; r++) {
      const id = ids[r];
      if (mark[id] === pass) continue;
      mark[id] = pass;
      touched[count++] = id;
      grad.fill(0, id * w, id * w + w);
    }
    if (this.embeddingAdam === 'dense') {
      const [emb, m, v, last] = isUser
        ? [this.userEmb, this.userM, this.userV, this.userLastStep]
        : [this.itemEmb, this.itemM, this.itemV, this.itemLastStep];
      catchUpRows(emb, m, v, last, touched, count, w, this.settings.learningRate, this.step);
    }
    return count;
  }

  /** GMF and tower forward for one pair; returns the logit, leaves the tower's activations in `acts`. */
  private forwardSample(uo: number, io: number): number {
    const uEmb = this.userEmb;
    const iEmb = this.itemEmb;
    const W = this.dense;
    const g = this.gmfDim;
    const po = this.predictOffset;
    let z = W[this.predictBiasOffset];
    for (let k = 0; k < g; k++) z += uEmb[uo + k] * iEmb[io + k] * W[po + k];
    const layers = this.kernelOffset.length;
    if (layers === 0) return z;
    if (this.kernels) this.towerForwardSimd(uo, io);
    else this.towerForwardJs(uo, io);
    const last = this.actOffset[layers - 1];
    const acts = this.acts;
    for (let k = 0, n = this.towerSizes[layers]; k < n; k++) z += acts[last + k] * W[po + g + k];
    return z;
  }

  private towerForwardSimd(uo: number, io: number): void {
    const kernels = this.kernels!;
    const acts = this.acts;
    const W = this.dense;
    const tower = this.towerSizes;
    const half = this.mlpHalf;
    const g = this.gmfDim;
    // Layer 1 reads the concatenated user and item MLP embeddings straight from the tables.
    let out = tower[1];
    let bo = this.biasOffset[0];
    for (let n = 0; n < out; n++) acts[n] = W[bo + n];
    const k0 = this.densePtr + 4 * this.kernelOffset[0];
    kernels.macRows(this.userEmbPtr + 4 * (uo + g), half, k0, this.actsPtr, out);
    kernels.macRows(this.itemEmbPtr + 4 * (io + g), half, k0 + 4 * half * out, this.actsPtr, out);
    for (let n = 0; n < out; n++) if (acts[n] < 0) acts[n] = 0;
    let prev = 0;
    for (let l = 1; l < this.kernelOffset.length; l++) {
      const inp = out;
      out = tower[l + 1];
      bo = this.biasOffset[l];
      const ao = this.actOffset[l];
      for (let n = 0; n < out; n++) acts[ao + n] = W[bo + n];
      kernels.macRows(this.actsPtr + 4 * prev, inp, this.densePtr + 4 * this.kernelOffset[l], this.actsPtr + 4 * ao, out);
      for (let n = 0; n < out; n++) if (acts[ao + n] < 0) acts[ao + n] = 0;
      prev = ao;
    }
  }

  private towerForwardJs(uo: number, io: number): void {
    const uEmb = this.userEmb;
    const iEmb = this.itemEmb;
    const W = this.dense;
    const acts = this.acts;
    const g = this.gmfDim;
    const tower = this.towerSizes;
    const half = this.mlpHalf;
    let out = tower[1];
    let ko = this.kernelOffset[0];
    let bo = this.biasOffset[0];
    for (let n = 0; n < out; n++) acts[n] = W[bo + n];
    for (let k = 0; k < half; k++) {
      const x = uEmb[uo + g + k];
      const row = ko + k * out;
      for (let n = 0; n < out; n++) acts[n] += x * W[row + n];
    }
    for (let k = 0; k < half; k++) {
      const x = iEmb[io + g + k];
      const row = ko + (half + k) * out;
      for (let n = 0; n < out; n++) acts[n] += x * W[row + n];
    }
    for (let n = 0; n < out; n++) if (acts[n] < 0) acts[n] = 0;
    let prev = 0;
    for (let l = 1; l < this.kernelOffset.length; l++) {
      const inp = out;
      out = tower[l + 1];
      ko = this.kernelOffset[l];
      bo = this.biasOffset[l];
      const ao = this.actOffset[l];
      for (let n = 0; n < out; n++) acts[ao + n] = W[bo + n];
      for (let k = 0; k < inp; k++) {
        const x = acts[prev + k];
        if (x === 0) continue;
        const row = ko + k * out;
        for (let n = 0; n < out; n++) acts[ao + n] += x * W[row + n];
      }
      for (let n = 0; n < out; n++) if (acts[ao + n] < 0) acts[ao + n] = 0;
      prev = ao;
    }
  }

  /** Accumulates the gradients of one pair, given dLoss/dLogit, into denseGrad and the row gradients. */
  private backwardSample(uo: number, io: number, dz: number): void {
    const uEmb = this.userEmb;
    const iEmb = this.itemEmb;
    const uGrad = this.userGrad;
    const iGrad = this.itemGrad;
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
      uGrad[uo + k] += d * ie;
      iGrad[io + k] += d * ue;
    }
    const layers = this.kernelOffset.length;
    if (layers === 0) return;

    // Gradient at the last tower layer's pre-activation (ReLU passes it where the output > 0).
    const acts = this.acts;
    const deltas = this.deltas;
    const ao = this.actOffset[layers - 1];
    for (let k = 0, n = this.towerSizes[layers]; k < n; k++) {
      const a = acts[ao + k];
      G[po + g + k] += dz * a;
      deltas[ao + k] = a > 0 ? dz * W[po + g + k] : 0;
    }
    if (this.kernels) this.towerBackwardSimd(uo, io);
    else this.towerBackwardJs(uo, io);
  }

  private towerBackwardSimd(uo: number, io: number): void {
    const kernels = this.kernels!;
    const G = this.denseGrad;
    const deltas = this.deltas;
    const tower = this.towerSizes;
    let l = this.kernelOffset.length - 1;
    let out = tower[l + 1];
    let ao = this.actOffset[l];
    for (; l >= 1; l--) {
      const inp = tower[l];
      const bo = this.biasOffset[l];
      const prev = this.actOffset[l - 1];
      for (let n = 0; n < out; n++) G[bo + n] += deltas[ao + n];
      deltas.fill(0, prev, prev + inp);
      // Where the input ReLU output is 0 its gradient stays 0: the kernel skips it.
      kernels.backpropRows(
        this.actsPtr + 4 * prev, inp, this.densePtr + 4 * this.kernelOffset[l], this.denseGradPtr + 4 * this.kernelOffset[l],
        this.deltasPtr + 4 * ao, out, this.deltasPtr + 4 * prev, 1,
      );
      out = inp;
      ao = prev;
    }
    // Layer 1: its input is the embeddings, whose gradient goes straight to the rows.
    const half = this.mlpHalf;
    const g = this.gmfDim;
    const bo = this.biasOffset[0];
    for (let n = 0; n < out; n++) G[bo + n] += deltas[n];
    const k0 = 4 * this.kernelOffset[0];
    const itemRows = 4 * half * out;
    kernels.backpropRows(
      this.userEmbPtr + 4 * (uo + g), half, this.densePtr + k0, this.denseGradPtr + k0,
      this.deltasPtr, out, this.userGradPtr + 4 * (uo + g), 0,
    );
    kernels.backpropRows(
      this.itemEmbPtr + 4 * (io + g), half, this.densePtr + k0 + itemRows, this.denseGradPtr + k0 + itemRows,
      this.deltasPtr, out, this.itemGradPtr + 4 * (io + g), 0,
    );
  }

  private towerBackwardJs(uo: number, io: number): void {
    const uEmb = this.userEmb;
    const iEmb = this.itemEmb;
    const uGrad = this.userGrad;
    const iGrad = this.itemGrad;
    const W = this.dense;
    const G = this.denseGrad;
    const acts = this.acts;
    const deltas = this.deltas;
    const g = this.gmfDim;
    const tower = this.towerSizes;
    let l = this.kernelOffset.length - 1;
    let out = tower[l + 1];
    let ao = this.actOffset[l];
    for (; l >= 1; l--) {
      const inp = tower[l];
      const ko = this.kernelOffset[l];
      const bo = this.biasOffset[l];
      const prev = this.actOffset[l - 1];
      for (let n = 0; n < out; n++) G[bo + n] += deltas[ao + n];
      for (let k = 0; k < inp; k++) {
        const x = acts[prev + k];
        if (x === 0) {
          deltas[prev + k] = 0; // dead ReLU: no gradient through it
          continue;
        }
        const row = ko + k * out;
        let back = 0;
        for (let n = 0; n < out; n++) {
          const d = deltas[ao + n];
          G[row + n] += x * d;
          back += W[row + n] * d;
        }
        deltas[prev + k] = back;
      }
      out = inp;
      ao = prev;
    }

    const half = this.mlpHalf;
    const ko = this.kernelOffset[0];
    const bo = this.biasOffset[0];
    for (let n = 0; n < out; n++) G[bo + n] += deltas[n];
    for (let k = 0; k < half; k++) {
      const x = uEmb[uo + g + k];
      const row = ko + k * out;
      let back = 0;
      for (let n = 0; n < out; n++) {
        const d = deltas[n];
        G[row + n] += x * d;
        back += W[row + n] * d;
      }
      uGrad[uo + g + k] += back;
    }
    for (let k = 0; k < half; k++) {
      const x = iEmb[io + g + k];
      const row = ko + (half + k) * out;
      let back = 0;
      for (let n = 0; n < out; n++) {
        const d = deltas[n];
        G[row + n] += x * d;
        back += W[row + n] * d;
      }
      iGrad[io + g + k] += back;
    }
  }

  /** The same Adam step on the rows the batch used (their skipped steps were applied in markRows). */
  private adamRows(
    emb: Float32Array,
    grad: Float32Array,
    m: Float32Array,
    v: Float32Array,
    last: Int32Array,
    rows: Int32Array,
    count: number,
    t: number,
  ): void {
    for (let r = 0; r < count; r++) last[rows[r]] = t;
    adamStepRows(emb, grad, m, v, rows, count, this.rowWidth, this.settings.learningRate, t);
  }

  /** A copy of user `user`'s embedding row: [gmf (gmfDim) | mlp (mlpLayers[0]/2)]. */
  getUserRow(user: number): Float32Array {
    this.flush();
    const w = this.rowWidth;
    return this.userEmb.slice(user * w, user * w + w);
  }

  /** Replaces user `user`'s embedding row (layout as `getUserRow`). */
  setUserRow(user: number, row: Float32Array): void {
    if (row.length !== this.rowWidth) throw new Error(`A user row has ${this.rowWidth} numbers, got ${row.length}.`);
    this.flush();
    this.userEmb.set(row, user * this.rowWidth);
  }

  /** Forgets user `user`'s Adam moments, so a new vector (e.g. a fold-in) starts a fresh optimiser. */
  resetUserRowOptimiser(user: number): void {
    const w = this.rowWidth;
    this.userM.fill(0, user * w, user * w + w);
    this.userV.fill(0, user * w, user * w + w);
    this.userLastStep[user] = this.step; // owes no catch-up
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
    const { userEmb: emb, userGrad: grad, userM: m, userV: v } = this;
    for (let r = 0; r < this.usersTouched; r++) {
      const row = this.touchedUsers[r];
      const t = (this.userRowSteps.get(row) ?? 0) + 1;
      this.userRowSteps.set(row, t);
      adamStep(emb, grad, m, v, row * w, row * w + w, learningRate, t);
    }
    return loss;
  }

  /** Weights named and shaped as in the tfjs model (`tfNeuMF.ts`), in its layer order. */
  getWeights(): NamedWeights {
    this.flush();
    return weightsFromTables(this.layout, { user: this.userEmb, item: this.itemEmb, dense: this.dense });
  }

  /**
   * Loads weights by name (every weight of this architecture must be present, with its shape).
   * Resets the optimiser: moments and step count start afresh, as for a newly created Adam.
   */
  setWeights(weights: NamedWeights): void {
    writeWeightsToTables(this.layout, weights, { user: this.userEmb, item: this.itemEmb, dense: this.dense });
    this.resetOptimiser();
  }

  private resetOptimiser(): void {
    this.step = 0;
    this.pass = 0;
    for (const a of [this.userM, this.userV, this.itemM, this.itemV, this.denseM, this.denseV]) a.fill(0);
    this.userLastStep.fill(0);
    this.itemLastStep.fill(0);
    this.userRowSteps.clear();
    this.userMark.fill(0);
    this.itemMark.fill(0);
  }

  /**
   * NeuMF initialised from a trained GMF and a trained MLP (He et al. 2017, §3.4.1): both
   * paths' embeddings and tower are copied, and the prediction layer is
   * [alpha · gmf kernel ; (1 - alpha) · mlp kernel] with bias alpha · b_gmf + (1 - alpha) · b_mlp.
   */
  static fromPretrained(gmf: FusedNeuMF, mlp: FusedNeuMF, settings: NeuMFSettings, alpha = 0.5, options: FusedNeuMFOptions = {}): FusedNeuMF {
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
