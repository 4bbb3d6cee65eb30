// Issue 17 measurement (EXPERIMENT=1 npx vitest run src/ml/wasmMatMul.experiment.ts): the paper model's dense-layer
// gradients on wasm, tfjs' BatchMatMul (scalar loop for transposed operands) against ours (src/ml/wasmMatMul.ts).
import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setupWasmInNode } from './wasmNode';

const builtin = tf.getKernel('BatchMatMul', 'wasm')!; // captured before setupWasmInNode wraps it

it('dense gradients', async () => {
  await setupWasmInNode();
  const backend = tf.backend();
  const batch = Number(process.env.MM_BATCH ?? 8);
  const k = Number(process.env.MM_K ?? 492032);
  const x = tf.randomNormal([batch, k]);
  const w = tf.randomNormal([k, 128]);
  const dy = tf.randomNormal([batch, 128]);
  const timeIt = (name: string, f: () => tf.TensorInfo) => {
    const ts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const out = f();
      ts.push(performance.now() - t0);
      (backend as unknown as { disposeData(id: object): void }).disposeData(out.dataId);
    }
    ts.sort((a, b) => a - b);
    console.log(`${name.padEnd(36)} median ${ts[1].toFixed(0)} ms`);
  };
  const call = (f: tf.KernelFunc, a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean) =>
    f({ inputs: { a, b }, backend, attrs: { transposeA: ta, transposeB: tb } }) as tf.TensorInfo;
  const ours = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  console.log(`x [${batch}, ${k}], W [${k}, 128]`);
  timeIt('forward x·W (both: XNNPACK)', () => call(ours, x, w, false, false));
  timeIt('dW = xᵀ·dy, tfjs', () => call(builtin.kernelFunc, x, dy, true, false));
  timeIt('dW = xᵀ·dy, ours', () => call(ours, x, dy, true, false));
  timeIt('dx = dy·Wᵀ, tfjs', () => call(builtin.kernelFunc, dy, w, false, true));
  timeIt('dx = dy·Wᵀ, ours', () => call(ours, dy, w, false, true));
  tf.dispose([x, w, dy]);
}, 600_000);
