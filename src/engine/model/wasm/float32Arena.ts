/**
 * Float32Arrays carved out of one WebAssembly memory (so the SIMD kernels can address them by
 * byte offset), or plain Float32Arrays when the kernels are not used.
 */
export class Float32Arena {
  readonly memory: WebAssembly.Memory | null;
  private next = 0;

  constructor(lengths: number[], useWasm: boolean) {
    const bytes = lengths.reduce((sum, n) => sum + Math.ceil((4 * n) / 16) * 16, 0);
    this.memory = useWasm ? new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) }) : null;
  }

  /** A zeroed array of `length` floats and its byte offset in the memory (0 without one). */
  allocate(length: number): { array: Float32Array; pointer: number } {
    if (!this.memory) return { array: new Float32Array(length), pointer: 0 };
    const pointer = this.next;
    this.next += Math.ceil((4 * length) / 16) * 16;
    return { array: new Float32Array(this.memory.buffer, pointer, length), pointer };
  }
}
