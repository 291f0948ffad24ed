/**
 * Solves one small symmetric positive definite system A·x = b (d×d, d in the tens to hundreds)
 * by Cholesky, in Float64: the per-user and per-item step of alternating least squares.
 */
import { NotPositiveDefiniteError } from './spdInverse';

/**
 * Overwrites the lower triangle of the d×d row-major `a` with L (A = L·Lᵀ; the upper triangle is
 * not read) and `b` with the solution x.
 */
export function choleskySolveInPlace(a: Float64Array, b: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    const rowI = i * d;
    for (let j = 0; j <= i; j++) {
      const rowJ = j * d;
      let s = a[rowI + j];
      for (let k = 0; k < j; k++) s -= a[rowI + k] * a[rowJ + k];
      if (j < i) {
        a[rowI + j] = s / a[rowJ + j];
      } else {
        if (!(s > 0)) throw new NotPositiveDefiniteError(i);
        a[rowI + i] = Math.sqrt(s);
      }
    }
  }
  // L·y = b
  for (let i = 0; i < d; i++) {
    const rowI = i * d;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[rowI + k] * b[k];
    b[i] = s / a[rowI + i];
  }
  // Lᵀ·x = y
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < d; k++) s -= a[k * d + i] * b[k];
    b[i] = s / a[i * d + i];
  }
}
