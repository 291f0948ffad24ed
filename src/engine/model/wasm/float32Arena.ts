/** A Float32Array and its byte offset in the buffer it shares with the other blocks. */
export interface Float32Block {
  array: Float32Array;
  pointer: number;
}

/** Bytes one block of `length` floats takes: each block starts on a 16-byte boundary (one f32x4). */
const paddedBytes = (length: number) => Math.ceil((4 * length) / 16) * 16;

/** Bytes the blocks of `lengths` take together, laid out by `carveFloat32Blocks`. */
export function float32BlocksBytes(lengths: Record<string, number>): number {
  return Object.values(lengths).reduce((sum, n) => sum + paddedBytes(n), 0);
}

/**
 * Float32Arrays of the given lengths (one per key, in key order), laid out one after another in
 * `buffer` from byte `at`, each on a 16-byte boundary; `end` is the byte after the last. The same
 * lengths give the same layout, which is how several threads find the same blocks in one shared memory.
 */
export function carveFloat32Blocks<K extends string>(
  buffer: ArrayBufferLike,
  at: number,
  lengths: Record<K, number>,
): { blocks: Record<K, Float32Block>; end: number } {
  const blocks = {} as Record<K, Float32Block>;
  let next = at;
  for (const [key, length] of Object.entries(lengths) as [K, number][]) {
    blocks[key] = { array: new Float32Array(buffer, next, length), pointer: next };
    next += paddedBytes(length);
  }
  return { blocks, end: next };
}

/**
 * Zeroed Float32Arrays of the given lengths, carved out of one buffer so the dense kernels can
 * address them all by byte offset: a WebAssembly memory when `useWasm` (for the SIMD kernels),
 * otherwise an ArrayBuffer (for their plain-JS twins).
 */
export function allocateFloat32Blocks<K extends string>(
  lengths: Record<K, number>,
  useWasm: boolean,
): { memory: WebAssembly.Memory | null; buffer: ArrayBuffer; blocks: Record<K, Float32Block> } {
  const bytes = float32BlocksBytes(lengths);
  const memory = useWasm ? new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) }) : null;
  const buffer = memory ? memory.buffer : new ArrayBuffer(bytes);
  return { memory, buffer, blocks: carveFloat32Blocks(buffer, 0, lengths).blocks };
}

/** WebAssembly pages (64 KiB) that hold `bytes`. */
export function pagesFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 65536));
}
