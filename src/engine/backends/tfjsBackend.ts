/**
 * Switching tfjs to one of its official backends, with what each needs first, and the name the
 * UI and the benchmark show for it.
 */
import * as tf from '@tensorflow/tfjs';

export type TfjsBackendId = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/**
 * Makes `id` the active tfjs backend and returns its label, e.g. "tfjs wasm-simd" or
 * "tfjs webgl2 (ANGLE (NVIDIA ...))". `device` is the GPU's name as detected (for the label).
 * Throws an Error whose message says why when the backend cannot start.
 */
export async function activateTfjsBackend(id: TfjsBackendId, device = ''): Promise<string> {
  if (id === 'webgpu') {
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (id === 'wasm' || id === 'cpu') {
    const kernels = await import('./wasmKernels');
    if (id === 'wasm') kernels.configureWasmBackend();
    else kernels.registerScatterAddKernel('cpu');
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
