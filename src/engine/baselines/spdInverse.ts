/**
 * The inverse of a dense symmetric positive definite matrix, in place, in Float64: Cholesky
 * A = L·Lᵀ, then W = L⁻¹, then A⁻¹ = Wᵀ·W (LAPACK's potrf, trtri, lauum). About n³ flops.
 *
 * All three steps are written as dot products of two matrix rows over a contiguous range of
 * columns, so each runs through one register-tiled kernel (4×4 dot products at a time, every
 * loaded number used four times) and the matrix is only ever read along its rows:
 * - Cholesky, by rows:  L[i][j] = (A[i][j] − Σ_{k<j} L[i][k]·L[j][k]) / L[j][j]
 * - W = L⁻¹, stored transposed as M = Wᵀ in the upper triangle (M[j][i] = W[i][j]):
 *                       W[i][j] = −(Σ_{j≤k<i} L[i][k]·M[j][k]) / L[i][i],   W[i][i] = 1 / L[i][i]
 * - A⁻¹ = Wᵀ·W:         A⁻¹[b][a] = Σ_{k≥b} M[a][k]·M[b][k]   (a ≤ b), written over L
 * L lives in the lower triangle, M in the upper, their diagonals in side arrays, so the whole
 * inverse needs the n×n matrix and O(n) more.
 */

/** The matrix is not positive definite (to working precision): the factorisation met a pivot ≤ 0. */
export class NotPositiveDefiniteError extends Error {
  constructor(readonly row: number) {
    super(`The matrix is not positive definite (pivot ${row}).`);
    this.name = 'NotPositiveDefiniteError';
  }
}

export type InverseStep = 'factorise' | 'invert-factor' | 'multiply';

/** Told the step and the fraction of it done (by work, 0..1) every few hundred rows; false stops. */
export type InverseProgress = (step: InverseStep, fraction: number) => boolean | void;

/** Thrown when the progress hook returned false; the matrix is then garbage. */
export class InverseCancelledError extends Error {
  constructor() {
    super('The matrix inverse was cancelled.');
    this.name = 'InverseCancelledError';
  }
}

const T = 4; // tile edge

/**
 * Computes acc[r*4 + c] = Σ_{k0≤k<k1} a[(i0+r)·n + k] · a[(j0+c)·n + k] for r, c < 4 over the matrix
 * being inverted: the plain-JS loop below, or a SIMD kernel bound to that matrix
 * (wasm/tileDotsKernel.ts).
 */
export type TileDots = (i0: number, j0: number, k0: number, k1: number, acc: Float64Array) => void;

/**
 * acc[r*4 + c] = Σ_{k0≤k<k1} a[(i0+r)·n + k] · a[(j0+c)·n + k] for r, c < 4, as two 2×4 halves
 * (rows i0, i0+1, then i0+2, i0+3) as the SIMD kernel splits it: eight sums and six loaded numbers
 * per k fit x64's sixteen floating-point registers (measured as fast as one 4×4 pass in V8).
 */
function tileDots(a: Float64Array, n: number, i0: number, j0: number, k0: number, k1: number, acc: Float64Array): void {
  halfTileDots(a, n, i0, j0, k0, k1, acc, 0);
  halfTileDots(a, n, i0 + 2, j0, k0, k1, acc, 2 * T);
}

/** acc[at + r*4 + c] = Σ_{k0≤k<k1} a[(i0+r)·n + k] · a[(j0+c)·n + k] for r < 2, c < 4; the sums stay in locals. */
function halfTileDots(a: Float64Array, n: number, i0: number, j0: number, k0: number, k1: number, acc: Float64Array, at: number): void {
  const ia = i0 * n,
    i1 = ia + n;
  const ja = j0 * n,
    j1 = ja + n,
    j2 = j1 + n,
    j3 = j2 + n;
  let s00 = 0,
    s01 = 0,
    s02 = 0,
    s03 = 0,
    s10 = 0,
    s11 = 0,
    s12 = 0,
    s13 = 0;
  for (let k = k0; k < k1; k++) {
    const x0 = a[ia + k],
      x1 = a[i1 + k];
    const y0 = a[ja + k],
      y1 = a[j1 + k],
      y2 = a[j2 + k],
      y3 = a[j3 + k];
    s00 += x0 * y0;
    s01 += x0 * y1;
    s02 += x0 * y2;
    s03 += x0 * y3;
    s10 += x1 * y0;
    s11 += x1 * y1;
    s12 += x1 * y2;
    s13 += x1 * y3;
  }
  acc[at] = s00;
  acc[at + 1] = s01;
  acc[at + 2] = s02;
  acc[at + 3] = s03;
  acc[at + 4] = s10;
  acc[at + 5] = s11;
  acc[at + 6] = s12;
  acc[at + 7] = s13;
}

function rowDot(a: Float64Array, rowA: number, rowB: number, k0: number, k1: number): number {
  let s = 0;
  for (let k = k0; k < k1; k++) s += a[rowA + k] * a[rowB + k];
  return s;
}

