/** Per-channel Sum/Mean on wasm (src/ml/wasmReductions.ts) against tfjs' cpu backend, and the cases it leaves alone. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupWasmInNode } from './wasmNode';

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 1);
}

interface Case {
  name: string;
  shape: number[];
  axis: number | number[];
  keepDims: boolean;
  dtype?: 'float32' | 'int32';
}

const cases: Case[] = [
  { name: 'NHWC per channel (batch norm, bias gradients)', shape: [3, 5, 7, 11], axis: [0, 1, 2], keepDims: false },
  { name: 'same, keepDims', shape: [3, 5, 7, 11], axis: [0, 1, 2], keepDims: true },
  { name: 'axes unsorted and negative', shape: [2, 4, 4, 6], axis: [-2, 0, 1], keepDims: false },
  { name: 'rank 2, axis 0 (dense bias gradient)', shape: [32, 10], axis: 0, keepDims: false },
  { name: 'one channel', shape: [4, 3, 3, 1], axis: [0, 1, 2], keepDims: true },
  // Not leading axes, or not float32: the built-in kernel, unchanged.
  { name: 'spatial axes only (built-in)', shape: [2, 4, 4, 6], axis: [1, 2], keepDims: false },
  { name: 'all but the first axis, per image (built-in)', shape: [3, 4, 5, 6], axis: [1, 2, 3], keepDims: false },
  { name: 'last axis (built-in)', shape: [2, 4, 6], axis: -1, keepDims: true },
  { name: 'all axes (built-in)', shape: [2, 4, 6], axis: [0, 1, 2], keepDims: false },
  { name: 'int32 (built-in)', shape: [3, 4, 5], axis: [0, 1], keepDims: false, dtype: 'int32' },
];

async function reduce(backend: 'cpu' | 'wasm', c: Case, op: 'sum' | 'mean') {
  await tf.setBackend(backend);
  const n = c.shape.reduce((a, b) => a * b, 1);
  const data = c.dtype === 'int32' ? Int32Array.from(values(n, 7), (v) => Math.round(v * 10)) : values(n, 7);
  const x = tf.tensor(data, c.shape, c.dtype ?? 'float32');
  const y = op === 'sum' ? tf.sum(x, c.axis, c.keepDims) : tf.mean(x, c.axis, c.keepDims);
  const out = { shape: y.shape, dtype: y.dtype, data: Array.from(y.dataSync()) };
  tf.dispose([x, y]);
  return out;
}

describe('Sum and Mean over leading axes on wasm = cpu backend', () => {
  beforeAll(async () => {
    await setupWasmInNode();
  });

  for (const op of ['sum', 'mean'] as const) {
    it.each(cases)(`${op}: $name`, async (c) => {
      const want = await reduce('cpu', c, op);
      const got = await reduce('wasm', c, op);
      expect(got.shape).toEqual(want.shape);
      expect(got.dtype).toEqual(want.dtype);
      expect(got.data.length).toBe(want.data.length);
      got.data.forEach((v, i) => expect(v).toBeCloseTo(want.data[i], 4));
    });
  }

  it('is what batch-norm moments use, and leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d(values(2 * 3 * 3 * 4, 3), [2, 3, 3, 4]);
    const before = tf.memory().numTensors;
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const m = Array.from(mean.dataSync());
    const v = Array.from(variance.dataSync());
    tf.dispose([mean, variance]);
    expect(tf.memory().numTensors).toBe(before);
    const d = x.dataSync();
    for (let c = 0; c < 4; c++) {
      const col = Array.from({ length: 18 }, (_, i) => d[i * 4 + c]);
      const mu = col.reduce((a, b) => a + b, 0) / 18;
      expect(m[c]).toBeCloseTo(mu, 5);
      expect(v[c]).toBeCloseTo(col.reduce((a, b) => a + (b - mu) ** 2, 0) / 18, 5);
    }
    x.dispose();
  });
});
