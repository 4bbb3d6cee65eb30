/**
 * Paper §6: every 3×3 filter of every conv layer, and the feature maps of every conv layer for one image.
 * Returns plain typed arrays; the page draws them.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureMapLayer, FilterLayer } from '../shared/protocol';
import { toInput } from '../../../ml/trainStep';

export function convLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'Conv2D');
}

export async function readFilters(model: tf.LayersModel): Promise<FilterLayer[]> {
  const out: FilterLayer[] = [];
  for (const layer of convLayers(model)) {
    const kernel = layer.getWeights()[0]; // [kh, kw, cin, cout]; a live variable: do not dispose
    out.push({
      name: layer.name,
      shape: kernel.shape as FilterLayer['shape'],
      weights: Float32Array.from(await kernel.data()),
    });
  }
  return out;
}

/** Activations of every conv layer for one 64×64 image, with the mean activation per channel. */
export async function readFeatureMaps(
  model: tf.LayersModel,
  pixels: Uint8Array,
): Promise<{ layers: FeatureMapLayer[]; probs: number[] }> {
  const layers = convLayers(model);
  // Shares the trained weights; never dispose it (that would dispose the model's variables).
  const probe = tf.model({
    inputs: model.inputs,
    outputs: [...layers.map((l) => l.output as tf.SymbolicTensor), model.outputs[0]],
  });
  const outputs = tf.tidy(() => {
    const x = toInput(pixels, 1);
    return probe.predict(x) as tf.Tensor[];
  });
  try {
    const result: FeatureMapLayer[] = [];
    for (let i = 0; i < layers.length; i++) {
      const [, height, width, channels] = outputs[i].shape as number[];
      const data = Float32Array.from(await outputs[i].data());
      const sums = new Array<number>(channels).fill(0);
      for (let p = 0; p < height * width; p++) for (let c = 0; c < channels; c++) sums[c] += data[p * channels + c];
      result.push({
        name: layers[i].name,
        height,
        width,
        channels,
        data,
        channelMeans: sums.map((m) => m / (height * width)),
      });
    }
    const probs = Array.from(await outputs[outputs.length - 1].data());
    return { layers: result, probs };
  } finally {
    tf.dispose(outputs);
  }
}

/** Mean activation of every channel of one layer over a batch of images: the baseline for "activation gain". */
export async function channelMeansOverImages(
  model: tf.LayersModel,
  layerName: string,
  pixels: Uint8Array,
  count: number,
): Promise<number[]> {
  // Shares the trained weights; never dispose it.
  const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output as tf.SymbolicTensor });
  const means = tf.tidy(() => {
    const x = toInput(pixels, count);
    const y = probe.predict(x) as tf.Tensor;
    return tf.mean(
      y,
      y.shape.slice(0, -1).map((_, i) => i),
    );
  });
  try {
    return Array.from(await means.data());
  } finally {
    means.dispose();
  }
}
