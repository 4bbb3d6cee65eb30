import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain-ESM bench script without type declarations; only its pure adapter rule is tested here.
import { isSoftwareAdapter } from '../../bench/gpu.mjs';

// bench:gpu must never report SwiftShader figures as GPU figures: it refuses a software adapter unless asked.
describe('bench:gpu adapter rule', () => {
  it('calls the fallback adapter and known CPU rasterisers software, real GPUs not', () => {
    expect(
      isSoftwareAdapter({
        vendor: 'google',
        architecture: 'swiftshader',
        device: '',
        description: '',
        isFallbackAdapter: true,
      }),
    ).toBe(true);
    expect(
      isSoftwareAdapter({
        vendor: 'mesa',
        architecture: '',
        device: '',
        description: 'llvmpipe (LLVM 15.0.6, 256 bits)',
        isFallbackAdapter: false,
      }),
    ).toBe(true);
    expect(
      isSoftwareAdapter({
        vendor: 'nvidia',
        architecture: 'hopper',
        device: '',
        description: 'NVIDIA H100 80GB HBM3',
        isFallbackAdapter: false,
      }),
    ).toBe(false);
    expect(
      isSoftwareAdapter({
        vendor: 'apple',
        architecture: 'metal-3',
        device: '',
        description: 'Apple M2',
        isFallbackAdapter: false,
      }),
    ).toBe(false);
  });
});
