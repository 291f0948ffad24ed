/** A Float32Array and its byte offset in the buffer it shares with the other blocks. */
export interface Float32Block {
  array: Float32Array;
  pointer: number;
}

/**
 * Zeroed Float32Arrays of the given lengths (one per key, in key order), carved out of one
 * buffer so the dense kernels can address them all by byte offset: a WebAssembly memory when
 * `useWasm` (for the SIMD kernels), otherwise an ArrayBuffer (for their plain-JS twins). Each
 * block starts on a 16-byte boundary (one f32x4).
 */
export function allocateFloat32Blocks<K extends string>(
  lengths: Record<K, number>,
  useWasm: boolean,
): { memory: WebAssembly.Memory | null; buffer: ArrayBuffer; blocks: Record<K, Float32Block> } {
  const entries = Object.entries(lengths) as [K, number][];
  const padded = (n: number) => Math.ceil((4 * n) / 16) * 16;
  const bytes = entries.reduce((sum, [, n]) => sum + padded(n), 0);
  const memory = useWasm ? new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) }) : null;
  const buffer = memory ? memory.buffer : new ArrayBuffer(bytes);
  const blocks = {} as Record<K, Float32Block>;
  let next = 0;
  for (const [key, length] of entries) {
    blocks[key] = { array: new Float32Array(buffer, next, length), pointer: next };
    next += padded(length);
  }
  return { memory, buffer, blocks };
}
