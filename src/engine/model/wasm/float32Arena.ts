/** A Float32Array and its byte offset in the WebAssembly memory it lives in (0 without one). */
export interface Float32Block {
  array: Float32Array;
  pointer: number;
}

/**
 * Zeroed Float32Arrays of the given lengths (one per key, in key order), carved out of one
 * WebAssembly memory when `useWasm`, so the SIMD kernels can address them by byte offset;
 * otherwise plain Float32Arrays. Each block starts on a 16-byte boundary (one f32x4).
 */
export function allocateFloat32Blocks<K extends string>(
  lengths: Record<K, number>,
  useWasm: boolean,
): { memory: WebAssembly.Memory | null; blocks: Record<K, Float32Block> } {
  const entries = Object.entries(lengths) as [K, number][];
  const padded = (n: number) => Math.ceil((4 * n) / 16) * 16;
  const bytes = entries.reduce((sum, [, n]) => sum + padded(n), 0);
  const memory = useWasm ? new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) }) : null;
  const blocks = {} as Record<K, Float32Block>;
  let next = 0;
  for (const [key, length] of entries) {
    if (!memory) {
      blocks[key] = { array: new Float32Array(length), pointer: 0 };
      continue;
    }
    blocks[key] = { array: new Float32Array(memory.buffer, next, length), pointer: next };
    next += padded(length);
  }
  return { memory, blocks };
}
