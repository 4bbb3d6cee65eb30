/**
 * A model's logits and class probabilities, the one way every capability asks for them (Fool's attacks, the
 * survey's kit, classifying a dropped image, See's predictions): through the layer walk, so a softmax head gives
 * its pre-activation and the probabilities are its softmax.
 */
import * as tf from '@tensorflow/tfjs';
import { feed, inputShape, isSoftmaxDense, runLayers } from './layers';

/** [n, k] logits of x in [0, 1] (log-probabilities if the head is not a softmax Dense layer). Call in tidy. */
export function logitsOf(model: tf.LayersModel, x01: tf.Tensor): tf.Tensor2D {
  const values = feed(model, x01);
  runLayers(model, values, 0, model.layers.length - 1, true);
  const out = values.get(model.outputs[0].id)!;
  const k = out.shape[out.shape.length - 1];
  const z = out.reshape([-1, k]) as tf.Tensor2D;
  return isSoftmaxDense(model.layers[model.layers.length - 1]) ? z : tf.log(tf.clipByValue(z, 1e-30, 1));
}

/** Class probabilities [n·k] of a batch of images in levels. */
export async function probabilitiesOf(
  model: tf.LayersModel,
  levels: Float32Array | Uint8Array,
  n: number,
): Promise<Float32Array> {
  const [h, w, c] = inputShape(model);
  const p = tf.tidy(() => tf.softmax(logitsOf(model, tf.tensor4d(Float32Array.from(levels), [n, h, w, c]).div(255))));
  try {
    return Float32Array.from(await p.data());
  } finally {
    p.dispose();
  }
}
