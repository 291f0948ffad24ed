/**
 * Switching tfjs to one of its official backends, with what each needs first, and the name the
 * UI and the benchmark show for it.
 */
import * as tf from '@tensorflow/tfjs';
// Imported as URLs so Vite emits them with the app (no CDN: the app works offline) and serves
// them in dev with the right MIME type.
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export type TfjsBackendId = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/**
 * Makes `id` the active tfjs backend and returns its label, e.g. "tfjs wasm-simd" or
 * "tfjs webgl2 (ANGLE (NVIDIA ...))". `device` is the GPU's name as detected (for the label).
 * Throws an Error whose message says why when the backend cannot start.
 */
export async function activateTfjsBackend(id: TfjsBackendId, device = ''): Promise<string> {
  if (id === 'webgpu') {
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (id === 'wasm') {
    await configureWasmBackend();
  } else if (id === 'cpu') {
    (await import('./tfjsScatterAddKernel')).registerScatterAddKernel('cpu');
  } else {
    // One shader per op instead of one per op and batch shape: the last, shorter batch of an
    // epoch and each scoring chunk would otherwise compile anew (seconds each on some GPUs).
    tf.env().set('WEBGL_USE_SHAPES_UNIFORMS', true);
  }
  let started: boolean;
  try {
    started = await tf.setBackend(id);
    await tf.ready();
  } catch (error) {
    throw new Error(`the tfjs ${id} backend failed to start: ${(error as Error)?.message ?? String(error)}`);
  }
  if (!started || tf.getBackend() !== id) throw new Error(`the tfjs ${id} backend failed to start`);
  const on = device ? ` (${device})` : '';
  switch (id) {
    case 'wasm':
      return (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? 'tfjs wasm-simd' : 'tfjs wasm';
    case 'webgl':
      return `tfjs webgl${tf.env().getNumber('WEBGL_VERSION') === 2 ? '2' : ''}${on}`;
    case 'webgpu':
      return `tfjs webgpu${on}`;
    case 'cpu':
      return 'tfjs cpu';
  }
}

/**
 * Points the wasm backend at the app's own copies of its binaries, turns threads off (the
 * threaded build crashed in a production module Worker and ran no faster on 2 cores, see
 * docs/tfjs-without-gpu.md) and registers the scatter-add kernel it lacks. Before
 * `tf.setBackend('wasm')`.
 */
async function configureWasmBackend(): Promise<void> {
  const [{ setWasmPaths }, { registerScatterAddKernel }] = await Promise.all([
    import('@tensorflow/tfjs-backend-wasm'),
    import('./tfjsScatterAddKernel'),
  ]);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerScatterAddKernel('wasm');
}
