import { FusedNeuMF } from './fusedNeuMF';
import type { NeuMFSettings } from './neumfSettings';

/** The fused trainer with the fastest kernels this browser runs, and the name the UI and benchmark show for them. */
export async function createFusedNeuMF(
  numUsers: number,
  numItems: number,
  settings: NeuMFSettings,
): Promise<{ model: FusedNeuMF; backend: string }> {
  const model = new FusedNeuMF(numUsers, numItems, settings);
  return { model, backend: model.usesSimd ? 'wasm-simd (fused kernels)' : 'js (fused kernels)' };
}
