/**
 * Our wasm MaxPoolGrad (src/ml/wasmMaxPoolGrad.ts) against tfjs' reference cpu backend, and the reason it exists:
 * tfjs-backend-wasm's own kernel drops the gradient of windows whose values are all negative.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupWasmInNode } from './wasmNode';

// Captured before setupWasmInNode replaces it.
const builtinWasmMaxPoolGrad = tf.getKernel('MaxPoolGrad', 'wasm')!;

type Pad = 'same' | 'valid';
interface PoolCase {
  name: string;
  x: [number, number, number, number];
  filter: number;
  stride: number;
  pad: Pad;
  /** Values for x: `n` → the data. */
  values: (n: number) => Float32Array;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}
const normalish = (seed: number) => (n: number) => Float32Array.from({ length: n }, lcg(seed));
/** Few distinct values, so windows have ties. */
const coarse = (seed: number) => (n: number) => Float32Array.from({ length: n }, () => Math.round(lcg(seed)() * 2));
const negative = (seed: number) => (n: number) => Float32Array.from({ length: n }, () => -0.1 - Math.abs(lcg(seed)()));

const cases: PoolCase[] = [
  {
    name: '2×2 stride 2 valid (the models’ pool)',
    x: [3, 8, 8, 5],
    filter: 2,
    stride: 2,
    pad: 'valid',
    values: normalish(1),
  },
  { name: 'all-negative input', x: [2, 4, 6, 3], filter: 2, stride: 2, pad: 'valid', values: negative(2) },
  { name: 'ties (values in {-2..2})', x: [2, 6, 6, 4], filter: 2, stride: 2, pad: 'valid', values: coarse(3) },
  {
    name: 'odd size, valid drops the last row/col',
    x: [1, 7, 9, 3],
    filter: 2,
    stride: 2,
    pad: 'valid',
    values: normalish(4),
  },
  { name: 'odd size, same pads', x: [2, 7, 5, 2], filter: 2, stride: 2, pad: 'same', values: normalish(5) },
  { name: 'overlapping 3×3 stride 2 same', x: [2, 9, 9, 3], filter: 3, stride: 2, pad: 'same', values: coarse(6) },
  {
    name: 'overlapping 3×3 stride 1 valid',
    x: [1, 6, 6, 33],
    filter: 3,
    stride: 1,
    pad: 'valid',
    values: normalish(7),
  },
];

/** d(Σ maxPool(x)·r)/dx on `backend`. */
async function poolGrad(backend: 'cpu' | 'wasm', c: PoolCase): Promise<Float32Array> {
  await tf.setBackend(backend);
  const n = c.x.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(c.values(n), c.x);
  const outShape = tf.backend_util.computePool2DInfo(c.x, c.filter, c.stride, 1, c.pad).outShape;
  const r = tf.tensor4d(normalish(99)(outShape.reduce((a, b) => a * b, 1)), outShape);
  const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, c.filter, c.stride, c.pad), r)))(x);
  const data = dx.dataSync() as Float32Array;
  tf.dispose([x, r, dx]);
  return data;
}

describe('MaxPoolGrad on wasm (ours) = cpu backend', () => {
  beforeAll(async () => {
    await setupWasmInNode();
  });

  it.each(cases)('$name', async (c) => {
    const want = await poolGrad('cpu', c);
    const got = await poolGrad('wasm', c);
    if (c.filter <= c.stride) {
      // Windows do not overlap: every dx value is one dy value or 0, so exact.
      expect(Array.from(got)).toEqual(Array.from(want));
    } else {
      // Overlapping windows add several dy values, in another order than the cpu backend's: float rounding only.
      const worst = Math.max(...Array.from(got, (v, i) => Math.abs(v - want[i])));
      expect(worst).toBeLessThan(1e-6);
      // …while a maximum at the wrong place would be off by a whole dy value (|dy| ≈ 0.5 on average).
    }
    expect(want.some((v) => v !== 0)).toBe(true);
  });

  it('leaves no tensor behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    await poolGrad('wasm', cases[0]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("tfjs' own wasm kernel loses all-negative windows (why ours replaces it)", async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    builtinWasmMaxPoolGrad.setupFunc?.(backend); // binds its C++ function; never run since we replaced it
    const c = cases[1];
    const n = c.x.reduce((a, b) => a * b, 1);
    const x = tf.tensor4d(c.values(n), c.x);
    const outShape = tf.backend_util.computePool2DInfo(c.x, c.filter, c.stride, 1, c.pad).outShape;
    const dy = tf.ones(outShape);
    const info = builtinWasmMaxPoolGrad.kernelFunc({
      inputs: { dy, input: x, output: x },
      backend,
      attrs: { filterSize: c.filter, strides: c.stride, pad: c.pad },
    }) as tf.TensorInfo;
    const dx = tf.engine().makeTensorFromTensorInfo(info);
    const total = tf.sum(dx).dataSync()[0];
    // Right: every window passes its 1 to its maximum, so Σ dx = number of windows.
    const windows = outShape.reduce((a, b) => a * b, 1);
    expect(windows).toBe(2 * 2 * 3 * 3);
    expect(total).not.toBe(windows);
    console.log(`built-in wasm MaxPoolGrad, all-negative input: Σ dx = ${total}, right answer ${windows}`);
    tf.dispose([x, dy, dx]);
  });
});
