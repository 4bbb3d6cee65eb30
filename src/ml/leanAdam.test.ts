/**
 * The lean Adam computes exactly what tfjs' Adam computes (same weights after several steps, same saved state)
 * with a transient of a few copies of the largest variable instead of ≈ 11 copies of the whole model.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../shared/trainingConfig';
import { LEAN_ADAM_TRANSIENT_FACTOR, leanAdam } from './leanAdam';
import { buildModel } from './models';
import { toInput, trainStep } from './trainStep';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';

function randomBatch(n: number, seed: number) {
  const pixels = new Uint8Array(n * PIXELS_PER_IMAGE);
  let s = seed;
  for (let i = 0; i < pixels.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    pixels[i] = s >>> 24;
  }
  return { pixels, labels: Array.from({ length: n }, (_, i) => i % 2) };
}

describe('LeanAdamOptimizer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trains the compact model to bit-identical weights and optimizer state as tf.train.adam', async () => {
    const options = {
      architecture: 'compact' as const,
      numClasses: 2,
      dropout: 0,
      batchNormLayers: 1,
      widthMultiplier: 0.125,
    };
    const reference = buildModel(options, 7);
    const lean = buildModel(options, 7);
    lean.setWeights(reference.getWeights());
    const refOpt = tf.train.adam(DEFAULT_CONFIG.learningRate);
    const leanOpt = leanAdam(DEFAULT_CONFIG.learningRate);
    const startTensors = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      const { pixels, labels } = randomBatch(6, step + 1);
      for (const [model, opt] of [
        [reference, refOpt],
        [lean, leanOpt],
      ] as const) {
        const x = toInput(pixels, 6);
        const y = tf.tensor1d(labels, 'int32');
        const { loss, correct } = trainStep(model, opt, x, y, 2);
        tf.dispose([x, y, loss, correct]);
      }
    }
    const addedTensors = tf.memory().numTensors - startTensors;
    const refWeights = reference.getWeights().map((w) => Array.from(w.dataSync()));
    const leanWeights = lean.getWeights().map((w) => Array.from(w.dataSync()));
    expect(leanWeights.length).toBe(refWeights.length);
    // The updates moved the weights (else identity would prove nothing) …
    const initial = buildModel(options, 7).getWeights();
    expect(refWeights.some((w, i) => w.some((v, j) => v !== initial[i].dataSync()[j]))).toBe(true);
    // … and both optimizers moved them identically, to the last bit.
    leanWeights.forEach((w, i) => expect(w).toEqual(refWeights[i]));
    const [refState, leanState] = [await refOpt.getWeights(), await leanOpt.getWeights()];
    // Same slot names (the second model's variables carry a `_1` suffix: strip it).
    expect(leanState.map((s) => s.name.replace(/_\d+(?=\/[mv]$)/, ''))).toEqual(refState.map((s) => s.name));
    leanState.forEach((s, i) =>
      expect(Array.from(s.tensor.dataSync())).toEqual(Array.from(refState[i].tensor.dataSync())),
    );
    // Three steps left nothing behind but each optimizer's own slots (m and v per weight; its β-power scalars
    // were made by its constructor, before the count started).
    const slots = leanState.length - 1;
    expect(addedTensors).toBe(2 * slots);
    tf.dispose(initial);
    tf.dispose([...refState, ...leanState].map((s) => s.tensor).filter((t) => !t.isDisposed));
    refOpt.dispose();
    leanOpt.dispose();
    reference.dispose();
    lean.dispose();
  });

  it('keeps the update transient under a few copies of the largest variable (tfjs: ≈ 11 of every variable)', async () => {
    const big = tf.variable(tf.randomNormal([1024, 1024]), true, 'big'); // 4 MB
    const small = tf.variable(tf.randomNormal([256, 256]), true, 'small'); // 0.25 MB
    const bigBytes = 1024 * 1024 * 4;
    const grads = { big: tf.randomNormal([1024, 1024]), small: tf.randomNormal([256, 256]) };
    const transient = async (opt: tf.Optimizer) => {
      opt.applyGradients(grads); // first call creates the moments: not transient
      const before = tf.memory().numBytes;
      const info = await tf.profile(() => opt.applyGradients(grads));
      expect(tf.memory().numBytes).toBe(before); // nothing left behind
      return (info.peakBytes - before) / bigBytes;
    };
    const tfjsAdam = tf.train.adam(1e-3);
    const lean = leanAdam(1e-3);
    const tfjsFactor = await transient(tfjsAdam);
    const leanFactor = await transient(lean);
    expect(tfjsFactor).toBeGreaterThan(10);
    expect(leanFactor).toBeLessThanOrEqual(LEAN_ADAM_TRANSIENT_FACTOR + 0.1);
    tfjsAdam.dispose();
    lean.dispose();
    tf.dispose([big, small, grads.big, grads.small]);
  });
});
