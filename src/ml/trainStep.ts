/**
 * One optimisation step and one evaluation step. Both return scalar tensors that the caller reads with
 * `await data()` (never dataSync: on WebGPU a synchronous read stalls, and on SwiftShader returns zeros).
 */
import * as tf from '@tensorflow/tfjs';
import { leanAdam } from './leanAdam';
import type { OptimizerName } from '../shared/trainingConfig';

export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      // tfjs' Adam with a per-variable memory peak: the paper model's update no longer needs ≈ 2.8 GB (leanAdam.ts).
      return leanAdam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
  }
}

/** uint8 RGB batch → float32 [n,64,64,3] in [0,1]. */
export function toInput(pixels: Uint8Array, count: number): tf.Tensor4D {
  return tf.tidy(() => tf.tensor4d(pixels, [count, 64, 64, 3], 'int32').toFloat().div(255));
}

/**
 * Mean categorical cross-entropy of softmax outputs against integer labels. With `classWeights` each image's
 * term is multiplied by its class's weight and the sum divided by the batch size, as Keras' `class_weight`
 * does (not by the sum of the weights: a batch that happens to hold only the minority class still counts
 * more). Plain element-wise ops, so every backend (cpu, wasm, webgl, webgpu) computes and differentiates it.
 */
export function crossEntropy(
  probs: tf.Tensor,
  labels: tf.Tensor1D,
  numClasses: number,
  classWeights?: readonly number[] | null,
): tf.Scalar {
  return tf.tidy(() => {
    let oneHot = tf.oneHot(labels, numClasses).toFloat();
    if (classWeights) {
      if (classWeights.length !== numClasses)
        throw new Error(`${classWeights.length} class weights for ${numClasses} classes`);
      oneHot = tf.mul(oneHot, tf.tensor1d(classWeights as number[], 'float32'));
    }
    const logp = tf.log(tf.clipByValue(probs, 1e-7, 1));
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logp), -1))) as tf.Scalar;
  });
}

export function countCorrect(probs: tf.Tensor, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.equal(tf.argMax(probs, -1), labels).toFloat()));
}

export interface StepResult {
  loss: tf.Scalar;
  correct: tf.Scalar;
}

/** The trainable variables of exactly this model (other models in the worker must not be touched). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * tfjs' Dropout layer draws its mask from an unseeded generator (Math.random) unless the layer's `seed` is set,
 * and with a fixed seed it draws the same mask at every call. Setting a fresh seed before every step makes a
 * run repeatable (same seed, backend and data → same metrics) while the mask still changes from step to step.
 */
export function seedDropout(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers)
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = seed;
}

export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  numClasses: number,
  /** Per-class loss weights (TrainingConfig.classWeights); absent: the plain mean. */
  classWeights?: readonly number[] | null,
): StepResult {
  let correct: tf.Scalar | null = null;
  const loss = optimizer.minimize(
    () => {
      const probs = model.apply(x, { training: true }) as tf.Tensor;
      correct = tf.keep(countCorrect(probs, labels));
      return crossEntropy(probs, labels, numClasses, classWeights);
    },
    true,
    trainableVariables(model),
  ) as tf.Scalar;
  return { loss, correct: correct! };
}

export function evalStep(model: tf.LayersModel, x: tf.Tensor4D, labels: tf.Tensor1D, numClasses: number) {
  return tf.tidy(() => {
    const probs = model.predict(x) as tf.Tensor2D;
    return {
      probs,
      lossSum: tf.mul(crossEntropy(probs, labels, numClasses), labels.shape[0]) as tf.Scalar,
      correct: countCorrect(probs, labels),
    };
  });
}
