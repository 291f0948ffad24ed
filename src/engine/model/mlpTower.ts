/**
 * The MLP path of the fused NeuMF for one (user, item) pair: the Dense+ReLU tower over the
 * concatenated user and item MLP embeddings, forward and backward. The two hot loops
 * (y += x·W and its backward) run as WebAssembly SIMD kernels (`wasm/denseKernels.ts`) when
 * the trainer has them, otherwise as the plain-JS loops here; both give the same numbers
 * within float rounding (a test keeps them in step).
 *
 * Layout, chosen so the hot loops run over contiguous memory:
 * - a Dense kernel is [in][out] (as tfjs stores it), so both the forward `h += x_k * W[k,:]` and
 *   the backward `dW[k,:] += x_k * d` / `dx_k = W[k,:]·d` walk one row of W;
 * - a ReLU output that is 0 has zero gradient and adds nothing forward, so its row of W is
 *   skipped in the next layer, forward and backward.
 */
import type { NeuMFLayout } from './neumfLayout';
import type { DenseKernels } from './wasm/denseKernels';
import type { Float32Block } from './wasm/float32Arena';

/** The trainer's arrays the tower reads and writes; with SIMD kernels, all in their memory. */
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
  return Math.max(4, layout.towerSizes.slice(1).reduce((a, b) => a + b, 0));
}

/** Whether the SIMD kernels can run this tower: they work on 4 output units at a time. */
export function towerFitsSimd(layout: NeuMFLayout): boolean {
  return layout.kernelOffset.length > 0 && layout.towerSizes.slice(1).every((n) => n % 4 === 0);
}

export class MlpTower {
  /** Offset of the last layer's output in `acts` (and its gradient in `deltas`). */
  readonly outputOffset: number;

  private readonly memory: TowerMemory;
  /** The SIMD kernels over the blocks' memory; null: the plain-JS loops. */
  private readonly kernels: DenseKernels | null;
  private readonly gmfDim: number;
  private readonly mlpHalf: number;
  private readonly towerSizes: number[];
  private readonly kernelOffset: Int32Array;
  private readonly biasOffset: Int32Array;
  private readonly actOffset: Int32Array;

  constructor(layout: NeuMFLayout, memory: TowerMemory, kernels: DenseKernels | null) {
    this.memory = memory;
    this.kernels = kernels;
    this.gmfDim = layout.gmfDim;
    this.mlpHalf = layout.mlpHalf;
    this.towerSizes = layout.towerSizes;
    this.kernelOffset = layout.kernelOffset;
    this.biasOffset = layout.biasOffset;
    this.actOffset = activationOffsets(layout);
    this.outputOffset = this.actOffset.length > 0 ? this.actOffset[this.actOffset.length - 1] : 0;
  }

  /** Every layer's ReLU output for the pair whose rows start at `uo` and `io`, into the activations. */
  forward(uo: number, io: number): void {
    const { userEmb, itemEmb } = this.memory;
    const acts = this.memory.acts.array;
    const W = this.memory.dense.array;
    const tower = this.towerSizes;
    const half = this.mlpHalf;
    const g = this.gmfDim;
    // Layer 1 reads the concatenated user and item MLP embeddings straight from the tables.
    let out = tower[1];
    let bo = this.biasOffset[0];
    for (let n = 0; n < out; n++) acts[n] = W[bo + n];
    const k0 = this.kernelOffset[0];
    this.mac(userEmb, uo + g, half, k0, 0, out, false);
    this.mac(itemEmb, io + g, half, k0 + half * out, 0, out, false);
    for (let n = 0; n < out; n++) if (acts[n] < 0) acts[n] = 0;
    let prev = 0;
    for (let l = 1; l < this.kernelOffset.length; l++) {
      const inp = out;
      out = tower[l + 1];
      bo = this.biasOffset[l];
      const ao = this.actOffset[l];
      for (let n = 0; n < out; n++) acts[ao + n] = W[bo + n];
      this.mac(this.memory.acts, prev, inp, this.kernelOffset[l], ao, out, true);
      for (let n = 0; n < out; n++) if (acts[ao + n] < 0) acts[ao + n] = 0;
      prev = ao;
    }
  }

