/**
 * The gradient of tfjs' `FusedBatchNorm`, as tfjs-core 4.22 defines it (src/gradients/FusedBatchNorm_grad.ts), except
 * for the input gradient of a per-channel (rank-1) mean: tfjs multiplies `dy` by
 * `tile(reshape(rsqrt(variance + ε), [1, 1, 1, C]), [B, H, W, 1])`, materialising a tensor as large as the
 * activation only to broadcast a channel vector. On wasm that `Tile` is a plain scalar loop: it took 260–335 ms of a
 * 660-ms compact training step at batch 32 (5 calls, one per batch-norm layer; tf.profile in the bench, 2026-12-06),
 * more than all of compact's convolutions. Here the [1, 1, 1, C] vector is broadcast by the multiplication itself,
 * which every backend does natively. Same products, same order: the values are bit-identical (the unit test compares
 * with tfjs' own gradient).
 */
import * as tf from '@tensorflow/tfjs';

type Tensor = tf.Tensor;

export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved;
    const g = dy as Tensor;
    const scaleValue = scale == null ? tf.scalar(1) : scale;
    const reductionAxes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const xMinusMean = tf.sub(x, mean);
    const dyTimesScaleValue = tf.mul(g, scaleValue);
    const oneOverSqrtVariance = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon)));
    const minusHalfRCube = tf.mul(
      tf.mul(tf.mul(oneOverSqrtVariance, oneOverSqrtVariance), oneOverSqrtVariance),
      tf.scalar(-0.5),
    );
    const perChannel = mean.rank === 1;
    const reduced = (t: Tensor) => tf.reshape(perChannel ? tf.sum(t, reductionAxes) : t, mean.shape);
    return {
      x: () =>
        perChannel
          ? tf.reshape(
              tf.mul(tf.mul(g, tf.reshape(oneOverSqrtVariance, [1, 1, 1, mean.shape[0]])), scaleValue),
              x.shape,
            )
          : tf.reshape(tf.mul(tf.mul(g, oneOverSqrtVariance), scaleValue), x.shape),
      mean: () => reduced(tf.mul(tf.mul(oneOverSqrtVariance, tf.scalar(-1)), dyTimesScaleValue)),
      variance: () => reduced(tf.mul(tf.mul(minusHalfRCube, xMinusMean), dyTimesScaleValue)),
      scale: () => reduced(tf.mul(g, tf.mul(xMinusMean, oneOverSqrtVariance))),
      offset: () => reduced(g),
    };
  },
};

/** Replaces tfjs' FusedBatchNorm gradient with the one above (all backends). Idempotent. */
export function registerBatchNormGradient(): void {
  if (tf.getGradient('FusedBatchNorm') === fusedBatchNormGradConfig) return;
  tf.registerGradient(fusedBatchNormGradConfig);
}
