/** Budget curves and transfer on small random 64×64 models (cpu backend): properties that must hold for any model. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ATTACK } from '../../shared/fool/attackSettings';
import { budgetCurve, transferAttack, type BatchImages } from './foolService';
import { probabilitiesOf } from './iterativeAttack';
import { PIXELS_PER_IMAGE } from '../../shared/imageGeometry';

function smallModel(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [64, 64, 3] });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 4, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed }) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Random images labelled with the model's own prediction, so every image starts correctly classified. */
async function ownLabels(model: tf.LayersModel, n: number, seed: number): Promise<BatchImages> {
  let s = seed;
  const pixels = Uint8Array.from({ length: n * PIXELS_PER_IMAGE }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24) & 255);
  const probs = await probabilitiesOf(model, pixels, n);
  const labels = Array.from({ length: n }, (_, i) => (probs[i * 2 + 1] > probs[i * 2] ? 1 : 0));
  return { indices: labels.map((_, i) => i), pixels, labels };
}

describe('robustness measures', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('budget curve: nothing is fooled at ε = 0; for two classes, untargeted success = 1 − accuracy', async () => {
    const model = smallModel(5);
    const images = await ownLabels(model, 6, 9);
    const settings = { ...DEFAULT_ATTACK, attack: 'pgd' as const, targeted: false, stepSize: 2, maxSteps: 8 };
    const points = await budgetCurve(model, images, settings, [0, 4, 32]);
    expect(points[0]).toMatchObject({ value: 0, successRate: 0, accuracy: 1 });
    for (const p of points) expect(p.successRate + p.accuracy).toBeCloseTo(1, 10);
    expect(points[2].successRate).toBeGreaterThan(0);
    model.dispose();
  });

  it('transfer to the same model reproduces the source success rate; to another model it is measured, not assumed', async () => {
    const source = smallModel(11);
    const other = smallModel(23);
    const images = await ownLabels(source, 6, 4);
    const settings = { ...DEFAULT_ATTACK, attack: 'bim' as const, targeted: false, epsilon: 16, stepSize: 4, maxSteps: 8 };
    const self = await transferAttack(source, source, images, settings);
    expect(self.targetAccuracyBefore).toBe(1);
    expect(self.targetFooled).toBeCloseTo(self.sourceSuccess, 10);
    const cross = await transferAttack(source, other, images, settings);
    expect(cross.sourceSuccess).toBe(self.sourceSuccess);
    expect(cross.targetAccuracyAfter).toBeCloseTo(1 - cross.targetFooled, 10);
    source.dispose();
    other.dispose();
  });
});
