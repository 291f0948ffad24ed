/**
 * Just enough of the WebAssembly binary format to write a few SIMD kernels by hand, so the
 * engine ships no compiler toolchain and no opaque .wasm blob: the kernels' source is the
 * TypeScript that emits them (`denseKernels.ts`). Opcodes are from the WebAssembly core spec
 * (2.0, with the fixed-width SIMD proposal).
 */

export const ValueType = { i32: 0x7f, f32: 0x7d, v128: 0x7b } as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

export function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

export function signedLeb(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function utf8(name: string): number[] {
  const bytes = Array.from(new TextEncoder().encode(name));
  return [...unsignedLeb(bytes.length), ...bytes];
}

function section(id: number, contents: number[]): number[] {
  return [id, ...unsignedLeb(contents.length), ...contents];
}

function vector(items: number[][]): number[] {
  return [...unsignedLeb(items.length), ...items.flat()];
}

/** Instructions as byte arrays; names follow the text format. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...unsignedLeb(depth)],
  brIf: (depth: number) => [0x0d, ...unsignedLeb(depth)],
  get: (local: number) => [0x20, ...unsignedLeb(local)],
  set: (local: number) => [0x21, ...unsignedLeb(local)],
  tee: (local: number) => [0x22, ...unsignedLeb(local)],
  i32Const: (value: number) => [0x41, ...signedLeb(value)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32Eqz: [0x45],
  i32And: [0x71],
  i32LtU: [0x49],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  f32Load: (offset = 0) => [0x2a, 2, ...unsignedLeb(offset)],
  f32Store: (offset = 0) => [0x38, 2, ...unsignedLeb(offset)],
  f32Const0: [0x43, 0, 0, 0, 0],
  f32Add: [0x92],
  f32Eq: [0x5b],
  v128Load: (offset = 0) => [0xfd, 0x00, 4, ...unsignedLeb(offset)],
  v128Store: (offset = 0) => [0xfd, 0x0b, 4, ...unsignedLeb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array(16).fill(0)],
  f32x4Splat: [0xfd, 0x13],
  f32x4ExtractLane: (lane: number) => [0xfd, 0x1f, lane],
  f32x4Add: [0xfd, ...unsignedLeb(0xe4)],
  f32x4Mul: [0xfd, ...unsignedLeb(0xe6)],
  f32x4Max: [0xfd, ...unsignedLeb(0xe9)],
};

export interface FunctionSpec {
  name: string;
  params: ValueType[];
  locals: ValueType[];
  body: number[][];
}

/** The most pages a WebAssembly memory can have (4 GiB); a shared memory must declare its maximum. */
export const MAX_MEMORY_PAGES = 65536;

/**
 * A module that imports `env.memory` and exports the given functions (no results). With
 * `sharedMemory` the import is a shared memory (threads proposal: limits flag 3, maximum given),
 * which is what a module must declare to run over a `WebAssembly.Memory({ shared: true })`.
 */
export function buildModule(functions: FunctionSpec[], options: { sharedMemory?: boolean } = {}): Uint8Array {
  const types = functions.map((f) => [0x60, ...vector(f.params.map((p) => [p])), 0]);
  const limits = options.sharedMemory ? [0x03, 0x01, ...unsignedLeb(MAX_MEMORY_PAGES)] : [0x00, 0x01];
  const imports = vector([[...utf8('env'), ...utf8('memory'), 0x02, ...limits]]);
  const funcs = vector(functions.map((_, i) => unsignedLeb(i)));
  const exports = vector(functions.map((f, i) => [...utf8(f.name), 0x00, ...unsignedLeb(i)]));
  const bodies = functions.map((f) => {
    const locals = vector(f.locals.map((t) => [1, t]));
    const code = [...locals, ...f.body.flat(), ...op.end];
    return [...unsignedLeb(code.length), ...code];
  });
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, vector(types)),
    ...section(2, imports),
    ...section(3, funcs),
    ...section(7, exports),
    ...section(10, vector(bodies)),
  ]);
}
