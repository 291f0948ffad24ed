import { describe, expect, it } from 'vitest';
import type { DenseKernels } from '../../../../../src/engine/model/wasm/denseKernels';
import { instantiateDenseKernels, plainDenseKernels } from '../../../../../src/engine/model/wasm/denseKernels';
import { allocateFloat32Blocks } from '../../../../../src/engine/model/wasm/float32Arena';
import { SeededRandom } from '../../../../../src/shared/random';

/** x (every third input 0, as after a ReLU), W, dW, d, y and dx in one buffer, filled from `seed`. */
function tower(nIn: number, nOut: number, seed: number, useWasm: boolean) {
  const arena = allocateFloat32Blocks({ x: nIn, w: nIn * nOut, dw: nIn * nOut, d: nOut, y: nOut, dx: nIn }, useWasm);
  const rng = new SeededRandom(seed);
  for (const block of Object.values(arena.blocks)) for (let k = 0; k < block.array.length; k++) block.array[k] = rng.nextGaussian();
  for (let k = 0; k < nIn; k += 3) arena.blocks.x.array[k] = 0;
  return arena;
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let k = 0; k < actual.length; k++) expect(Math.abs(actual[k] - expected[k])).toBeLessThan(1e-5 * (1 + Math.abs(expected[k])));
}

describe('dense kernels', () => {
  // Odd and even input counts (the SIMD kernel takes inputs in pairs), one and several blocks of 4 outputs.
  const shapes = [1, 2, 5, 8, 33].flatMap((nIn) => [4, 12].map((nOut) => ({ nIn, nOut })));

  it.each(shapes)('SIMD and plain JS agree for $nIn inputs × $nOut outputs', ({ nIn, nOut }) => {
    const simd = tower(nIn, nOut, nIn * 100 + nOut, true);
    const plain = tower(nIn, nOut, nIn * 100 + nOut, false);
    const kernels: [typeof simd, DenseKernels][] = [
      [simd, instantiateDenseKernels(simd.memory!)!],
      [plain, plainDenseKernels(plain.buffer)],
    ];
    for (const [{ blocks: b }, k] of kernels) {
      k.macRows(b.x.pointer, nIn, b.w.pointer, b.y.pointer, nOut);
      k.backpropRows(b.x.pointer, nIn, b.w.pointer, b.dw.pointer, b.d.pointer, nOut, b.dx.pointer, 1);
    }
    for (const name of ['y', 'dw', 'dx'] as const) expectClose(simd.blocks[name].array, plain.blocks[name].array);
  });

  it('back-propagates through zero inputs unless told to skip them', () => {
    const nIn = 6;
    const nOut = 8;
    for (const skipZero of [0, 1]) {
      const simd = tower(nIn, nOut, 9, true);
      const plain = tower(nIn, nOut, 9, false);
      const before = simd.blocks.dx.array.slice();
      for (const [{ blocks: b }, k] of [
        [simd, instantiateDenseKernels(simd.memory!)!],
        [plain, plainDenseKernels(plain.buffer)],
      ] as const) {
        k.backpropRows(b.x.pointer, nIn, b.w.pointer, b.dw.pointer, b.d.pointer, nOut, b.dx.pointer, skipZero);
      }
      expectClose(simd.blocks.dx.array, plain.blocks.dx.array);
      expectClose(simd.blocks.dw.array, plain.blocks.dw.array);
      // x[0] is 0: its dx stays put only when skipped.
      expect(simd.blocks.dx.array[0] === before[0]).toBe(skipZero === 1);
    }
  });
});
