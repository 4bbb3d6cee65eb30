/** Budget curves and transfer on small random 64×64 models (cpu backend): properties that must hold for any model. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ATTACK } from '../shared/attackSettings';
import { budgetCurve, transferAttack, type BatchImages } from './foolService';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

function smallModel(seed: number): tf.LayersModel {
  const input = tf.input({ shape: [64, 64, 3] });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      strides: 4,
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed }),
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Random images labelled with the model's own prediction, so every image starts correctly classified. */
async function ownLabels(model: tf.LayersModel, n: number, seed: number): Promise<BatchImages> {
  let s = seed;
  const pixels = Uint8Array.from(
    { length: n * PIXELS_PER_IMAGE },
    () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 24) & 255,
  );
  const probs = await probabilitiesOf(model, pixels, n);
  const labels = Array.from({ length: n }, (_, i) => (probs[i * 2 + 1] > probs[i * 2] ? 1 : 0));
  return { indices: labels.map((_, i) => i), pixels, labels };
}

describe('robustness measures', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('budget curve: the share fooled at each ε is exactly the share within reach (a linear model, known answer)', async () => {
    // flatten → dense(2, softmax) with class 1's logit margin m(x) = Σ aᵢ·xᵢ/255 + b and class 0's logit 0. An
    // untargeted L∞ attack of whole levels flips image x iff moving every pixel ε levels (clipped to [0, 255])
    // the helpful way can cross the boundary: reach(x, ε) > |m(x)|. Computed here before the attack runs.
    const SIZE = PIXELS_PER_IMAGE;
    let state = 99;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    // Weights on one value in 48 (256 of 12,288): each ε level then moves the margin by a fifth of its spread.
    const a = Float32Array.from({ length: SIZE }, (_, i) => (i % 48 ? 0 : next() < 0.5 ? -0.1 : 0.1));
    const n = 16;
    const pixels = Uint8Array.from({ length: n * SIZE }, () => Math.floor(next() * 256));
    const margins = Array.from({ length: n }, (_, k) =>
      a.reduce((s, ai, i) => s + (ai * pixels[k * SIZE + i]) / 255, 0),
    );
    const sorted = [...margins].sort((p, q) => p - q);
    const bias = -(sorted[n / 2 - 1] + sorted[n / 2]) / 2; // half the images on each side, none on the boundary
    const input = tf.input({ shape: [64, 64, 3] });
    const dense = tf.layers.dense({ units: 2, activation: 'softmax' });
    const model = tf.model({
      inputs: input,
      outputs: dense.apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor,
    });
    const kernel = new Float32Array(SIZE * 2);
    a.forEach((ai, i) => (kernel[i * 2 + 1] = ai));
    dense.setWeights([tf.tensor2d(kernel, [SIZE, 2]), tf.tensor1d([0, bias])]);
    const labels = margins.map((m) => (m + bias > 0 ? 1 : 0));
    const images: BatchImages = { indices: labels.map((_, i) => i), pixels, labels };
    const reach = (k: number, eps: number) => {
      let gain = 0;
      for (let i = 0; i < SIZE; i++) {
        const x = pixels[k * SIZE + i];
        const up = a[i] > 0 === (labels[k] === 0);
        gain += (Math.abs(a[i]) * (up ? Math.min(255, x + eps) - x : x - Math.max(0, x - eps))) / 255;
      }
      return gain;
    };
    const budgets = [0, 1, 2, 4, 8];
    const expected = budgets.map(
      (eps) => margins.filter((m, k) => reach(k, eps) > Math.abs(m + bias) + 1e-3).length / n,
    );
    // Images within 1e-3 of the edge would make the expectation ambiguous; the fixed set has none.
    for (const eps of budgets)
      for (let k = 0; k < n; k++) expect(Math.abs(reach(k, eps) - Math.abs(margins[k] + bias))).toBeGreaterThan(1e-3);
    // 24 one-level steps reach any corner of the ε = 8 ball from PGD's random start.
    const settings = { ...DEFAULT_ATTACK, attack: 'pgd' as const, targeted: false, stepSize: 1, maxSteps: 24, seed: 3 };
    const points = await budgetCurve(model, images, settings, budgets);
    console.log(
      `[budget curve] ε ${budgets.join('/')} → fooled ${points.map((p) => p.successRate.toFixed(3)).join('/')} (expected ${expected.map((e) => e.toFixed(3)).join('/')})`,
    );
    expect(points.map((p) => p.value)).toEqual(budgets);
    expect(points.map((p) => p.successRate)).toEqual(expected);
    expect(points.map((p) => p.accuracy)).toEqual(expected.map((e) => 1 - e));
    // The set spans the curve: none fooled at 0, some but not all in between, more with more budget.
    expect(expected[0]).toBe(0);
    expect(expected.some((e) => e > 0 && e < 1)).toBe(true);
    model.dispose();
  });

  it('transfer to the same model reproduces the source success rate; to another model it is measured, not assumed', async () => {
    const source = smallModel(11);
    const other = smallModel(23);
    const images = await ownLabels(source, 6, 4);
    const settings = {
      ...DEFAULT_ATTACK,
      attack: 'bim' as const,
      targeted: false,
      epsilon: 16,
      stepSize: 4,
      maxSteps: 8,
    };
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
