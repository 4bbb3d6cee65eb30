/**
 * The wasm training kernels (src/ml/wasmKernels.ts) against tfjs' reference cpu backend: conv gradients,
 * a few SGD steps of a small Keras-style model, leaks, and a training-throughput print.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './wasmKernels';
import { setupWasmInNode } from './wasmNode';

type Backend = 'cpu' | 'wasm';
type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

/** Deterministic data, independent of any tfjs backend (mulberry32). */
function randoms(n: number, seed: number, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** max |a - b| relative to max(1, max |b|); asserts ≤ 1e-4 and returns it for the log. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): number {
  expect(actual.length).toBe(expected.length);
  let maxDiff = 0;
  let maxRef = 0;
  for (let i = 0; i < expected.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
    maxRef = Math.max(maxRef, Math.abs(expected[i]));
  }
  const rel = maxDiff / Math.max(1, maxRef);
  console.log(
    `${label}: max|diff| ${maxDiff.toExponential(2)}, max|ref| ${maxRef.toFixed(3)}, rel ${rel.toExponential(2)}`,
  );
  expect(rel, label).toBeLessThanOrEqual(1e-4);
  return rel;
}

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  w: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

async function convGrads(backend: Backend, c: ConvCase) {
  await tf.setBackend(backend);
  const outShape = tf.backend_util.computeConv2DInfo(c.x, c.w, c.strides, 1, c.pad).outShape;
  const x = tf.tensor4d(randoms(size(c.x), 1), c.x);
  const w = tf.tensor4d(randoms(size(c.w), 2), c.w);
  const r = tf.tensor4d(randoms(size(outShape), 3), outShape);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad), r)),
  )([x, w]);
  const out = { dx: await dx.data(), dw: await dw.data() };
  tf.dispose([x, w, r, dx, dw]);
  return out;
}

const cases: ConvCase[] = [
  { name: '3x3 same', x: [2, 9, 7, 3], w: [3, 3, 3, 5], strides: 1, pad: 'same' },
  { name: '3x3 valid', x: [2, 9, 7, 3], w: [3, 3, 3, 5], strides: 1, pad: 'valid' },
  { name: '1x1 same', x: [2, 9, 7, 3], w: [1, 1, 3, 4], strides: 1, pad: 'same' },
  { name: '1x1 valid', x: [3, 5, 6, 2], w: [1, 1, 2, 3], strides: 1, pad: 'valid' },
  { name: '4x2 same (asymmetric pads)', x: [2, 8, 6, 3], w: [4, 2, 3, 2], strides: 1, pad: 'same' },
  { name: '5x3 valid, batch 1', x: [1, 8, 6, 2], w: [5, 3, 2, 4], strides: 1, pad: 'valid' },
  {
    name: '3x3 explicit [1,2]x[0,1]',
    x: [2, 7, 6, 3],
    w: [3, 3, 3, 4],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { name: '3x3 pad 3 (dx via built-in)', x: [2, 5, 5, 2], w: [3, 3, 2, 3], strides: 1, pad: 3 },
  { name: '3x3 same 16→8 channels', x: [3, 12, 12, 16], w: [3, 3, 16, 8], strides: 1, pad: 'same' },
  { name: '3x3 stride 2 same', x: [2, 9, 7, 3], w: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { name: '3x3 stride 2 valid (unused rows)', x: [2, 10, 8, 3], w: [3, 3, 3, 5], strides: 2, pad: 'valid' },
  { name: '2x2 stride [2,3] valid', x: [2, 9, 11, 2], w: [2, 2, 2, 3], strides: [2, 3], pad: 'valid' },
];

/** conv2d 8 same relu → conv2d 8 valid → flatten → dense 2 softmax, weights from `weights` when given. */
function smallModel(weights?: Float32Array[]): tf.LayersModel {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'valid' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  if (weights) model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i], w.shape)));
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
  return model;
}

