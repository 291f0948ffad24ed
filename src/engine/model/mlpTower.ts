/**
 * The MLP path of the fused NeuMF for one (user, item) pair: the Dense+ReLU tower over the
 * concatenated user and item MLP embeddings, forward and backward, up to its share of the
 * logit. The two hot loops (y += x·W and its backward) are the dense kernels
 * (`wasm/denseKernels.ts`): WebAssembly SIMD where they run, their plain-JS twins otherwise;
 * both give the same numbers within float rounding (a test keeps them in step).
 *
 * Layout, chosen so the hot loops run over contiguous memory:
 * - a Dense kernel is [in][out] (as tfjs stores it), so both the forward `h += x_k * W[k,:]` and
 *   the backward `dW[k,:] += x_k * d` / `dx_k = W[k,:]·d` walk one row of W;
 * - a ReLU output that is 0 has zero gradient and adds nothing forward, so its row of W is
 *   skipped in the next layer's backward (and in the plain-JS forward).
 */
import type { NeuMFLayout } from './neumfLayout';
import type { DenseKernels } from './wasm/denseKernels';
import type { Float32Block } from './wasm/float32Arena';

/** The trainer's arrays the tower reads and writes, all in the one buffer the kernels address. */
export interface TowerMemory {
  userEmb: Float32Block;
  itemEmb: Float32Block;
  userGrad: Float32Block;
  itemGrad: Float32Block;
  dense: Float32Block;
  denseGrad: Float32Block;
  /** `activationCount(layout)` floats each: tower layer l's output, and the gradient there. */
  acts: Float32Block;
  deltas: Float32Block;
}

/** Where tower layer l's output sits in the activations (and its gradient in the deltas). */
function activationOffsets(layout: NeuMFLayout): Int32Array {
  const layers = layout.kernelOffset.length;
  const offsets = new Int32Array(layers);
  for (let l = 1; l < layers; l++) offsets[l] = offsets[l - 1] + layout.towerSizes[l];
  return offsets;
}

/** Floats the activations (and deltas) need: every tower layer's output, at least one f32x4. */
export function activationCount(layout: NeuMFLayout): number {
  return Math.max(
    4,
    layout.towerSizes.slice(1).reduce((a, b) => a + b, 0),
  );
}

/** Whether the SIMD kernels can run this tower: they work on 4 output units at a time. */
export function towerFitsSimd(layout: NeuMFLayout): boolean {
  return layout.kernelOffset.length > 0 && layout.towerSizes.slice(1).every((n) => n % 4 === 0);
}

export class MlpTower {
  private readonly memory: TowerMemory;
  private readonly kernels: DenseKernels;
  private readonly gmfDim: number;
  private readonly mlpHalf: number;
  private readonly towerSizes: number[];
  private readonly kernelOffset: Int32Array;
  private readonly biasOffset: Int32Array;
  private readonly actOffset: Int32Array;
  /** Offset of the last layer's output in the activations (and of its gradient in the deltas). */
  private readonly outputOffset: number;
  /** Where the prediction layer's kernel rows for the tower's output start in the dense vector. */
  private readonly predictOffset: number;

  constructor(layout: NeuMFLayout, memory: TowerMemory, kernels: DenseKernels) {
    this.memory = memory;
    this.kernels = kernels;
    this.gmfDim = layout.gmfDim;
    this.mlpHalf = layout.mlpHalf;
    this.towerSizes = layout.towerSizes;
    this.kernelOffset = layout.kernelOffset;
    this.biasOffset = layout.biasOffset;
    this.actOffset = activationOffsets(layout);
    this.outputOffset = this.actOffset[this.actOffset.length - 1];
    this.predictOffset = layout.predictOffset + layout.gmfDim;
  }

  /**
   * Runs the tower for the pair whose rows start at `uo` and `io` (every layer's ReLU output
   * stays in the activations for `backward`) and returns `z` plus the tower's share of the
   * logit: its output times its rows of the prediction kernel.
   */
  forward(uo: number, io: number, z: number): number {
    const kernels = this.kernels;
    const { userEmb, itemEmb, dense } = this.memory;
    const acts = this.memory.acts.array;
    const actsPtr = this.memory.acts.pointer;
    const W = dense.array;
    const half = this.mlpHalf;
    const g = this.gmfDim;
    // Layer 1 reads the concatenated user and item MLP embeddings straight from the tables.
    const out = this.towerSizes[1];
    const bo = this.biasOffset[0];
    for (let n = 0; n < out; n++) acts[n] = W[bo + n];
    const k0 = dense.pointer + 4 * this.kernelOffset[0];
    kernels.macRows(userEmb.pointer + 4 * (uo + g), half, k0, actsPtr, out);
    kernels.macRows(itemEmb.pointer + 4 * (io + g), half, k0 + 4 * half * out, actsPtr, out);
    return this.forwardFromFirstLayer(z);
  }