/** Common-range dots of a tile: the tile kernel for full tiles, plain dots at the matrix edge. */
function tileOrEdgeDots(
  a: Float64Array,
  n: number,
  i0: number,
  ri: number,
  j0: number,
  cj: number,
  k0: number,
  k1: number,
  acc: Float64Array,
  kernel: TileDots | null,
): void {
  if (k1 <= k0) {
    acc.fill(0);
  } else if (ri === T && cj === T) {
    if (kernel) kernel(i0, j0, k0, k1, acc);
    else tileDots(a, n, i0, j0, k0, k1, acc);
  } else {
    for (let r = 0; r < ri; r++) for (let c = 0; c < cj; c++) acc[r * T + c] = rowDot(a, (i0 + r) * n, (j0 + c) * n, k0, k1);
  }
}

/** Reports every ~`every` row blocks; throws when the hook says stop. */
function reporter(onProgress: InverseProgress | undefined, step: InverseStep, n: number) {
  let next = 0;
  return (i0: number): void => {
    if (!onProgress || i0 < next) return;
    next = i0 + 256;
    // Work in each step grows with the square of the rows done (or left, for the product).
    const f = i0 / n;
    const fraction = step === 'multiply' ? 1 - (1 - f) ** 3 : f ** 3;
    if (onProgress(step, fraction) === false) throw new InverseCancelledError();
  };
}

/**
 * Overwrites the symmetric positive definite n×n row-major `a` with its inverse (both triangles).
 * Only the lower triangle of `a` is read. Throws `NotPositiveDefiniteError` if it is not
 * positive definite. `kernel`, when given, must compute the tile dots of this same `a`.
 */
export function invertSpdInPlace(a: Float64Array, n: number, onProgress?: InverseProgress, kernel: TileDots | null = null): void {
  if (a.length < n * n) throw new RangeError(`A ${n}×${n} matrix needs ${n * n} numbers, got ${a.length}.`);
  const diagL = new Float64Array(n);
  const acc = new Float64Array(T * T);

  // 1. Cholesky by rows: L[i][j] for j ≤ i, over tiles (rows i0.., columns j0..), j0 ≤ i0.
  let report = reporter(onProgress, 'factorise', n);
  for (let i0 = 0; i0 < n; i0 += T) {
    report(i0);
    const ri = Math.min(T, n - i0);
    for (let j0 = 0; j0 <= i0; j0 += T) {
      const cj = Math.min(T, n - j0);
      tileOrEdgeDots(a, n, i0, ri, j0, cj, 0, j0, acc, kernel);
      for (let c = 0; c < cj; c++) {
        const j = j0 + c;
        for (let r = 0; r < ri; r++) {
          const i = i0 + r;
          if (j > i) continue;
          const s = a[i * n + j] - acc[r * T + c] - rowDot(a, i * n, j * n, j0, j);
          if (j < i) {
            a[i * n + j] = s / diagL[j];
          } else {
            if (!(s > 0)) throw new NotPositiveDefiniteError(i);
            diagL[i] = Math.sqrt(s);
          }
        }
      }
    }
  }

  // 2. W = L⁻¹ by rows into M = Wᵀ (upper triangle; M's diagonal overwrites A's diagonal).
  report = reporter(onProgress, 'invert-factor', n);
  for (let i = 0; i < n; i++) a[i * n + i] = 1 / diagL[i];
  for (let i0 = 0; i0 < n; i0 += T) {
    report(i0);
    const ri = Math.min(T, n - i0);
    for (let j0 = 0; j0 <= i0; j0 += T) {
      const cj = Math.min(T, n - j0);
      // Entry (i, j) sums over j ≤ k < i; the tile shares [j0 + cj, i0), the rest is per entry.
      const shared0 = j0 + cj;
      const shared = shared0 < i0;
      tileOrEdgeDots(a, n, i0, ri, j0, cj, shared0, i0, acc, kernel);
      for (let r = 0; r < ri; r++) {
        const i = i0 + r;
        for (let c = 0; c < cj; c++) {
          const j = j0 + c;
          if (j >= i) continue;
          const s = shared
            ? acc[r * T + c] + rowDot(a, i * n, j * n, j, shared0) + rowDot(a, i * n, j * n, i0, i)
            : rowDot(a, i * n, j * n, j, i);
          a[j * n + i] = -s / diagL[i];
        }
      }
    }
  }

  // 3. A⁻¹ = Wᵀ·W into the lower triangle (row b ≥ column a); diagonal aside until M is done with.
  report = reporter(onProgress, 'multiply', n);
  const diagInverse = diagL; // L's diagonal is no longer needed
  for (let b0 = 0; b0 < n; b0 += T) {
    report(b0);
    const rb = Math.min(T, n - b0);
    const shared0 = b0 + rb;
    for (let a0 = 0; a0 <= b0; a0 += T) {
      const ca = Math.min(T, n - a0);
      tileOrEdgeDots(a, n, b0, rb, a0, ca, shared0, n, acc, kernel);
      for (let r = 0; r < rb; r++) {
        const b = b0 + r;
        for (let c = 0; c < ca; c++) {
          const col = a0 + c;
          if (col > b) continue;
          const s = acc[r * T + c] + rowDot(a, b * n, col * n, b, shared0);
          if (col === b) diagInverse[b] = s;
          else a[b * n + col] = s;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    a[i * n + i] = diagInverse[i];
    for (let j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i];
  }
  onProgress?.('multiply', 1);
}
