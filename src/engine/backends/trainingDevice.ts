/**
 * Where a trainer runs, from its label (`CreatedTrainer.backend`, e.g. "wasm-simd (fused kernels) on 2
 * threads" or "tfjs webgpu (nvidia)"), in words a person knows: "this device's processor, 2 threads"
 * or "this device's graphics card". WebGL on a software renderer is the processor's work. Apart from
 * chooseBackend.ts so that a page can say it without loading the trainers.
 */
export function trainingDevice(backend: string, threads: number): string {
  const graphicsCard = /\bwebgl|\bwebgpu/i.test(backend) && !/swiftshader|software/i.test(backend);
  return graphicsCard ? "this device's graphics card" : `this device's processor${threads > 1 ? `, ${threads} threads` : ''}`;
}
