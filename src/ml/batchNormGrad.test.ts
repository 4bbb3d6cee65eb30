import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { fusedBatchNormGradConfig, registerBatchNormGradient } from './batchNormGrad';

/** Gradients of a batch-norm layer's output (times a fixed dy) w.r.t. x, mean, variance, scale and offset. */
function gradients(
  mean: tf.Tensor,
  variance: tf.Tensor,
  scale: tf.Tensor,
  offset: tf.Tensor,
  x: tf.Tensor4D,
  dy: tf.Tensor,
) {
  const f = (...a: tf.Tensor[]) => tf.sum(tf.mul(tf.batchNorm(a[0] as tf.Tensor4D, a[1], a[2], a[4], a[3], 1e-3), dy));
  return tf
    .grads(f)([x, mean, variance, scale, offset])
    .map((t) => Array.from(t.dataSync()));
}

describe('FusedBatchNorm gradient without Tile', () => {
  it('is bit-identical to tfjs’ own, per channel (rank-1 statistics, as tf.layers.batchNormalization) and elementwise', async () => {
    await tf.setBackend('cpu');
    const tfjsGrad = tf.getGradient('FusedBatchNorm');
    expect(tfjsGrad).not.toBe(fusedBatchNormGradConfig);
    const x = tf.randomNormal([2, 3, 4, 5], 0, 2, 'float32', 1) as tf.Tensor4D;
    const dy = tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 2);
    const cases = [
      {
        mean: tf.randomNormal([5], 0, 1, 'float32', 3),
        variance: tf.randomUniform([5], 0.5, 2, 'float32', 4),
        scale: tf.randomNormal([5], 1, 0.2, 'float32', 5),
        offset: tf.randomNormal([5], 0, 0.2, 'float32', 6),
      },
      {
        mean: tf.randomNormal([2, 3, 4, 5], 0, 1, 'float32', 9),
        variance: tf.randomUniform([2, 3, 4, 5], 0.5, 2, 'float32', 10),
        scale: tf.randomNormal([2, 3, 4, 5], 1, 0.2, 'float32', 11),
        offset: tf.randomNormal([2, 3, 4, 5], 0, 0.2, 'float32', 12),
      },
    ];
    const before = cases.map((c) => gradients(c.mean, c.variance, c.scale, c.offset, x, dy));
    registerBatchNormGradient();
    registerBatchNormGradient(); // idempotent
    expect(tf.getGradient('FusedBatchNorm')).toBe(fusedBatchNormGradConfig);
    const profile = await tf.profile(() =>
      gradients(cases[0].mean, cases[0].variance, cases[0].scale, cases[0].offset, x, dy),
    );
    expect(profile.kernelNames).not.toContain('Tile');
    const after = cases.map((c) => gradients(c.mean, c.variance, c.scale, c.offset, x, dy));
    expect(after).toEqual(before);
    tf.registerGradient(tfjsGrad); // leave tfjs as it was for the other tests in this process
  });
});
