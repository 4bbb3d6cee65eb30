/** BatchMatMul with transposed operands on wasm (src/ml/wasmMatMul.ts) against tfjs' cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupWasmInNode } from './wasmNode';

function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

interface Case {
  name: string;
  a: number[];
  b: number[];
  ta: boolean;
  tb: boolean;
}

const cases: Case[] = [
  { name: 'dense dW = xᵀ·dy', a: [8, 300], b: [8, 10], ta: true, tb: false },
  { name: 'dense dx = dy·Wᵀ, W the big operand (product transposed)', a: [8, 10], b: [300, 10], ta: false, tb: true },
  { name: 'A·Bᵀ, B the small operand (B transposed)', a: [300, 40], b: [7, 40], ta: false, tb: true },
  { name: 'Aᵀ·Bᵀ', a: [33, 17], b: [5, 33], ta: true, tb: true },
  { name: 'rank 3 with batch 1', a: [1, 40, 33], b: [1, 40, 9], ta: true, tb: false },
  { name: 'rank 3 with batch 1 and 2-D', a: [1, 9, 40], b: [35, 40], ta: false, tb: true },
  { name: 'no transpose (built-in)', a: [20, 30], b: [30, 7], ta: false, tb: false },
  { name: 'batch 3 (built-in)', a: [3, 12, 5], b: [3, 12, 4], ta: true, tb: false },
];

async function matMul(backend: 'cpu' | 'wasm', c: Case) {
  await tf.setBackend(backend);
  const a = tf.tensor(
    values(
      c.a.reduce((p, d) => p * d, 1),
      1,
    ),
    c.a,
  );
  const b = tf.tensor(
    values(
      c.b.reduce((p, d) => p * d, 1),
      2,
    ),
    c.b,
  );
  const y = tf.matMul(a, b, c.ta, c.tb);
  const out = { shape: y.shape, data: Array.from(y.dataSync()) };
  tf.dispose([a, b, y]);
  return out;
}

describe('BatchMatMul on wasm with transposed operands = cpu backend', () => {
  beforeAll(async () => {
    await setupWasmInNode();
  });

  it.each(cases)('$name', async (c) => {
    const want = await matMul('cpu', c);
    const got = await matMul('wasm', c);
    expect(got.shape).toEqual(want.shape);
    const worst = Math.max(...got.data.map((v, i) => Math.abs(v - want.data[i])));
    expect(worst).toBeLessThan(1e-4);
  });

  it("a dense layer's gradients, and no tensor left behind", async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d(values(6 * 50, 3), [6, 50]);
    const w = tf.tensor2d(values(50 * 4, 4), [50, 4]);
    const before = tf.memory().numTensors;
    const [dx, dw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q))))([x, w]);
    const got = [Array.from(dx.dataSync()), Array.from(dw.dataSync())];
    tf.dispose([dx, dw]);
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    const [rx, rw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q))))([x, w]);
    got[0].forEach((v, i) => expect(v).toBeCloseTo(rx.dataSync()[i], 4));
    got[1].forEach((v, i) => expect(v).toBeCloseTo(rw.dataSync()[i], 4));
    tf.dispose([x, w, rx, rw]);
  });
});
