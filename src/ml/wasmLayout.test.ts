import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { setupWasmInNode } from './wasmNode';
import { flipAndSwapChannels, swapFirstAndLastAxes, type WasmHeapBackend } from './wasmLayout';

/** Runs a layout pass on the wasm backend and returns its output as a tracked tensor. */
function viaPass(pass: (b: WasmHeapBackend, x: tf.TensorInfo) => tf.TensorInfo, x: tf.Tensor): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(pass(tf.backend() as unknown as WasmHeapBackend, x));
}

function expectSame(got: tf.Tensor, want: tf.Tensor): void {
  expect(got.shape).toEqual(want.shape);
  // Pure data movement: bit-identical, not approximately equal.
  expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
}

describe('wasm layout passes (JS over the wasm heap)', () => {
  beforeAll(async () => {
    await setupWasmInNode();
  });

  // Shapes around the 32-element tile and the 8-pixel block: smaller, equal, not a multiple, non-square kernels.
  const filterShapes: [number, number, number, number][] = [
    [3, 3, 5, 7],
    [3, 3, 32, 32],
    [3, 3, 33, 70],
    [5, 2, 64, 3],
    [1, 1, 1, 1],
  ];
  it.each(filterShapes)('flipAndSwapChannels [%i,%i,%i,%i] = transpose(reverse(w, [0,1]), [0,1,3,2])', (...shape) => {
    const w = tf.randomNormal(shape);
    const got = viaPass(flipAndSwapChannels, w);
    const want = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]);
    expectSame(got, want);
    tf.dispose([w, got, want]);
  });

  const activationShapes: [number, number, number, number][] = [
    [2, 3, 5, 7],
    [32, 4, 4, 64],
    [3, 7, 9, 33],
    [1, 1, 1, 5],
    [5, 1, 1, 1],
  ];
  it.each(activationShapes)('swapFirstAndLastAxes [%i,%i,%i,%i] = transpose(x, [3,1,2,0])', (...shape) => {
    const x = tf.randomNormal(shape);
    const got = viaPass(swapFirstAndLastAxes, x);
    const want = tf.transpose(x, [3, 1, 2, 0]);
    expectSame(got, want);
    tf.dispose([x, got, want]);
  });

  it('reads its input after allocating its output, so a heap that grows in between is no problem', () => {
    // 64 MiB output: more than the heap holds after the earlier tests, so makeOutput grows the wasm memory and
    // every view taken before would be detached.
    const x = tf.randomNormal([16, 32, 32, 1024]);
    const got = viaPass(swapFirstAndLastAxes, x);
    const want = tf.transpose(x, [3, 1, 2, 0]);
    expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0]).toBe(0);
    tf.dispose([x, got, want]);
  });

  it('refuses a non-float32 input instead of reinterpreting its bytes', () => {
    const x = tf.ones([1, 1, 2, 2], 'int32');
    expect(() => viaPass(flipAndSwapChannels, x)).toThrow(/float32/);
    x.dispose();
  });
});
