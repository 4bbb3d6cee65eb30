import { describe, expect, it } from 'vitest';
import { chooseWebgpuKernels } from './webgpuKernelChoice';

const swiftshader = {
  vendor: 'google',
  architecture: 'swiftshader',
  description: 'SwiftShader',
  isFallbackAdapter: true,
};
const nvidia = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100', isFallbackAdapter: false };

describe('chooseWebgpuKernels', () => {
  it('keeps ours on a software adapter, where they were measured faster', () => {
    expect(chooseWebgpuKernels(swiftshader, null).ours).toBe(true);
  });
  it("uses tfjs' on a hardware adapter unless ours were measured clearly faster there", () => {
    expect(chooseWebgpuKernels(nvidia, null)).toMatchObject({
      ours: false,
      why: expect.stringContaining('not measured'),
    });
    expect(chooseWebgpuKernels(nvidia, { oursMs: 9.5, tfjsMs: 10 }).ours).toBe(false); // within noise
    expect(chooseWebgpuKernels(nvidia, { oursMs: 12, tfjsMs: 10 }).ours).toBe(false);
    expect(chooseWebgpuKernels(nvidia, { oursMs: 6, tfjsMs: 10 })).toMatchObject({
      ours: true,
      timing: { oursMs: 6, tfjsMs: 10 },
    });
    expect(chooseWebgpuKernels(nvidia, { oursMs: NaN, tfjsMs: 10 }).ours).toBe(false);
  });
});