  /**
   * Accumulates the gradients of the tower's weights and of the pair's MLP embedding columns,
   * given the gradient at the last layer's pre-activation in the deltas (at `outputOffset`).
   */
  backward(uo: number, io: number): void {
    const { userEmb, itemEmb, userGrad, itemGrad } = this.memory;
    const G = this.memory.denseGrad.array;
    const deltas = this.memory.deltas.array;
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
      // Where the input ReLU output is 0 its gradient stays 0: skipped.
      this.backprop(this.memory.acts, prev, inp, this.kernelOffset[l], ao, out, this.memory.deltas, prev, true);
      out = inp;
      ao = prev;
    }
    // Layer 1: its input is the embeddings, whose gradient goes straight to the rows.
    const half = this.mlpHalf;
    const g = this.gmfDim;
    const bo = this.biasOffset[0];
    for (let n = 0; n < out; n++) G[bo + n] += deltas[n];
    const k0 = this.kernelOffset[0];
    this.backprop(userEmb, uo + g, half, k0, 0, out, userGrad, uo + g, false);
    this.backprop(itemEmb, io + g, half, k0 + half * out, 0, out, itemGrad, io + g, false);
  }

  /** acts[yo..yo+nOut) += Σ_k x[xo+k] · W[k, :], the nIn rows of W starting at dense[wo]. */
  private mac(x: Float32Block, xo: number, nIn: number, wo: number, yo: number, nOut: number, skipZero: boolean): void {
    const { dense, acts } = this.memory;
    if (this.kernels) this.kernels.macRows(x.pointer + 4 * xo, nIn, dense.pointer + 4 * wo, acts.pointer + 4 * yo, nOut);
    else macRowsJs(x.array, xo, nIn, dense.array, wo, acts.array, yo, nOut, skipZero);
  }

  /**
   * For the nIn inputs x[xo+k], with d the nOut deltas at dOffset and W's rows from dense[wo]:
   * dW[k, :] += x[xo+k] · d and dx[dxo+k] += W[k, :] · d.
   */
  private backprop(x: Float32Block, xo: number, nIn: number, wo: number, dOffset: number, nOut: number, dx: Float32Block, dxo: number, skipZero: boolean): void {
    const { dense, denseGrad, deltas } = this.memory;
    if (this.kernels) {
      this.kernels.backpropRows(
        x.pointer + 4 * xo, nIn, dense.pointer + 4 * wo, denseGrad.pointer + 4 * wo,
        deltas.pointer + 4 * dOffset, nOut, dx.pointer + 4 * dxo, skipZero ? 1 : 0,
      );
    } else {
      backpropRowsJs(x.array, xo, nIn, dense.array, denseGrad.array, wo, deltas.array, dOffset, nOut, dx.array, dxo, skipZero);
    }
  }
}

/** `DenseKernels.macRows` in plain JS, over arrays and offsets instead of one memory's pointers. */
function macRowsJs(x: Float32Array, xo: number, nIn: number, W: Float32Array, wo: number, y: Float32Array, yo: number, nOut: number, skipZero: boolean): void {
  for (let k = 0; k < nIn; k++) {
    const xk = x[xo + k];
    if (skipZero && xk === 0) continue;
    const row = wo + k * nOut;
    for (let n = 0; n < nOut; n++) y[yo + n] += xk * W[row + n];
  }
}

/** `DenseKernels.backpropRows` in plain JS, over arrays and offsets. */
function backpropRowsJs(
  x: Float32Array,
  xo: number,
  nIn: number,
  W: Float32Array,
  dW: Float32Array,
  wo: number,
  d: Float32Array,
  dOffset: number,
  nOut: number,
  dx: Float32Array,
  dxo: number,
  skipZero: boolean,
): void {
  for (let k = 0; k < nIn; k++) {
    const xk = x[xo + k];
    if (skipZero && xk === 0) continue;
    const row = wo + k * nOut;
    let back = 0;
    for (let n = 0; n < nOut; n++) {
      const dn = d[dOffset + n];
      dW[row + n] += xk * dn;
      back += W[row + n] * dn;
    }
    dx[dxo + k] += back;
  }
}
