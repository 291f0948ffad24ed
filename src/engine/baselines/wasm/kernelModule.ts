/**
 * What the baselines' SIMD kernels share: the f64x2 instructions the engine's bytecode writer
 * (src/engine/model/wasm/wasmBytes.ts, f32x4 only) does not name, and compiling a kernel once.
 */
import type { FunctionSpec } from '../../model/wasm/wasmBytes';
import { buildModule, unsignedLeb } from '../../model/wasm/wasmBytes';

/** Opcodes from the WebAssembly SIMD proposal (fixed-width, in core 2.0). */
export const f64Op = {
  load: (offset = 0) => [0x2b, 3, ...unsignedLeb(offset)],
  x2Splat: [0xfd, ...unsignedLeb(0x14)],
  x2Add: [0xfd, ...unsignedLeb(0xf0)],
  x2Mul: [0xfd, ...unsignedLeb(0xf2)],
};

/** A getter that compiles `functions` on first use, or gives null where WebAssembly SIMD is unavailable. */
export function compiledOnce(functions: () => FunctionSpec[]): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = new WebAssembly.Module(buildModule(functions()) as BufferSource);
      } catch {
        compiled = null; // no WebAssembly or no SIMD: callers keep their plain-JS loops
      }
    }
    return compiled;
  };
}
