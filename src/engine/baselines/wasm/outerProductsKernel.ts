/**
 * iALS's hot loop (ials.ts: adding the outer products of a row's positives to its d×d system) as a
 * WebAssembly SIMD kernel, emitted from TypeScript with the engine's own bytecode writer.
 *
 * `outer4(a, f, d, count)`: for every group of four Float64 rows f[p..p+3] (each d wide) and every
 * r < d, A[r][0 .. r+1) += Σ_q f[p+q][r] · f[p+q][0 .. r+1), two columns per f64x2; `count` must be
 * a multiple of 4 and d even (then the pair that crosses the diagonal stays inside row r and only
 * touches the upper triangle, which the Cholesky solve never reads).
 */
import type { FunctionSpec, ValueType as ValueTypeT } from '../../model/wasm/wasmBytes';
import { op, ValueType } from '../../model/wasm/wasmBytes';
import { compiledOnce, f64Op } from './kernelModule';

const { i32, v128 } = ValueType;

function outer4(): FunctionSpec {
  const [a, f, d, count] = [0, 1, 2, 3];
  const [rowBytes, groupEnd, r, rowA, c, cEnd, s0, s1, s2, s3] = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  const locals: ValueTypeT[] = [i32, i32, i32, i32, i32, i32, v128, v128, v128, v128];
  const splats = [s0, s1, s2, s3];
  const body: number[][] = [
    op.get(d),
    op.i32Const(3),
    op.i32Shl,
    op.set(rowBytes),
    // groupEnd = f + count·rowBytes
    op.get(f),
    op.get(count),
    op.get(rowBytes),
    op.i32Mul,
    op.i32Add,
    op.set(groupEnd),
    op.block,
    op.loop, // over groups of four f rows
    op.get(f),
    op.get(groupEnd),
    op.i32GeU,
    op.brIf(1),
    op.i32Const(0),
    op.set(r),
    op.get(a),
    op.set(rowA),
    op.block,
    op.loop, // over rows r of A
    op.get(r),
    op.get(d),
    op.i32GeU,
    op.brIf(1),
  ];
  // splat q = f[q][r], at f + q·rowBytes + 8r
  for (let q = 0; q < 4; q++) {
    body.push(
      op.get(f),
      op.get(rowBytes),
      op.i32Const(q),
      op.i32Mul,
      op.i32Add,
      op.get(r),
      op.i32Const(3),
      op.i32Shl,
      op.i32Add,
      f64Op.load(0),
      f64Op.x2Splat,
      op.set(splats[q]),
    );
  }
  // cEnd = byte offset of column r+1 rounded up to a pair: ((r + 2) & ~1) · 8
  body.push(
    op.get(r),
    op.i32Const(2),
    op.i32Add,
    op.i32Const(-2),
    op.i32And,
    op.i32Const(3),
    op.i32Shl,
    op.set(cEnd),
    op.i32Const(0),
    op.set(c),
    op.block,
    op.loop, // over column pairs of row r
    op.get(c),
    op.get(cEnd),
    op.i32GeU,
    op.brIf(1),
    op.get(rowA),
    op.get(c),
    op.i32Add, // store address
    op.get(rowA),
    op.get(c),
    op.i32Add,
    op.v128Load(),
  );
  for (let q = 0; q < 4; q++) {
    body.push(
      op.get(splats[q]),
      op.get(f),
      op.get(rowBytes),
      op.i32Const(q),
      op.i32Mul,
      op.i32Add,
      op.get(c),
      op.i32Add,
      op.v128Load(),
      f64Op.x2Mul,
      f64Op.x2Add,
    );
  }
  body.push(
    op.v128Store(),
    op.get(c),
    op.i32Const(16),
    op.i32Add,
    op.set(c),
    op.br(0),
    op.end,
    op.end,
    op.get(rowA),
    op.get(rowBytes),
    op.i32Add,
    op.set(rowA),
    op.get(r),
    op.i32Const(1),
    op.i32Add,
    op.set(r),
    op.br(0),
    op.end,
    op.end,
    op.get(f),
    op.get(rowBytes),
    op.i32Const(2),
    op.i32Shl,
    op.i32Add,
    op.set(f),
    op.br(0),
    op.end,
    op.end,
  );
  return { name: 'outer4', params: [i32, i32, i32, i32], locals, body };
}

interface Exports {
  outer4(a: number, f: number, d: number, count: number): void;
}

const kernelModule = compiledOnce(() => [outer4()]);

/** A row system's scratch: A (d×d) and up to `rows` gathered positives (rows×d), both Float64. */
export interface OuterProductScratch {
  a: Float64Array;
  gathered: Float64Array;
  /** A[lower] += Σ gathered[p]·gathered[p]ᵀ over the first `count` rows; null without SIMD or for odd d. */
  addOuterProducts: ((count: number) => void) | null;
}

export function allocateOuterProductScratch(d: number, rows: number, simd = true): OuterProductScratch {
  const module = simd && d % 2 === 0 ? kernelModule() : null;
  if (!module) return { a: new Float64Array(d * d), gathered: new Float64Array(rows * d), addOuterProducts: null };
  const memory = new WebAssembly.Memory({ initial: Math.ceil((8 * d * d + 8 * rows * d) / 65536) });
  const { outer4: kernel } = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Exports;
  const a = new Float64Array(memory.buffer, 0, d * d);
  const gatheredAt = 8 * d * d;
  const gathered = new Float64Array(memory.buffer, gatheredAt, rows * d);
  return {
    a,
    gathered,
    addOuterProducts(count) {
      const grouped = count - (count % 4);
      kernel(0, gatheredAt, d, grouped);
      for (let p = grouped; p < count; p++) {
        const o = p * d;
        for (let r = 0; r < d; r++) {
          const x = gathered[o + r];
          const row = r * d;
          for (let c = 0; c <= r; c++) a[row + c] += x * gathered[o + c];
        }
      }
    },
  };
}
