// Issue 17 measurement (EXPERIMENT=1 npx vitest run src/ml/wasmLayout.experiment.ts): wasm Reverse/Transpose against
// the JS passes of wasmLayout.ts over the heap (timed without readback:
// wasm kernels run synchronously inside the call).
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { setupWasmInNode } from './wasmNode';
import { flipAndSwapChannels, swapFirstAndLastAxes, type WasmHeapBackend } from './wasmLayout';

function time(name: string, f: () => tf.TensorInfo): void {
  const ts: number[] = [];
  const be = tf.backend() as unknown as { disposeData(id: object): void };
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const out = f();
    ts.push(performance.now() - t0);
    if (out instanceof tf.Tensor) out.dispose();
    else be.disposeData(out.dataId);
  }
  ts.shift();
  ts.sort((a, b) => a - b);
  console.log(`${name.padEnd(44)} median ${ts[2].toFixed(2)} ms (min ${ts[0].toFixed(2)})`);
}

it('transpose costs', async () => {
  await setupWasmInNode();
  const be = tf.backend() as unknown as WasmHeapBackend;
  for (const [ci, co] of [
    [512, 512],
    [256, 512],
    [256, 256],
    [64, 64],
  ]) {
    const w = tf.randomNormal([3, 3, ci, co]) as tf.Tensor4D;
    console.log(`--- W [3,3,${ci},${co}]`);
    time('wasm Reverse [0,1] then Transpose [0,1,3,2]', () =>
      tf.tidy(() => tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2])),
    );
    time('JS flipAndSwapChannels', () => flipAndSwapChannels(be, w));
    time('wasm Transpose [1,2,0,3] of [Ci,3,3,Co]', () => tf.transpose(w.reshape([ci, 3, 3, co]), [1, 2, 0, 3]));
    tf.dispose(w);
  }
  for (const s of [
    [32, 64, 64, 64],
    [32, 32, 32, 128],
    [32, 16, 16, 256],
    [32, 4, 4, 512],
    [32, 32, 32, 16],
  ]) {
    const x = tf.randomNormal(s);
    console.log(`--- x [${s}]`);
    time('wasm Transpose [3,1,2,0]', () => tf.transpose(x, [3, 1, 2, 0]));
    time('JS swapFirstAndLastAxes', () => swapFirstAndLastAxes(be, x));
    const ref = tf.transpose(x, [3, 1, 2, 0]);
    const got = tf.engine().makeTensorFromTensorInfo(swapFirstAndLastAxes(be, x));
    console.log('  equal:', tf.equal(ref, got).all().dataSync()[0] === 1);
    tf.dispose([ref, got]);
    x.dispose();
  }
}, 900_000);