async function trainSmall(backend: Backend, init: Float32Array[]) {
  await tf.setBackend(backend);
  const model = smallModel(init);
  const xs = tf.tensor4d(randoms(6 * 8 * 8 * 3, 11), [6, 8, 8, 3]);
  const ys = tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0], 'int32'), 2);
  const losses: number[] = [];
  for (let step = 0; step < 3; step++) losses.push(Number(await model.trainOnBatch(xs, ys)));
  const weights = await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>));
  tf.dispose([xs, ys]);
  model.dispose();
  return { losses, weights };
}

function vggish(): tf.LayersModel {
  const conv = (filters: number, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}) =>
    tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', ...extra });
  const model = tf.sequential({
    layers: [
      conv(32, { inputShape: [64, 64, 3] }),
      conv(32),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      conv(64),
      conv(64),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

/** images/s over `steps` timed trainOnBatch calls (after `warmup` untimed ones). */
async function vggThroughput(backend: Backend, batch: number, warmup: number, steps: number): Promise<number> {
  await tf.setBackend(backend);
  const model = vggish();
  const xs = tf.tensor4d(randoms(batch * 64 * 64 * 3, 21), [batch, 64, 64, 3]);
  const ys = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 2),
      'int32',
    ),
    2,
  );
  for (let i = 0; i < warmup; i++) await model.trainOnBatch(xs, ys);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([xs, ys]);
  model.dispose();
  return (steps * batch) / seconds;
}