  /**
   * The rest of `forward` once the first layer's pre-activation (bias + user part + item part)
   * is in the activations: its ReLU, the other layers, and `z` plus the tower's share of the logit.
   * Scoring a whole catalogue for one user starts here, with the item parts computed once.
   */
  forwardFromFirstLayer(z: number): number {
    const kernels = this.kernels;
    const { dense } = this.memory;
    const acts = this.memory.acts.array;
    const actsPtr = this.memory.acts.pointer;
    const W = dense.array;
    const tower = this.towerSizes;
    let out = tower[1];
    for (let n = 0; n < out; n++) if (acts[n] < 0) acts[n] = 0;
    let prev = 0;
    for (let l = 1; l < this.kernelOffset.length; l++) {
      const inp = out;
      out = tower[l + 1];
      const bo = this.biasOffset[l];
      const ao = this.actOffset[l];
      for (let n = 0; n < out; n++) acts[ao + n] = W[bo + n];
      kernels.macRows(actsPtr + 4 * prev, inp, dense.pointer + 4 * this.kernelOffset[l], actsPtr + 4 * ao, out);
      for (let n = 0; n < out; n++) if (acts[ao + n] < 0) acts[ao + n] = 0;
      prev = ao;
    }
    for (let k = 0, last = this.outputOffset, po = this.predictOffset; k < out; k++) z += acts[last + k] * W[po + k];
    return z;
  }

  /** The first layer's activations, where `forwardFromFirstLayer` expects its pre-activation. */
  get firstLayer(): Float32Array {
    return this.memory.acts.array.subarray(0, this.towerSizes[1]);
  }

  /**
   * One side's part of the first layer's pre-activation for the row starting at `offset` of that
   * side's table: its MLP embedding times its half of the first kernel, into `out` (first-layer size).
   */
  firstLayerPart(side: 'user' | 'item', offset: number, out: Float32Array): void {
    const W = this.memory.dense.array;
    const emb = (side === 'user' ? this.memory.userEmb : this.memory.itemEmb).array;
    const half = this.mlpHalf;
    const width = this.towerSizes[1];
    const from = this.kernelOffset[0] + (side === 'user' ? 0 : half * width);
    out.fill(0);
    for (let k = 0; k < half; k++) {
      const x = emb[offset + this.gmfDim + k];
      const row = from + k * width;
      for (let n = 0; n < width; n++) out[n] += x * W[row + n];
    }
  }

  /** The first layer's bias. */
  get firstLayerBias(): Float32Array {
    return this.memory.dense.array.subarray(this.biasOffset[0], this.biasOffset[0] + this.towerSizes[1]);
  }

  /**
   * Accumulates, for the pair `forward` ran last, the gradients of the tower's weights, of its
   * rows of the prediction kernel and of the pair's MLP embedding columns, given dLoss/dLogit.
   * The pair's rows start at `uo`/`io` in the embedding tables and at `ug`/`ig` in the gradients.
   */
  backward(uo: number, io: number, ug: number, ig: number, dz: number): void {
    const tower = this.towerSizes;
    let l = this.kernelOffset.length - 1;
    let out = tower[l + 1];
    let ao = this.actOffset[l];
    const { acts: actBlock, deltas: deltaBlock, dense, denseGrad } = this.memory;
    const acts = actBlock.array;
    const deltas = deltaBlock.array;
    const G = denseGrad.array;
    const W = dense.array;
    // Gradient at the last layer's pre-activation (ReLU passes it where the output > 0).
    for (let k = 0, po = this.predictOffset; k < out; k++) {
      const a = acts[ao + k];
      G[po + k] += dz * a;
      deltas[ao + k] = a > 0 ? dz * W[po + k] : 0;
    }
    const kernels = this.kernels;
    for (; l >= 1; l--) {
      const inp = tower[l];
      const bo = this.biasOffset[l];
      const prev = this.actOffset[l - 1];
      const ko = 4 * this.kernelOffset[l];
      for (let n = 0; n < out; n++) G[bo + n] += deltas[ao + n];
      deltas.fill(0, prev, prev + inp);
      // Where the input ReLU output is 0 its gradient stays 0: the kernel skips it.
      kernels.backpropRows(
        actBlock.pointer + 4 * prev,
        inp,
        dense.pointer + ko,
        denseGrad.pointer + ko,
        deltaBlock.pointer + 4 * ao,
        out,
        deltaBlock.pointer + 4 * prev,
        1,
      );
      out = inp;
      ao = prev;
    }
    // Layer 1: its input is the embeddings, whose gradient goes straight to the rows.
    const { userEmb, itemEmb, userGrad, itemGrad } = this.memory;
    const half = this.mlpHalf;
    const g = this.gmfDim;
    const bo = this.biasOffset[0];
    for (let n = 0; n < out; n++) G[bo + n] += deltas[n];
    const k0 = 4 * this.kernelOffset[0];
    const itemRows = k0 + 4 * half * out;
    kernels.backpropRows(
      userEmb.pointer + 4 * (uo + g),
      half,
      dense.pointer + k0,
      denseGrad.pointer + k0,
      deltaBlock.pointer,
      out,
      userGrad.pointer + 4 * (ug + g),
      0,
    );
    kernels.backpropRows(
      itemEmb.pointer + 4 * (io + g),
      half,
      dense.pointer + itemRows,
      denseGrad.pointer + itemRows,
      deltaBlock.pointer,
      out,
      itemGrad.pointer + 4 * (ig + g),
      0,
    );
  }
}
