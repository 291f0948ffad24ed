/**
 * The dense inverse's one hot loop (spdInverse.ts: 4×4 dot products of matrix rows over a common
 * column range) as a WebAssembly SIMD kernel, emitted from TypeScript with the engine's own
 * bytecode writer (src/engine/model/wasm/wasmBytes.ts; no toolchain, no opaque binary).
 *
 * `dots2x4(x0, x1, y0, y1, y2, y3, pairs, out)`: for r < 2, c < 4,
 *     out[r*4 + c] (an f64x2) = Σ_{p < pairs} x_r[2p .. 2p+2) · y_c[2p .. 2p+2)   (lane-wise),
 * pointers are byte offsets of Float64 rows in the memory. Eight f64x2 accumulators and six loaded
 * vectors fit x64's sixteen SIMD registers (a 4×4 tile of them would spill); the two lanes of each
 * sum are added by the caller.
 */
import type { FunctionSpec, ValueType as ValueTypeT } from '../../model/wasm/wasmBytes';
import { op, ValueType } from '../../model/wasm/wasmBytes';
import { compiledOnce, f64Op } from './kernelModule';
import type { TileDots } from '../spdInverse';

const { i32, v128 } = ValueType;

function dots2x4(): FunctionSpec {
  // params
  const [x0, x1, y0, y1, y2, y3, pairs, out] = [0, 1, 2, 3, 4, 5, 6, 7];
  // locals
  const [offset, end, a, b, yv] = [8, 9, 10, 11, 12];
  const acc = (r: number, c: number) => 13 + r * 4 + c;
  const ys = [y0, y1, y2, y3];
  const locals: ValueTypeT[] = [i32, i32, v128, v128, v128, ...new Array<ValueTypeT>(8).fill(v128)];
  const body: number[][] = [op.get(pairs), op.i32Const(4), op.i32Shl, op.set(end), op.i32Const(0), op.set(offset)];
  for (let r = 0; r < 2; r++) for (let c = 0; c < 4; c++) body.push(op.v128Zero, op.set(acc(r, c)));
  body.push(op.block, op.loop, op.get(offset), op.get(end), op.i32GeU, op.brIf(1));
  body.push(op.get(x0), op.get(offset), op.i32Add, op.v128Load(), op.set(a));
  body.push(op.get(x1), op.get(offset), op.i32Add, op.v128Load(), op.set(b));
  for (let c = 0; c < 4; c++) {
    body.push(op.get(ys[c]), op.get(offset), op.i32Add, op.v128Load(), op.set(yv));
    body.push(op.get(acc(0, c)), op.get(a), op.get(yv), f64Op.x2Mul, f64Op.x2Add, op.set(acc(0, c)));
    body.push(op.get(acc(1, c)), op.get(b), op.get(yv), f64Op.x2Mul, f64Op.x2Add, op.set(acc(1, c)));
  }
  body.push(op.get(offset), op.i32Const(16), op.i32Add, op.set(offset), op.br(0), op.end, op.end);
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 4; c++) body.push(op.get(out), op.get(acc(r, c)), op.v128Store((r * 4 + c) * 16));
  }
  return { name: 'dots2x4', params: [i32, i32, i32, i32, i32, i32, i32, i32], locals, body };
}

interface Exports {
  dots2x4(x0: number, x1: number, y0: number, y1: number, y2: number, y3: number, pairs: number, out: number): void;
}

const kernelModule = compiledOnce(() => [dots2x4()]);

/** An n×n Float64 matrix to invert, and the SIMD tile kernel over it where WebAssembly SIMD exists. */
export interface SpdMatrix {
  matrix: Float64Array;
  /** Null where WebAssembly SIMD is unavailable or `simd` was false. */
  tileDots: TileDots | null;
}

/** Largest matrix side the kernel's 32-bit memory can hold (8·n² bytes + scratch ≤ 4 GiB). */
const MAX_SIDE = 23_000;

/**
 * A zeroed n×n matrix. With SIMD it lives in its own WebAssembly memory (freed with the matrix
 * once nothing refers to either), so the kernel can address its rows.
 */
export function allocateSpdMatrix(n: number, simd = true): SpdMatrix {
  const module = simd && n <= MAX_SIDE ? kernelModule() : null;
  if (!module) return { matrix: new Float64Array(n * n), tileDots: null };
  const scratchBytes = 8 * 16;
  const bytes = 8 * n * n + scratchBytes;
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const { dots2x4: kernel } = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
  const matrix = new Float64Array(memory.buffer, 0, n * n);
  const scratch = 8 * n * n;
  const sums = new Float64Array(memory.buffer, scratch, 16);
  const rowBytes = 8 * n;
  const tileDots: TileDots = (i0, j0, k0, k1, acc) => {
    const pairs = (k1 - k0) >> 1;
    const start = 8 * k0;
    const y0 = j0 * rowBytes + start;
    for (let half = 0; half < 2; half++) {
      const x0 = (i0 + 2 * half) * rowBytes + start;
      kernel(x0, x0 + rowBytes, y0, y0 + rowBytes, y0 + 2 * rowBytes, y0 + 3 * rowBytes, pairs, scratch);
      for (let e = 0; e < 8; e++) acc[half * 8 + e] = sums[2 * e] + sums[2 * e + 1];
    }
    if ((k1 - k0) & 1) {
      // The odd last column, in JS.
      const k = k1 - 1;
      for (let r = 0; r < 4; r++) {
        const x = matrix[(i0 + r) * n + k];
        for (let c = 0; c < 4; c++) acc[r * 4 + c] += x * matrix[(j0 + c) * n + k];
      }
    }
  };
  return { matrix, tileDots };
}
