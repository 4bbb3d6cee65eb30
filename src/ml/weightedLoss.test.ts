/**
 * The weighted cross-entropy against a hand computation: on a fixed batch of probabilities, and as the loss a
 * real training step returns, on the cpu backend and on wasm (our training kernels), so the weights reach the
 * gradient on both.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { crossEntropy, makeOptimizer, trainStep } from './trainStep';
import { setupWasmInNode } from './wasmNode';

const probs = [
  [0.9, 0.1],
  [0.2, 0.8],
  [0.6, 0.4],
  [0.3, 0.7],
];
const labels = [0, 1, 1, 0];
const weights = [0.5, 2];

/** Σ w_y · (−ln p_y) / n, written out. */
function byHand(p: number[][], y: number[], w: number[] | null): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (w ? w[y[i]] : 1) * -Math.log(p[i][y[i]]);
  return sum / y.length;
}

describe('weighted cross-entropy', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('equals the hand-computed weighted mean on a tiny batch (and the plain mean without weights)', async () => {
    await tf.setBackend('cpu');
    const tensors = tf.memory().numTensors;
    const p = tf.tensor2d(probs);
    const y = tf.tensor1d(labels, 'int32');
    const weighted = crossEntropy(p, y, 2, weights);
    const plain = crossEntropy(p, y, 2);
    expect((await weighted.data())[0]).toBeCloseTo(byHand(probs, labels, weights), 6);
    expect((await plain.data())[0]).toBeCloseTo(byHand(probs, labels, null), 6);
    expect(byHand(probs, labels, weights)).not.toBeCloseTo(byHand(probs, labels, null), 2);
    tf.dispose([p, y, weighted, plain]);
    expect(tf.memory().numTensors).toBe(tensors); // the weights tensor is freed with the rest
  });

  for (const backend of ['cpu', 'wasm'] as const) {
    it(`a training step on ${backend} returns that loss and its gradient follows the weights`, async () => {
      if (backend === 'wasm') await setupWasmInNode();
      else await tf.setBackend('cpu');
      expect(tf.getBackend()).toBe(backend);
      // A model with no dropout or batch norm: predict() gives the probabilities the step sees.
      const model = tf.sequential({
        layers: [
          tf.layers.flatten({ inputShape: [2, 2, 1] }),
          tf.layers.dense({
            units: 2,
            activation: 'softmax',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
          }),
        ],
      });
      const x = tf.tensor4d(
        [0.1, 0.9, 0.4, 0.2, 0.8, 0.3, 0.5, 0.7, 0.2, 0.2, 0.9, 0.6, 0.7, 0.1, 0.3, 0.8],
        [4, 2, 2, 1],
      );
      const y = tf.tensor1d(labels, 'int32');
      const before = model.predict(x) as tf.Tensor2D;
      const p = (await before.array()) as number[][];
      const bias = async () => Array.from(await model.layers[1].getWeights()[1].data());
      const bias0 = await bias();
      const opt = makeOptimizer('sgd', 1);
      const { loss, correct } = trainStep(model, opt, x, y, 2, weights);
      expect((await loss.data())[0]).toBeCloseTo(byHand(p, labels, weights), 5);
      // d loss / d bias_c = Σ_i w_{y_i} (p_ic − [y_i = c]) / n; SGD with rate 1 moves the bias by minus that.
      const grad = [0, 1].map(
        (c) => labels.reduce((s, yi, i) => s + weights[yi] * (p[i][c] - (yi === c ? 1 : 0)), 0) / labels.length,
      );
      const bias1 = await bias();
      bias1.forEach((b, c) => expect(b - bias0[c]).toBeCloseTo(-grad[c], 5));
      tf.dispose([x, y, before, loss, correct]);
      opt.dispose();
      model.dispose();
    });
  }
});
