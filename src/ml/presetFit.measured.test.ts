/**
 * The memory estimate of src/shared/presetFit.ts against what TensorFlow.js really allocates: the peak of
 * distinct tensor data over one training step (the app's trainStep and optimizers) on the wasm backend in Node, after each
 * kernel, split into the backward pass and the optimizer update at the first conv layer's weight gradient (the last
 * gradient tfjs computes). The estimate must cover what was measured (but a few scalars), without overstating the
 * backward pass by more than 10 %.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { estimateFit, UPDATE_TRANSIENT_FACTOR, type FitConfig } from '../shared/presetFit';
import { DEFAULT_CONFIG } from '../shared/trainingConfig';
import { buildModel } from './models';
import { LEAN_ADAM_TRANSIENT_FACTOR } from './leanAdam';
import { makeOptimizer, toInput, trainStep } from './trainStep';
import { setupWasmInNode } from './wasmNode';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';

/**
 * tf.profile's `totalBytesSnapshot` (and tf.memory().numBytes) count bytes per tensor, so a reshape, which shares
 * its input's data, counts twice. The engine keeps one `tensorInfo` entry per data buffer: while `measure` runs,
 * those entries are mirrored and the engine's byte count reads as their sum (its own count is kept aside).
 */
async function withDistinctBytes<T>(measure: () => Promise<T>): Promise<T> {
  const state = (
    tf.engine() as unknown as { state: { numBytes: number; tensorInfo: WeakMap<object, { bytes: number }> } }
  ).state;
  const info = state.tensorInfo;
  const { set, delete: remove } = info;
  const buffers = new Map<object, number>();
  info.set = (key, value) => (buffers.set(key, value.bytes), set.call(info, key, value));
  info.delete = (key) => (buffers.delete(key), remove.call(info, key));
  let counted = state.numBytes;
  Object.defineProperty(state, 'numBytes', {
    configurable: true,
    get: () => [...buffers.values()].reduce((a, b) => a + b, 0),
    set: (v: number) => (counted = v),
  });
  try {
    return await measure();
  } finally {
    Object.defineProperty(state, 'numBytes', { configurable: true, writable: true, value: counted });
    info.set = set;
    info.delete = remove;
  }
}

/** Peak bytes of the backward pass and of the optimizer update in the second training step of `config`. */
function measureStep(config: FitConfig) {
  return withDistinctBytes(async () => {
    const model = buildModel(config, 1);
    const optimizer = makeOptimizer(config.optimizer, DEFAULT_CONFIG.learningRate);
    const n = config.batchSize;
    const pixels = Uint8Array.from({ length: n * PIXELS_PER_IMAGE }, (_, i) => (i * 7919) & 255);
    const step = () => {
      const x = toInput(pixels, n);
      const y = tf.tensor1d(
        Array.from({ length: n }, (_, i) => i % 2),
        'int32',
      );
      const { loss, correct } = trainStep(model, optimizer, x, y, 2);
      tf.dispose([x, y, loss, correct]);
    };
    try {
      step(); // the first step creates what stays (the optimizer's slots)
      const { kernels } = await tf.profile(step);
      const bytes = kernels.map((k) => k.totalBytesSnapshot);
      // The backward pass ends with the first conv layer's weight gradient; the optimizer runs after it.
      const split = kernels.findLastIndex((k) => k.name === 'Conv2DBackpropFilter') + 1;
      expect(split).toBeGreaterThan(0);
      return { backward: Math.max(...bytes.slice(0, split)), update: Math.max(...bytes.slice(split)) };
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  });
}

describe('presetFit estimate against tf.profile (wasm)', () => {
  beforeAll(async () => {
    await setupWasmInNode();
  });

  const cases: Array<[string, FitConfig]> = [
    ['compact, batch 4, sgd', { ...DEFAULT_CONFIG, batchSize: 4, optimizer: 'sgd' }],
    ['compact, batch 16, adam', { ...DEFAULT_CONFIG, batchSize: 16, optimizer: 'adam' }],
    ['vgg16, batch 1, adam', { ...DEFAULT_CONFIG, architecture: 'vgg16', batchSize: 1, optimizer: 'adam' }],
    ['vgg16, batch 1, rmsprop', { ...DEFAULT_CONFIG, architecture: 'vgg16', batchSize: 1, optimizer: 'rmsprop' }],
  ];
  it("the Adam update transient assumed covers the lean Adam's own", () => {
    expect(UPDATE_TRANSIENT_FACTOR.adam).toBeGreaterThanOrEqual(LEAN_ADAM_TRANSIENT_FACTOR);
  });
  for (const [name, config] of cases) {
    it(`${name}: the backward pass within +0–10 %, the update covered`, async () => {
      const measured = await measureStep(config);
      const e = estimateFit(config);
      console.log(
        `[presetFit] ${name}: backward measured ${(measured.backward / 1e6).toFixed(1)} MB, estimated ${(e.backwardPhaseBytes / 1e6).toFixed(1)}; ` +
          `update measured ${(measured.update / 1e6).toFixed(1)} MB, estimated ${(e.updatePhaseBytes / 1e6).toFixed(1)}`,
      );
      expect(e.backwardPhaseBytes).toBeGreaterThanOrEqual(measured.backward);
      expect(e.backwardPhaseBytes).toBeLessThanOrEqual(1.1 * measured.backward);
      // The step's few scalars (loss, accuracy count, the learning rate) are not modelled.
      expect(e.updatePhaseBytes).toBeGreaterThanOrEqual(measured.update - 1024);
    });
  }
});
