import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeWebgpuKernels } from './webgpuKernelProbe';
import { registerWebgpuKernels, WEBGPU_KERNELS_FLAG } from './webgpuKernels';

// The probe's arithmetic runs on any backend; here on cpu (Node has no WebGPU), to check it measures both
// settings, leaves no tensor behind and puts the flag back.
describe('probeWebgpuKernels', () => {
  beforeAll(async () => {
    registerWebgpuKernels();
    await tf.setBackend('cpu');
  });

  it('times both settings, restores the flag and leaks no tensor', async () => {
    tf.env().set(WEBGPU_KERNELS_FLAG, false);
    const before = tf.memory().numTensors;
    const t = await probeWebgpuKernels({ batch: 2, side: 8, channels: 4 });
    expect(t.oursMs).toBeGreaterThan(0);
    expect(t.tfjsMs).toBeGreaterThan(0);
    expect(tf.env().getBool(WEBGPU_KERNELS_FLAG)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
