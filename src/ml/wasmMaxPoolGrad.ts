/**
 * MaxPoolGrad for tfjs' wasm backend, in JavaScript over the wasm heap.
 *
 * Two reasons to replace tfjs-backend-wasm 4.22's kernel:
 *  - It is wrong for windows whose values are all ≤ 0. Its running maximum starts at
 *    `std::numeric_limits<float>::min()` (the smallest POSITIVE float, not the lowest), so in such a window no value
 *    ever replaces it and the window's gradient is sent to flat offset 0 of the input instead of to its maximum.
 *    The compact model pools batch-norm outputs, about half of them negative: a 2×2 window is all-negative about
 *    one time in sixteen, and those gradients were lost (`wasmMaxPoolGrad.test.ts` shows it against the cpu backend).
 *  - It is slow: it walks every input element and searches the windows that contain it (≈ 80 ms of a 420-ms compact
 *    step at batch 32 on this machine). One pass over the windows, keeping a running maximum per channel, is
 *    memory-bound.
 *
 * Semantics are the cpu backend's (`maxPoolPositions`): the first maximum in row-major window order wins on ties,
 * padding never wins, and dx is the sum of dy over the windows whose maximum an element is (overlapping windows
 * add up). Any strides, filter sizes and paddings that computePool2DInfo accepts; dilation is always 1 for
 * MaxPoolGrad in tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from './wasmLayout';

type TensorInfo = tf.TensorInfo;

interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export const maxPoolGradWasm: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`wasmMaxPoolGrad: expected float32 inputs, got ${input.dtype} and ${dy.dtype}`);
  }
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const heap = backend as unknown as WasmHeapBackend;
  const out = heap.makeOutput(input.shape, 'float32');
  // Views after makeOutput: it may grow (and so detach) the heap.
  const x = heap.typedArrayFromHeap(input) as Float32Array;
  const g = heap.typedArrayFromHeap(dy) as Float32Array;
  const dx = heap.typedArrayFromHeap(out) as Float32Array;
  dx.fill(0); // makeOutput's memory is not cleared

  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * inWidth * c;
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * strideHeight - top;
      const hStart = Math.max(0, h0);
      const hEnd = Math.min(inHeight, h0 + filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * strideWidth - left;
        const wStart = Math.max(0, w0);
        const wEnd = Math.min(inWidth, w0 + filterWidth);
        best.fill(-Infinity);
        where.fill(-1);
        for (let h = hStart; h < hEnd; h++) {
          for (let w = wStart; w < wEnd; w++) {
            const base = xBatch + (h * inWidth + w) * c;
            for (let k = 0; k < c; k++) {
              const v = x[base + k];
              if (v > best[k]) {
                best[k] = v;
                where[k] = base + k;
              }
            }
          }
        }
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * c;
        for (let k = 0; k < c; k++) if (where[k] >= 0) dx[where[k]] += g[dyBase + k];
      }
    }
  }
  return out;
};
