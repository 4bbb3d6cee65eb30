/**
 * PGD in graph form for adversarial training (Madry et al. 2018): untargeted, L∞ ε, uniform random start,
 * a fixed number of sign-gradient steps, no readback (the training loop must not stall on the GPU).
 * Works on model inputs in [0, 1]; budgets are given in levels like everywhere else.
 */
import * as tf from '@tensorflow/tfjs';
import { logitsOf } from '../../../ml/core/probabilities';

export interface PgdBatchOptions {
  /** L∞ radius in levels. */
  epsilon: number;
  steps: number;
  /** Levels per step. */
  stepSize: number;
  seed: number;
}

/** Adversarial copies of x [n,h,w,c] in [0,1] for integer labels [n]; the caller owns the result. */
export function pgdBatch(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
  o: PgdBatchOptions,
): tf.Tensor4D {
  return tf.tidy(() => {
    const eps = o.epsilon / 255;
    const alpha = o.stepSize / 255;
    const lo = tf.maximum(x.sub(eps), 0);
    const hi = tf.minimum(x.add(eps), 1);
    const oneHot = tf.oneHot(labels, numClasses).toFloat();
    let adv = tf.minimum(
      tf.maximum(x.add(tf.randomUniform(x.shape, -eps, eps, 'float32', o.seed)), lo),
      hi,
    ) as tf.Tensor4D;
    for (let s = 0; s < o.steps; s++) {
      const g = tf.grad(
        (xi: tf.Tensor) => tf.neg(tf.sum(tf.mul(tf.logSoftmax(logitsOf(model, xi)), oneHot))) as tf.Scalar,
      )(adv);
      adv = tf.minimum(tf.maximum(adv.add(tf.sign(g).mul(alpha)), lo), hi) as tf.Tensor4D;
    }
    return adv;
  });
}
