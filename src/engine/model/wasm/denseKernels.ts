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

/**
 * acc += splat(x[k]) · W[k, o .. o+4): one input's share of four outputs, with x[k] the f32 at
 * byte `xOffset` past the pointer in local `xp`, and `row` the instructions that push W[k, o]'s address.
 */
function splatMultiplyAdd(acc: number, xp: number, xOffset: number, row: number[][]): number[][] {
  return [op.get(acc), op.get(xp), op.f32Load(xOffset), op.f32x4Splat, ...row, op.v128Load(), op.f32x4Mul, op.f32x4Add, op.set(acc)];
}

function macRows(): FunctionSpec {
  const [x, nIn, w, out, nOut, stride, outEnd, xEnd, wp, xp, acc0, acc1] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const body: number[][] = [];
  // stride = 4·nOut bytes per W row; outEnd = out + stride; xEnd = x + 4·nIn
  body.push(op.get(nOut), op.i32Const(2), op.i32Shl, op.set(stride));
  body.push(op.get(out), op.get(stride), op.i32Add, op.set(outEnd));
  body.push(op.get(x), op.get(nIn), op.i32Const(2), op.i32Shl, op.i32Add, op.set(xEnd));
  // over blocks of 4 outputs
  body.push(op.block, op.loop, op.get(out), op.get(outEnd), op.i32GeU, op.brIf(1));
  body.push(op.get(out), op.v128Load(), op.set(acc0), op.v128Zero, op.set(acc1));
  body.push(op.get(w), op.set(wp), op.get(x), op.set(xp));
  // over inputs, two at a time into two accumulators
  body.push(op.block, op.loop, op.get(xp), op.i32Const(8), op.i32Add, op.get(xEnd), op.i32GtU, op.brIf(1));
  body.push(...splatMultiplyAdd(acc0, xp, 0, [op.get(wp)]));
  body.push(...splatMultiplyAdd(acc1, xp, 4, [op.get(wp), op.get(stride), op.i32Add]));
  body.push(op.get(wp), op.get(stride), op.i32Const(1), op.i32Shl, op.i32Add, op.set(wp));
  body.push(op.get(xp), op.i32Const(8), op.i32Add, op.set(xp));
  body.push(op.br(0), op.end, op.end);
  // odd input count: the last one
  body.push(op.get(xp), op.get(xEnd), op.i32LtU, op.if, ...splatMultiplyAdd(acc0, xp, 0, [op.get(wp)]), op.end);
  body.push(op.get(out), op.get(acc0), op.get(acc1), op.f32x4Add, op.v128Store());
  body.push(op.get(out), op.i32Const(16), op.i32Add, op.set(out));
  body.push(op.get(w), op.i32Const(16), op.i32Add, op.set(w));
  body.push(op.br(0), op.end, op.end);
  return { name: 'macRows', params: [i32, i32, i32, i32, i32], locals: [i32, i32, i32, i32, i32, v128, v128], body };
}

function backpropRows(): FunctionSpec {
  const [x, nIn, w, gw, d, nOut, gx, skipZero, stride, xEnd, o, xk, xs, acc, dv] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const body: number[][] = [];
  // stride = 4·nOut bytes per W row; xEnd = x + 4·nIn
  body.push(op.get(nOut), op.i32Const(2), op.i32Shl, op.set(stride));
  body.push(op.get(x), op.get(nIn), op.i32Const(2), op.i32Shl, op.i32Add, op.set(xEnd));
  // over inputs k
  body.push(op.block, op.loop, op.get(x), op.get(xEnd), op.i32GeU, op.brIf(1));
  body.push(op.get(x), op.f32Load(), op.set(xk));
  // skip k where skipZero and x[k] == 0
  body.push(op.block, op.get(skipZero), op.get(xk), op.f32Const0, op.f32Eq, op.i32And, op.brIf(0));
  body.push(op.get(xk), op.f32x4Splat, op.set(xs), op.v128Zero, op.set(acc), op.i32Const(0), op.set(o));
  // over blocks of 4 outputs o: dW[k, o..o+4) += x[k] · d[o..o+4); acc += W[k, o..o+4) · d[o..o+4)
  body.push(op.loop, op.get(d), op.get(o), op.i32Add, op.v128Load(), op.set(dv));
  body.push(op.get(gw), op.get(o), op.i32Add); // where the new dW[k, o..o+4) goes
  body.push(op.get(gw), op.get(o), op.i32Add, op.v128Load(), op.get(xs), op.get(dv), op.f32x4Mul, op.f32x4Add, op.v128Store());
  body.push(op.get(acc), op.get(w), op.get(o), op.i32Add, op.v128Load(), op.get(dv), op.f32x4Mul, op.f32x4Add, op.set(acc));
  body.push(op.get(o), op.i32Const(16), op.i32Add, op.tee(o), op.get(stride), op.i32LtU, op.brIf(0), op.end);
  // dx[k] += the sum of acc's four lanes
  body.push(op.get(gx), op.get(gx), op.f32Load());
  body.push(op.get(acc), op.f32x4ExtractLane(0), op.get(acc), op.f32x4ExtractLane(1), op.f32Add);
  body.push(op.get(acc), op.f32x4ExtractLane(2), op.get(acc), op.f32x4ExtractLane(3), op.f32Add);
  body.push(op.f32Add, op.f32Add, op.f32Store(), op.end);
  // next input: x, dx by one f32; W, dW by one row
  body.push(op.get(x), op.i32Const(4), op.i32Add, op.set(x));
  body.push(op.get(gx), op.i32Const(4), op.i32Add, op.set(gx));
  body.push(op.get(w), op.get(stride), op.i32Add, op.set(w));
  body.push(op.get(gw), op.get(stride), op.i32Add, op.set(gw));
  body.push(op.br(0), op.end, op.end);
  return { name: 'backpropRows', params: [i32, i32, i32, i32, i32, i32, i32, i32], locals: [i32, i32, i32, f32, v128, v128, v128], body };
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
export function plainDenseKernels(buffer: ArrayBufferLike): DenseKernels {
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

/** Compiled modules, one importing an ordinary memory and one a shared memory (a module links to one kind only). */
const compiled = new Map<boolean, WebAssembly.Module | null>();

/** The compiled kernels' module, or null where WebAssembly SIMD (or, for `shared`, threads) is unavailable. */
function kernelModule(shared = false): WebAssembly.Module | null {
  if (!compiled.has(shared)) {
    try {
      const bytes = buildModule([macRows(), backpropRows()], { sharedMemory: shared });
      compiled.set(shared, new WebAssembly.Module(bytes as BufferSource));
    } catch {
      compiled.set(shared, null); // no WebAssembly or no SIMD: callers use plainDenseKernels
    }
  }
  return compiled.get(shared) ?? null;
}

/** Whether this JavaScript engine runs the kernels (it has WebAssembly with SIMD). */
export function denseKernelsAvailable(): boolean {
  return kernelModule() !== null;
}

/** Kernels bound to `memory` (ordinary or shared), or null where WebAssembly SIMD is unavailable. */
export function instantiateDenseKernels(memory: WebAssembly.Memory): DenseKernels | null {
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const module = kernelModule(shared);
  if (!module) return null;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return instance.exports as unknown as DenseKernels;
}
