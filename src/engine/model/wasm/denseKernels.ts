/**
 * The two loops that dominate NeuMF training, as WebAssembly SIMD (f32x4) kernels over one
 * shared memory. Pointers are byte offsets into that memory; a kernel matrix W is [in][out]
 * row-major; `out` sizes must be multiples of 4 (one f32x4 per 4 output units).
 *
 * - `macRows(x, nIn, W, y, nOut)`:                 y[:] += Σ_k x[k] · W[k, :]
 * - `backpropRows(x, nIn, W, dW, d, nOut, dx, skipZero)`: for each k,
 *       dW[k, :] += x[k] · d[:]   and   dx[k] += W[k, :] · d
 *   (skipped where x[k] == 0 if skipZero: a ReLU output of 0 passes no gradient either way).
 */
import type { FunctionSpec } from './wasmBytes';
import { buildModule, op, ValueType } from './wasmBytes';

const { i32, f32, v128 } = ValueType;

function macRows(): FunctionSpec {
  const [x, nIn, w, out, nOut, stride, outEnd, xEnd, wp, xp, acc0, acc1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return {
    name: 'macRows',
    params: [i32, i32, i32, i32, i32],
    locals: [i32, i32, i32, i32, i32, v128, v128],
    body: [
      op.get(nOut),
      op.i32Const(2),
      op.i32Shl,
      op.set(stride),
      op.get(out),
      op.get(stride),
      op.i32Add,
      op.set(outEnd),
      op.get(x),
      op.get(nIn),
      op.i32Const(2),
      op.i32Shl,
      op.i32Add,
      op.set(xEnd),
      op.block,
      op.loop, // over blocks of 4 outputs
      op.get(out),
      op.get(outEnd),
      op.i32GeU,
      op.brIf(1),
      op.get(out),
      op.v128Load(),
      op.set(acc0),
      op.v128Zero,
      op.set(acc1),
      op.get(w),
      op.set(wp),
      op.get(x),
      op.set(xp),
      op.block,
      op.loop, // over inputs, two at a time into two accumulators
      op.get(xp),
      op.i32Const(8),
      op.i32Add,
      op.get(xEnd),
      op.i32GtU,
      op.brIf(1),
      op.get(acc0),
      op.get(xp),
      op.f32Load(0),
      op.f32x4Splat,
      op.get(wp),
      op.v128Load(),
      op.f32x4Mul,
      op.f32x4Add,
      op.set(acc0),
      op.get(acc1),
      op.get(xp),
      op.f32Load(4),
      op.f32x4Splat,
      op.get(wp),
      op.get(stride),
      op.i32Add,
      op.v128Load(),
      op.f32x4Mul,
      op.f32x4Add,
      op.set(acc1),
      op.get(wp),
      op.get(stride),
      op.i32Const(1),
      op.i32Shl,
      op.i32Add,
      op.set(wp),
      op.get(xp),
      op.i32Const(8),
      op.i32Add,
      op.set(xp),
      op.br(0),
      op.end,
      op.end,
      op.get(xp),
      op.get(xEnd),
      op.i32LtU,
      op.if, // odd input count: the last one
      op.get(acc0),
      op.get(xp),
      op.f32Load(0),
      op.f32x4Splat,
      op.get(wp),
      op.v128Load(),
      op.f32x4Mul,
      op.f32x4Add,
      op.set(acc0),
      op.end,
      op.get(out),
      op.get(acc0),
      op.get(acc1),
      op.f32x4Add,
      op.v128Store(),
      op.get(out),
      op.i32Const(16),
      op.i32Add,
      op.set(out),
      op.get(w),
      op.i32Const(16),
      op.i32Add,
      op.set(w),
      op.br(0),
      op.end,
      op.end,
    ],
  };
}

function backpropRows(): FunctionSpec {
  const [x, nIn, w, gw, d, nOut, gx, skipZero, stride, xEnd, o, xk, xs, acc, dv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  return {
    name: 'backpropRows',
    params: [i32, i32, i32, i32, i32, i32, i32, i32],
    locals: [i32, i32, i32, f32, v128, v128, v128],
    body: [
      op.get(nOut),
      op.i32Const(2),
      op.i32Shl,
      op.set(stride),
      op.get(x),
      op.get(nIn),
      op.i32Const(2),
      op.i32Shl,
      op.i32Add,
      op.set(xEnd),
      op.block,
      op.loop, // over inputs k
      op.get(x),
      op.get(xEnd),
      op.i32GeU,
      op.brIf(1),
      op.get(x),
      op.f32Load(),
      op.set(xk),
      op.block,
      op.get(skipZero),
      op.get(xk),
      op.f32Const0,
      op.f32Eq,
      op.i32And,
      op.brIf(0),
      op.get(xk),
      op.f32x4Splat,
      op.set(xs),
      op.v128Zero,
      op.set(acc),
      op.i32Const(0),
      op.set(o),
      op.loop, // over blocks of 4 outputs
      op.get(d),
      op.get(o),
      op.i32Add,
      op.v128Load(),
      op.set(dv),
      op.get(gw),
      op.get(o),
      op.i32Add,
      op.get(gw),
      op.get(o),
      op.i32Add,
      op.v128Load(),
      op.get(xs),
      op.get(dv),
      op.f32x4Mul,
      op.f32x4Add,
      op.v128Store(),
      op.get(acc),
      op.get(w),
      op.get(o),
      op.i32Add,
      op.v128Load(),
      op.get(dv),
      op.f32x4Mul,
      op.f32x4Add,
      op.set(acc),
      op.get(o),
      op.i32Const(16),
      op.i32Add,
      op.tee(o),
      op.get(stride),
      op.i32LtU,
      op.brIf(0),
      op.end,
      op.get(gx),
      op.get(gx),
      op.f32Load(),
      op.get(acc),
      op.f32x4ExtractLane(0),
      op.get(acc),
      op.f32x4ExtractLane(1),
      op.f32Add,
      op.get(acc),
      op.f32x4ExtractLane(2),
      op.get(acc),
      op.f32x4ExtractLane(3),
      op.f32Add,
      op.f32Add,
      op.f32Add,
      op.f32Store(),
      op.end,
      op.get(x),
      op.i32Const(4),
      op.i32Add,
      op.set(x),
      op.get(gx),
      op.i32Const(4),
      op.i32Add,
      op.set(gx),
      op.get(w),
      op.get(stride),
      op.i32Add,
      op.set(w),
      op.get(gw),
      op.get(stride),
      op.i32Add,
      op.set(gw),
      op.br(0),
      op.end,
      op.end,
    ],
  };
}

export interface DenseKernels {
  macRows(x: number, nIn: number, w: number, y: number, nOut: number): void;
  backpropRows(x: number, nIn: number, w: number, dw: number, d: number, nOut: number, dx: number, skipZero: number): void;
}

/**
 * The same two kernels in plain JS, over `buffer` (pointers are byte offsets into it), for
 * towers the SIMD kernels cannot run and engines without WebAssembly SIMD. Any tower size
 * works. `macRows` passes over zero inputs (a ReLU output of 0 adds nothing), which gives the
 * same sums as adding their zero products.
 */
export function plainDenseKernels(buffer: ArrayBuffer): DenseKernels {
  const f = new Float32Array(buffer);
  return {
    macRows(x: number, nIn: number, w: number, y: number, nOut: number): void {
      const xi = x >> 2;
      const yi = y >> 2;
      for (let k = 0; k < nIn; k++) {
        const xk = f[xi + k];
        if (xk === 0) continue;
        const row = (w >> 2) + k * nOut;
        for (let n = 0; n < nOut; n++) f[yi + n] += xk * f[row + n];
      }
    },
    backpropRows(x: number, nIn: number, w: number, dw: number, d: number, nOut: number, dx: number, skipZero: number): void {
      const xi = x >> 2;
      const di = d >> 2;
      const dxi = dx >> 2;
      for (let k = 0; k < nIn; k++) {
        const xk = f[xi + k];
        if (skipZero && xk === 0) continue;
        const row = k * nOut;
        let back = 0;
        for (let n = 0; n < nOut; n++) {
          const dn = f[di + n];
          f[(dw >> 2) + row + n] += xk * dn;
          back += f[(w >> 2) + row + n] * dn;
        }
        f[dxi + k] += back;
      }
    },
  };
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernels' module, or null where WebAssembly SIMD is unavailable. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = buildModule([macRows(), backpropRows()]);
      compiled = new WebAssembly.Module(bytes as BufferSource);
    } catch {
      compiled = null; // no WebAssembly or no SIMD: callers use plainDenseKernels
    }
  }
  return compiled;
}

/** Whether this JavaScript engine runs the kernels (it has WebAssembly with SIMD). */
export function denseKernelsAvailable(): boolean {
  return kernelModule() !== null;
}

/** Kernels bound to `memory`, or null where WebAssembly SIMD is unavailable. */
export function instantiateDenseKernels(memory: WebAssembly.Memory): DenseKernels | null {
  const module = kernelModule();
  if (!module) return null;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as DenseKernels;
}
