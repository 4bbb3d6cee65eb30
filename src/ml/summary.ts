/** Keras-style `model.summary()` as plain rows, so the UI can render the table without tfjs. */
import type * as tf from '@tensorflow/tfjs';
import type { ModelSummary } from '../shared/protocol';

export function summarizeModel(model: tf.LayersModel): ModelSummary {
  const layers = model.layers.map((layer) => {
    const shape = layer.outputShape as (number | null)[];
    return {
      name: layer.name,
      className: layer.getClassName(),
      outputShape: shape.map((d) => (d === null ? 'None' : String(d))).join(' × '),
      params: layer.countParams(),
    };
  });
  const trainable = model.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
  return { name: model.name, layers, totalParams: model.countParams(), trainableParams: trainable };
}
