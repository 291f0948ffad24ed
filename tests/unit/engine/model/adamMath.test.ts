import { describe, expect, it, vi } from 'vitest';
import { adamStep, adamStepRows, biasCorrection, catchUpRows, SKIP_DECAY, skippedStepsSum } from '../../../../src/engine/model/adamMath';
import { SeededRandom } from '../../../../src/shared/random';

const LR = 0.001;

function randomArray(length: number, seed: number, scale = 1): Float32Array {
  const rng = new SeededRandom(seed);
  return Float32Array.from({ length }, () => scale * rng.nextGaussian());
}

describe('adamStep', () => {
  it('is PyTorch Adam on the range it is given and leaves the rest alone', () => {
    const p = randomArray(10, 1);
    const [m, v] = [new Float32Array(10), new Float32Array(10)];
    const ref = { p: Float64Array.from(p), m: new Float64Array(10), v: new Float64Array(10) };
    for (let t = 1; t <= 5; t++) {
      const grad = randomArray(10, 10 + t, 0.1);
      adamStep(p, grad, m, v, 2, 8, LR, t);
      for (let k = 2; k < 8; k++) {
        ref.m[k] = 0.9 * ref.m[k] + 0.1 * grad[k];
        ref.v[k] = 0.999 * ref.v[k] + 0.001 * grad[k] * grad[k];
        ref.p[k] -= (LR * (ref.m[k] / (1 - 0.9 ** t))) / (Math.sqrt(ref.v[k] / (1 - 0.999 ** t)) + 1e-8);
      }
    }
    for (let k = 0; k < 10; k++) expect(p[k]).toBeCloseTo(ref.p[k], 6);
    expect([m[0], m[1], m[8], m[9], v[0], v[9]]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('on rows is the same step on each listed row, with the gradients listed in the same order', () => {
    const width = 3;
    const rows = Int32Array.of(3, 0, 2, 9);
    const grad = randomArray(12, 2);
    const [byRows, byRange] = [randomArray(12, 3), randomArray(12, 3)];
    const moments = () => [randomArray(12, 4, 0.01), randomArray(12, 5, 0.01).map(Math.abs)];
    const [m1, v1] = moments();
    const [m2, v2] = moments();
    adamStepRows(byRows, grad, m1, v1, rows, 3, width, LR, 7);
    // The same gradients laid out at their rows' own places, as adamStep reads them by default.
    const gradAtRows = new Float32Array(12);
    [3, 0, 2].forEach((row, r) => gradAtRows.set(grad.subarray(r * width, r * width + width), row * width));
    for (const row of [3, 0, 2]) adamStep(byRange, gradAtRows, m2, v2, row * width, row * width + width, LR, 7);
    expect(byRows).toEqual(byRange);
    expect([m1, v1]).toEqual([m2, v2]);
    expect(byRows.subarray(3, 6)).toEqual(randomArray(12, 3).subarray(3, 6)); // row 1 was not listed
  });
});

describe('skippedStepsSum', () => {
  const exactSum = (from: number, skipped: number) => {
    let sum = 0;
    for (let j = 1; j <= skipped; j++) sum += SKIP_DECAY ** j * biasCorrection(from + j);
    return sum;
  };

  it('is the exact series before step 1,000 and holds the bias correction after it', () => {
    for (const from of [1, 37, 999]) expect(skippedStepsSum(from, 250) / exactSum(from, 250) - 1).toBeLessThan(1e-12);
    const held = (from: number) => 1 - skippedStepsSum(from, 300) / exactSum(from, 300);
    expect(held(1000)).toBeLessThan(3e-3);
    expect(held(4000)).toBeLessThan(1e-4);
  });
});

describe('catchUpRows', () => {
  /** Dense Adam's moves over `skipped` zero-gradient steps after step `last`, in float64: the truth. */
  function denseMove(m0: number, v0: number, last: number, skipped: number): number {
    let [p, m, v] = [0, m0, v0];
    for (let s = last + 1; s <= last + skipped; s++) {
      m *= 0.9;
      v *= 0.999;
      p -= (LR * (m / (1 - 0.9 ** s))) / (Math.sqrt(v / (1 - 0.999 ** s)) + 1e-8);
    }
    return p;
  }

  /** Relative error of one catch-up of a one-number row, against `denseMove`. */
  function catchUpError(sqrtV: number, last: number, skipped: number): number {
    const [m0, v0] = [Math.fround(0.7 * sqrtV), Math.fround(sqrtV * sqrtV)];
    const p = new Float32Array(1);
    catchUpRows(p, Float32Array.of(m0), Float32Array.of(v0), Int32Array.of(last), null, 1, 1, LR, last + skipped);
    const truth = denseMove(m0, v0, last, skipped);
    return Math.abs(p[0] - truth) / Math.abs(truth);
  }

  it('applies the skipped steps of dense Adam exactly, to float rounding, before step 1,000', () => {
    for (const last of [1, 50, 999])
      for (const skipped of [1, 10, 300]) expect(catchUpError(1e-3, last, skipped), `${last}+${skipped}`).toBeLessThan(2e-6);
  });

  it('stays within 0.3 % past step 1,000, where it holds the bias correction, and within 1e-4 from step 4,000', () => {
    for (const skipped of [1, 10, 300, 2000]) {
      expect(catchUpError(1e-3, 1000, skipped)).toBeLessThan(3e-3);
      expect(catchUpError(1e-3, 1500, skipped)).toBeLessThan(1.5e-3);
      expect(catchUpError(1e-3, 4000, skipped)).toBeLessThan(1e-4);
    }
  });

  it('holds ε at the last update: about ε/(16·√v) of the move', () => {
    expect(catchUpError(1e-5, 1, 300)).toBeLessThan(1e-4);
    expect(catchUpError(1e-6, 1, 300)).toBeLessThan(1e-3);
  });

  it('brings only the listed rows up to step t, and owes nothing to rows never updated', () => {
    // Row 0 was never updated (moments 0), rows 1 and 2 last at steps 4 and 9.
    const [p, m, v] = [new Float32Array(6), Float32Array.of(0, 0, 1, 1, 1, 1), Float32Array.of(0, 0, 1, 1, 1, 1)];
    const lastStep = Int32Array.of(0, 4, 9);
    catchUpRows(p, m, v, lastStep, Int32Array.of(0, 2), 2, 2, LR, 9);
    expect(Array.from(lastStep)).toEqual([9, 4, 9]);
    expect(Array.from(p)).toEqual([0, 0, 0, 0, 0, 0]);
    catchUpRows(p, m, v, lastStep, null, 3, 2, LR, 12);
    expect(Array.from(lastStep)).toEqual([12, 12, 12]);
    expect(p[0]).toBe(0);
    expect(p[2]).toBeLessThan(0); // moved on by its momentum
    expect(m[2]).toBeCloseTo(0.9 ** 8, 6);
    expect(p[4]).toBeCloseTo(p[5], 7);
  });

  it('gives the numbers of a fresh computation whatever it caught up before (step, rate, long skips)', async () => {
    /** One row of 3 numbers, last updated at `last`, caught up to step t with this module's catchUpRows. */
    const caughtUp = (catchUp: typeof catchUpRows, last: number, t: number, lr: number) => {
      const [p, m, v] = [Float32Array.of(0.5, -0.25, 1), Float32Array.of(0.01, -0.02, 0.003), Float32Array.of(1e-4, 4e-4, 9e-6)];
      catchUp(p, m, v, Int32Array.of(last), null, 1, 3, lr, t);
      return [...p, ...m, ...v];
    };
    const cases: [number, number, number][] = [
      [47, 50, 0.001], // skipped 3
      [47, 50, 0.01], // the same skip at another rate
      [48, 51, 0.001], // the same skip at the next step
      [47, 51, 0.001],
      [50, 3050, 0.001], // past the remembered skips
      [1050, 3050, 0.001],
      [48, 51, 0.001], // again, after all of the above
    ];
    for (const [last, t, lr] of cases) {
      vi.resetModules();
      const fresh = (await import('../../../../src/engine/model/adamMath')).catchUpRows;
      expect(caughtUp(catchUpRows, last, t, lr), `${last} → ${t} at ${lr}`).toEqual(caughtUp(fresh, last, t, lr));
    }
  });
});
