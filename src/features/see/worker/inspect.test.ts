import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFace } from '../../../shared/synthetic/lookalikes';
import { DEFAULT_CONFIG } from '../../../shared/trainingConfig';
import { buildModel } from '../../../ml/models';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import { channelMeansOverImages, readFeatureMaps, readFilters } from './inspect';

describe('filters and feature maps', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reads every conv kernel and every conv layer activation without leaking tensors', async () => {
    const model = buildModel({ ...DEFAULT_CONFIG, widthMultiplier: 0.5 });
    const before = tf.memory().numTensors;
    const filters = await readFilters(model);
    expect(filters.map((f) => f.shape)).toEqual([
      [3, 3, 3, 8],
      [3, 3, 8, 16],
      [3, 3, 16, 32],
      [3, 3, 32, 32],
    ]);
    const conv1 = model.getLayer('conv1').getWeights()[0];
    expect(filters[0].weights).toEqual(Float32Array.from(await conv1.data()));

    const maps = await readFeatureMaps(model, generateFace(3, 0).pixels);
    expect(maps.layers.map((l) => [l.height, l.width, l.channels])).toEqual([
      [64, 64, 8],
      [32, 32, 16],
      [16, 16, 32],
      [8, 8, 32],
    ]);
    expect(maps.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // The feature maps' prediction (model.predict) is the ML core's probabilities (the layer walk's softmax of logits).
    (await probabilitiesOf(model, generateFace(3, 0).pixels, 1)).forEach((p, i) =>
      expect(p).toBeCloseTo(maps.probs[i], 6),
    );
    // Post-ReLU activations: non-negative, and the channel means are the means of the data.
    const l0 = maps.layers[0];
    expect(l0.data.every((v) => v >= 0)).toBe(true);
    let sum0 = 0;
    for (let p = 0; p < 64 * 64; p++) sum0 += l0.data[p * 8];
    expect(l0.channelMeans[0]).toBeCloseTo(sum0 / 4096, 4);
    // Over a batch of one image the per-channel means are that image's feature-map means.
    const batchMeans = await channelMeansOverImages(model, 'conv1', generateFace(3, 0).pixels, 1);
    batchMeans.forEach((m, c) => expect(m).toBeCloseTo(l0.channelMeans[c], 4));
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