describe('wasm training kernels vs the cpu backend', () => {
  // The built-in wasm Conv2DBackpropInput, captured before we override it (for the speed comparison).
  let builtinBackpropInput: tf.KernelFunc;

  beforeAll(async () => {
    builtinBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm').kernelFunc;
    await setupWasmInNode();
  });

  it('registers idempotently and keeps the built-in setup hook', async () => {
    const before = tf.getKernel('Conv2DBackpropInput', 'wasm');
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    const after = tf.getKernel('Conv2DBackpropInput', 'wasm');
    expect(after.kernelFunc).toBe(before.kernelFunc);
    expect(after.kernelFunc).not.toBe(builtinBackpropInput);
    expect(after.setupFunc).toBeTypeOf('function');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    await tf.setBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it.each(cases)('conv2d gradients wrt x and w: $name', async (c) => {
    const wasm = await convGrads('wasm', c);
    const cpu = await convGrads('cpu', c);
    expectClose(wasm.dw, cpu.dw, `${c.name} dW`);
    expectClose(wasm.dx, cpu.dx, `${c.name} dx`);
  });

  it('three SGD steps of a small conv model give the same weights on both backends', async () => {
    const shapes = smallModelShapes();
    const init = shapes.map((s, i) => randoms(size(s), 100 + i, 0.3));
    const wasm = await trainSmall('wasm', init);
    const cpu = await trainSmall('cpu', init);
    console.log(`losses wasm ${wasm.losses.map((l) => l.toFixed(6))} cpu ${cpu.losses.map((l) => l.toFixed(6))}`);
    expectClose(wasm.losses, cpu.losses, 'small model losses');
    wasm.weights.forEach((w, i) => expectClose(w, cpu.weights[i], `small model weight ${i} [${shapes[i]}]`));
    // The weights really moved (the comparison is not trivially of the initial values).
    expect(Math.max(...cpu.weights[0].map((v, j) => Math.abs(v - init[0][j])))).toBeGreaterThan(1e-3);
  });

  it('leaks neither tensors nor backend data across gradient calls', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as tf.KernelBackend & { wasm: { HEAPU8: Uint8Array } };
    const x = tf.tensor4d(randoms(8 * 32 * 32 * 16, 31), [8, 32, 32, 16]);
    const w = tf.tensor4d(randoms(3 * 3 * 16 * 16, 32), [3, 3, 16, 16]);
    const gradsOf = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))),
    );
    const once = () => tf.dispose(gradsOf([x, w]));
    once();
    once();
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const dataIds = backend.numDataIds();
    const heap = backend.wasm.HEAPU8.length;
    once();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(dataIds);
    for (let i = 0; i < 20; i++) once();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numBytes).toBe(bytes);
    expect(backend.numDataIds()).toBe(dataIds);
    // Each call builds XNNPACK operators for ~0.5 MB temporary filters; were they not freed with their
    // filter ids, 20 calls would grow the wasm heap.
    expect(backend.wasm.HEAPU8.length).toBe(heap);
    tf.dispose([x, w]);
  });

  it('prints VGG-ish training throughput, wasm (our kernels) vs cpu', { timeout: 90_000 }, async () => {
    const wasm = await vggThroughput('wasm', 16, 1, 5);
    // The cpu backend's naive conv kernels need ~4 min for one batch-16 step on a 2-core box; their cost is
    // linear in the batch, so one batch-1 step gives its images/s within the time budget.
    const cpu = await vggThroughput('cpu', 1, 0, 1);
    console.log(
      `VGG-ish 64×64×3 trainOnBatch: wasm ${wasm.toFixed(1)} images/s (batch 16, 5 steps after 1 warm-up), ` +
        `cpu ${cpu.toFixed(2)} images/s (batch 1, 1 step); ×${(wasm / cpu).toFixed(0)}`,
    );
    expect(wasm).toBeGreaterThan(0);

    // The kernels alone, for the 32→32 3×3 'same' layer at 64×64, batch 16 (1.2 GFLOP each).
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tf.tensor4d(randoms(16 * 64 * 64 * 32, 40), [16, 64, 64, 32]);
    const dy = tf.tensor4d(randoms(16 * 64 * 64 * 32, 41), [16, 64, 64, 32]);
    const filter = tf.tensor4d(randoms(3 * 3 * 32 * 32, 42), [3, 3, 32, 32]);
    const common = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC' };
    const timeIt = (name: string, f: tf.KernelFunc, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => {
      const t0 = performance.now();
      const out = f({ inputs, backend, attrs }) as tf.TensorInfo;
      const ms = performance.now() - t0;
      const values = backend.readSync(out.dataId) as Float32Array;
      backend.disposeData(out.dataId);
      console.log(`  ${name}: ${ms.toFixed(1)} ms`);
      return values;
    };
    // Untimed first run (XNNPACK operator creation, weight packing).
    const warm = (f: tf.KernelFunc, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) => {
      const out = f({ inputs, backend, attrs }) as tf.TensorInfo;
      backend.disposeData(out.dataId);
    };
    const kernel = (name: string) => tf.getKernel(name, 'wasm').kernelFunc;
    const inputAttrs = { ...common, inputShape: [16, 64, 64, 32] };
    const filterAttrs = { ...common, filterShape: [3, 3, 32, 32] };
    console.log('wasm kernels, 3×3 same 32→32 at [16,64,64,32]:');
    for (const [name, f, inputs, attrs] of [
      ['Conv2D (forward, reference)', kernel('Conv2D'), { x, filter }, { ...common, dilations: [1, 1] }],
      ['Conv2DBackpropFilter (ours)', kernel('Conv2DBackpropFilter'), { x, dy }, filterAttrs],
    ] as const) {
      warm(f, inputs, attrs);
      timeIt(name, f, inputs, attrs);
    }
    warm(kernel('Conv2DBackpropInput'), { dy, filter }, inputAttrs);
    const ours = timeIt('Conv2DBackpropInput (ours)', kernel('Conv2DBackpropInput'), { dy, filter }, inputAttrs);
    const builtin = timeIt('Conv2DBackpropInput (built-in)', builtinBackpropInput, { dy, filter }, inputAttrs);
    expectClose(ours, builtin, 'Conv2DBackpropInput ours vs built-in');
    tf.dispose([x, dy, filter]);
  });
});

function smallModelShapes(): number[][] {
  const model = smallModel();
  const shapes = model.getWeights().map((w) => w.shape);
  model.dispose();
  return shapes;
}
