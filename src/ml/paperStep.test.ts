/**
 * The paper model (64.6 M parameters) runs one training step at batch size 1. The pure-JS cpu backend needs
 * many minutes for its ~40 GFLOP step, so this runs on the wasm backend in Node with our training kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_CONFIG } from '../shared/trainingConfig';
import { generateFace } from '../shared/synthetic/lookalikes';
import { buildModel } from './models';
import { makeOptimizer, toInput, trainStep } from './trainStep';
import { setupWasmInNode } from './wasmNode';

describe('paper model on wasm (Node)', () => {
  beforeAll(async () => {
    await setupWasmInNode();
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  async function oneStep(batchNormLayers: number, layerName: string, weightIndex = 0) {
    const model = buildModel({ ...PAPER_CONFIG, batchNormLayers, numClasses: 2 });
    const optimizer = makeOptimizer('sgd', 1e-3);
    const face = generateFace(11, 1);
    const x = toInput(face.pixels, 1);
    const y = tf.tensor1d([face.label], 'int32');
    const before = Float32Array.from(await model.getLayer(layerName).getWeights()[weightIndex].data());
    const t0 = performance.now();
    const { loss, correct } = trainStep(model, optimizer, x, y, 2);
    const l = (await loss.data())[0];
    const seconds = (performance.now() - t0) / 1000;
    const after = await model.getLayer(layerName).getWeights()[weightIndex].data();
    const changed = after.some((v, i) => v !== before[i]);
    const params = model.countParams();
    tf.dispose([x, y, loss, correct]);
    optimizer.dispose();
    model.dispose();
    console.log(
      `paper model (${batchNormLayers} BN): batch-1 step on wasm in Node ${seconds.toFixed(1)} s, loss ${l.toFixed(4)}`,
    );
    return { loss: l, changed, params };
  }

  it('one training step at batch size 1 with the paper settings (2 batch norms) updates the head', async () => {
    // A batch of one leaves batch norm's output at beta (= 0 at init), so only biases after it can move.
    const r = await oneStep(2, 'predictions', 1);
    expect(r.params).toBe(64_638_274);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.changed).toBe(true);
  });

  it('without batch norm the batch-1 gradient reaches the first conv layer', async () => {
    // With batch norm in training mode a batch of one normalises to zero, so nothing before it can learn:
    // a property of batch norm, not of our code, and the reason the UI warns about batch size 1.
    const r = await oneStep(0, 'conv1');
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.changed).toBe(true);
  });
});
