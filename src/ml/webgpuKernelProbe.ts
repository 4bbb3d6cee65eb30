/**
 * A quick A/B of our WebGPU kernels against tfjs' on the adapter at hand (issue 17 item 3): one small training-like
 * step (a 3×3 convolution forward, its filter and input gradients, a per-channel broadcast multiply, as in
 * compact's blocks) timed with `LOOKALIKE_WEBGPU_KERNELS` on and off, alternated after a warm-up of each (shader
 * compilation), median of 3. Run only on hardware adapters (ours are known faster on SwiftShader, where this
 * would cost seconds); about a second on a GPU.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelTiming } from '../shared/webgpuKernelChoice';
import { WEBGPU_KERNELS_FLAG } from './webgpuKernels';

const ROUNDS = 3;

/** `size`: batch, side and channels of the probe's input (compact's first blocks by default; tests pass a tiny one). */
export async function probeWebgpuKernels(size = { batch: 8, side: 64, channels: 16 }): Promise<KernelTiming> {
  const before = tf.env().getBool(WEBGPU_KERNELS_FLAG);
  const { batch, side, channels } = size;
  const x = tf.randomUniform([batch, side, side, channels], -1, 1, 'float32', 1);
  const w = tf.randomUniform([3, 3, channels, 2 * channels], -0.2, 0.2, 'float32', 2);
  const scale = tf.randomUniform([2 * channels], 0.5, 1.5, 'float32', 3);
  const loss = (xi: tf.Tensor, wi: tf.Tensor) =>
    tf.relu(tf.mul(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, 'same'), scale)).sum();
  const grads = tf.grads(loss);
  const step = async (ours: boolean): Promise<number> => {
    tf.env().set(WEBGPU_KERNELS_FLAG, ours);
    const t0 = performance.now();
    const [dx, dw] = grads([x, w]);
    await Promise.all([dx.data(), dw.data()]);
    tf.dispose([dx, dw]);
    return performance.now() - t0;
  };
  try {
    await step(true);
    await step(false);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      ours.push(await step(true));
      theirs.push(await step(false));
    }
    const median = (v: number[]) => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
    return { oursMs: median(ours), tfjsMs: median(theirs) };
  } finally {
    tf.env().set(WEBGPU_KERNELS_FLAG, before);
    tf.dispose([x, w, scale]);
  }
}
