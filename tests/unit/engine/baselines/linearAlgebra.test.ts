import { describe, expect, it } from 'vitest';
import { choleskySolveInPlace } from '../../../../src/engine/baselines/choleskySolve';
import { InverseCancelledError, invertSpdInPlace, NotPositiveDefiniteError } from '../../../../src/engine/baselines/spdInverse';
import { allocateSpdMatrix } from '../../../../src/engine/baselines/wasm/tileDotsKernel';
import { SeededRandom } from '../../../../src/shared/random';

/** A random SPD matrix XᵀX + shift·I (n×n, row-major, both triangles). */
function randomSpd(n: number, seed: number, shift = 0.5): Float64Array {
  const rng = new SeededRandom(seed);
  const m = n + 3;
  const x = Float64Array.from({ length: m * n }, () => rng.nextGaussian());
  const a = new Float64Array(n * n);
  for (let r = 0; r < m; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += x[r * n + i] * x[r * n + j];
  for (let i = 0; i < n; i++) a[i * n + i] += shift;
  return a;
}

function maxOffIdentity(a: Float64Array, inverse: Float64Array, n: number): number {
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * inverse[k * n + j];
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

describe('invertSpdInPlace', () => {
  // Sizes around the 4×4 tiles: full tiles, ragged edges, one row.
  it.each([1, 2, 3, 4, 5, 8, 13, 37, 64])('inverts a %i×%i SPD matrix', (n) => {
    const a = randomSpd(n, n);
    const inverse = a.slice();
    invertSpdInPlace(inverse, n);
    expect(maxOffIdentity(a, inverse, n)).toBeLessThan(1e-9);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(inverse[i * n + j]).toBe(inverse[j * n + i]);
  });

  // Odd and even widths: the kernel works on column pairs and leaves an odd last column to JS.
  it.each([8, 13, 37, 64])('gives the same %i×%i inverse on the WebAssembly SIMD kernel', (n) => {
    const a = randomSpd(n, 100 + n);
    const { matrix, tileDots } = allocateSpdMatrix(n);
    expect(tileDots).not.toBeNull();
    matrix.set(a);
    invertSpdInPlace(matrix, n, undefined, tileDots);
    expect(maxOffIdentity(a, matrix, n)).toBeLessThan(1e-9);
    const plain = a.slice();
    invertSpdInPlace(plain, n);
    let scale = 0;
    for (const v of plain) scale = Math.max(scale, Math.abs(v));
    matrix.forEach((v, k) => expect(Math.abs(v - plain[k])).toBeLessThan(1e-12 * scale));
  });

  it('falls back to plain JS when SIMD is not wanted', () => {
    const { matrix, tileDots } = allocateSpdMatrix(5, false);
    expect(tileDots).toBeNull();
    expect(matrix).toHaveLength(25);
  });

  it('matches the closed form of a 2×2 inverse', () => {
    const a = Float64Array.from([3, 1, 1, 3]);
    invertSpdInPlace(a, 2);
    expect(Array.from(a)).toEqual([3 / 8, -1 / 8, -1 / 8, 3 / 8].map((v) => expect.closeTo(v, 15)));
  });

  it('reads only the lower triangle', () => {
    const n = 11;
    const a = randomSpd(n, 3);
    const lowerOnly = a.slice();
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lowerOnly[i * n + j] = Number.NaN;
    invertSpdInPlace(lowerOnly, n);
    expect(maxOffIdentity(a, lowerOnly, n)).toBeLessThan(1e-9);
  });

  it('refuses a matrix that is not positive definite', () => {
    const a = Float64Array.from([1, 2, 2, 1]);
    expect(() => invertSpdInPlace(a, 2)).toThrow(NotPositiveDefiniteError);
  });

  it('reports progress and stops when told to', () => {
    const n = 600;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) a[i * n + i] = 2;
    const seen: string[] = [];
    invertSpdInPlace(a.slice(), n, (step, fraction) => {
      expect(fraction).toBeGreaterThanOrEqual(0);
      expect(fraction).toBeLessThanOrEqual(1);
      seen.push(step);
    });
    expect(new Set(seen)).toEqual(new Set(['factorise', 'invert-factor', 'multiply']));
    expect(() => invertSpdInPlace(a, n, (step) => step !== 'invert-factor')).toThrow(InverseCancelledError);
  });
});

describe('choleskySolveInPlace', () => {
  it('solves a small SPD system', () => {
    const d = 7;
    const a = randomSpd(d, 9);
    const x = Float64Array.from({ length: d }, (_, k) => k - 3);
    const b = new Float64Array(d);
    for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) b[i] += a[i * d + k] * x[k];
    choleskySolveInPlace(a.slice(), b, d);
    for (let k = 0; k < d; k++) expect(b[k]).toBeCloseTo(x[k], 9);
  });
});
