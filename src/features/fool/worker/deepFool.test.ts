import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ATTACK } from '../shared/attackSettings';
import { runAttack } from './attacks';
import { deepFool } from './deepFool';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import { argMax } from '../../../shared/argMax';

const S = 8;
const SIZE = S * S * 3;

function linearModel(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed }) })
    .apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function convModel(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed }),
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 3, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('DeepFool', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('on a linear model, crosses the boundary in one step of (1 + overshoot) × the exact distance', async () => {
    const model = linearModel(3);
    const [kernel, bias] = model.layers[2].getWeights();
    const k = await kernel.data();
    const b = await bias.data();
    const pixels = Uint8Array.from({ length: SIZE }, (_, i) => 120 + (i % 16));
    const label = argMax(Array.from(await probabilitiesOf(model, pixels, 1)));
    // f = z_other − z_label as a function of levels: w·x/255 + b.
    let f = b[1 - label] - b[label];
    let normSq = 0;
    for (let p = 0; p < SIZE; p++) {
      const w = (k[p * 2 + (1 - label)] - k[p * 2 + label]) / 255;
      f += w * pixels[p];
      normSq += w * w;
    }
    const distance = Math.abs(f) / Math.sqrt(normSq);
    const run = await deepFool(model, pixels, { labels: [label], maxSteps: 10, quantised: false });
    const o = run.outcomes[0];
    expect(o.success).toBe(true);
    expect(o.steps).toBe(1);
    let l2 = 0;
    for (let p = 0; p < SIZE; p++) l2 += (o.adversarial[p] - pixels[p]) ** 2;
    expect(Math.sqrt(l2)).toBeCloseTo(1.02 * (distance + 1e-4 / Math.sqrt(normSq)), 2);
    model.dispose();
  });

  it('reported successes flip the arg max of the returned (saved) image, which stays whole levels in [0, 255]', async () => {
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e6 }),
        fc.uint8Array({ minLength: SIZE, maxLength: SIZE }),
        async (seed, pixels) => {
          const model = convModel(seed);
          try {
            const label = argMax(Array.from(await probabilitiesOf(model, pixels, 1)));
            const run = await runAttack(
              model,
              { ...DEFAULT_ATTACK, attack: 'deepfool', maxSteps: 30 },
              { pixels, labels: [label] },
            );
            const o = run.outcomes[0];
            for (const v of o.adversarial) {
              expect(Number.isInteger(v)).toBe(true);
              expect(v).toBeGreaterThanOrEqual(0);
              expect(v).toBeLessThanOrEqual(255);
            }
            if (o.success) {
              successes++;
              expect(argMax(Array.from(await probabilitiesOf(model, o.adversarial, 1)))).not.toBe(label);
            }
          } finally {
            model.dispose();
          }
        },
      ),
      { numRuns: 20 },
    );
    expect(successes).toBeGreaterThan(10);
  });
});
