import { describe, expect, it } from 'vitest';
import { trainingDevice } from '../../../../src/engine/backends/trainingDevice';

describe('trainingDevice', () => {
  it('names the processor with its threads, or the graphics card, from the trainer label', () => {
    expect(trainingDevice('wasm-simd (fused kernels) on 2 threads', 2)).toBe("this device's processor, 2 threads");
    expect(trainingDevice('wasm-simd (fused kernels)', 1)).toBe("this device's processor");
    expect(trainingDevice('JavaScript + WebAssembly SIMD (this worker)', 1)).toBe("this device's processor");
    expect(trainingDevice('tfjs webgpu (nvidia)', 1)).toBe("this device's graphics card");
    expect(trainingDevice('tfjs webgl2 (ANGLE (NVIDIA, Vulkan 1.4.312 (NVIDIA NVIDIA H200)))', 1)).toBe("this device's graphics card");
    expect(trainingDevice('tfjs webgl2 (ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero))))', 1)).toBe("this device's processor");
    expect(trainingDevice('tfjs wasm', 1)).toBe("this device's processor");
  });
});
