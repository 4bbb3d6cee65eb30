/**
 * Paper §8: the values fed into the softmax, which the paper saved "and never analysed". Reads the input of
 * the model's last layer (or any named layer's output) for a batch, in inference mode, as a flat [n × width]
 * Float32Array.
 */
import * as tf from '@tensorflow/tfjs';
import { toInput } from '../../../ml/trainStep';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

/** The layer whose output feeds the softmax layer (the model's last layer). */
export function penultimateLayerName(model: tf.LayersModel): string {
  const last = model.layers[model.layers.length - 1];
  const input = last.input as tf.SymbolicTensor;
  const source = model.layers.find((l) => (l.output as tf.SymbolicTensor).id === input.id);
  if (!source) throw new Error(`cannot find the layer feeding ${last.name}`);
  return source.name;
}

export async function layerActivations(
  model: tf.LayersModel,
  layerName: string,
  pixels: Uint8Array,
  n: number,
): Promise<{ width: number; values: Float32Array }> {
  // Shares the trained weights; never dispose it.
  const probe = tf.model({ inputs: model.inputs, outputs: model.getLayer(layerName).output as tf.SymbolicTensor });
  const chunks: Float32Array[] = [];
  let width = 0;
  for (let start = 0; start < n; start += 64) {
    const m = Math.min(64, n - start);
    const y = tf.tidy(() => {
      const out = probe.predict(
        toInput(pixels.subarray(start * PIXELS_PER_IMAGE, (start + m) * PIXELS_PER_IMAGE), m),
      ) as tf.Tensor;
      return out.reshape([m, -1]);
    });
    width = y.shape[1] as number;
    chunks.push(Float32Array.from(await y.data()));
    y.dispose();
  }
  const values = new Float32Array(n * width);
  let offset = 0;
  for (const c of chunks) {
    values.set(c, offset);
    offset += c.length;
  }
  return { width, values };
}

/** The softmax Dense head's kernel and bias as plain arrays, or null when the last layer is not one. */
export async function softmaxHead(model: tf.LayersModel): Promise<{ kernel: Float32Array; bias: Float32Array } | null> {
  const last = model.layers[model.layers.length - 1];
  const config = last.getConfig() as { activation?: unknown };
  if (last.getClassName() !== 'Dense' || config.activation !== 'softmax') return null;
  const [kernel, bias] = last.getWeights(); // live variables: read, never dispose
  if (!bias) return null;
  return { kernel: Float32Array.from(await kernel.data()), bias: Float32Array.from(await bias.data()) };
}
