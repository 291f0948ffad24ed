/**
 * `UnsortedSegmentSum` as a scatter-add, for the tfjs backends on the CPU (wasm and cpu).
 *
 * It is the gradient of `tf.gather`, so every embedding lookup needs it to train. The stock wasm
 * backend has no such kernel (training fails with "Kernel 'UnsortedSegmentSum' not registered
 * for backend 'wasm'") and the stock cpu kernel compares every row with every segment, which
 * made cpu training 64x slower than this single pass (see docs/tfjs-without-gpu.md).
 */
import * as tf from '@tensorflow/tfjs';

/** The two CPU-side backends: what each needs to read inputs and allocate the output. */
interface CpuSideBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
}
interface CpuBackend extends CpuSideBackend {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}
interface WasmBackend extends CpuSideBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** out[ids[r]] += x[r] for each row r of x (rows of `inner` numbers); ids outside [0, segments) are dropped, as in TF. */
export function scatterAddRows(x: ArrayLike<number>, ids: ArrayLike<number>, inner: number, out: Float32Array, segments: number): void {
  out.fill(0);
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    if (id < 0 || id >= segments) continue;
    const to = id * inner;
    const from = r * inner;
    for (let k = 0; k < inner; k++) out[to + k] += x[from + k];
  }
}

function unsortedSegmentSum(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const x = args.inputs.x!;
  const segmentIds = args.inputs.segmentIds!;
  const numSegments = args.attrs!.numSegments as number;
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum (scatter-add) supports float32, got ${x.dtype}.`);
  const inner = x.shape.slice(1).reduce((a, b) => a * b, 1);
  const shape = [numSegments, ...x.shape.slice(1)];
  const backend = args.backend as CpuSideBackend;
  const values = backend.readSync(x.dataId) as Float32Array;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array;
  if ('typedArrayFromHeap' in backend) {
    const wasm = backend as WasmBackend;
    const output = wasm.makeOutput(shape, 'float32');
    scatterAddRows(values, ids, inner, wasm.typedArrayFromHeap(output), numSegments);
    return output;
  }
  const out = new Float32Array(numSegments * inner);
  scatterAddRows(values, ids, inner, out, numSegments);
  return (backend as CpuBackend).makeTensorInfo(shape, 'float32', out);
}

/**
 * Registers the scatter-add `UnsortedSegmentSum` for `backendName` ('wasm' or 'cpu'), replacing
 * the stock kernel where there is one. Idempotent.
 */
export function registerScatterAddKernel(backendName: 'wasm' | 'cpu'): void {
  const existing = tf.getKernel('UnsortedSegmentSum', backendName);
  if (existing?.kernelFunc === unsortedSegmentSum) return;
  if (existing) tf.unregisterKernel('UnsortedSegmentSum', backendName);
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName, kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
}
