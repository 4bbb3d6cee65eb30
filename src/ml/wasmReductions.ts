/**
 * Sum and Mean over the leading axes (every axis but the channels) for tfjs' wasm backend, in JavaScript.
 *
 * Why: tfjs-backend-wasm 4.22 reduces only innermost axes, so for a per-channel reduction of an NHWC tensor — what
 * batch normalisation (moments, its gradient) and every bias gradient do, many times a step — it first runs a full
 * Transpose [3, 0, 1, 2], a per-element C++ loop on one thread, and then sums rows. Summing rows of the untransposed
 * tensor into one accumulator per channel is a single sequential pass (docs/performance.md: compact's step spent
 * 41 ms in 34 Sum calls and 15 ms in 11 Mean calls at batch 32).
 *
 * Only float32 inputs reduced over exactly axes 0 … rank-2 take this path; any other reduction goes to the
 * built-in kernel, unchanged. Accumulation is in float64 (at least as accurate as the built-in's float32).
 */
import * as tf from '@tensorflow/tfjs';
import type { WasmHeapBackend } from './wasmLayout';

type TensorInfo = tf.TensorInfo;

/** The axes of `x` reduced by `axis`, if they are exactly the leading ones (all but the last); else null. */
function leadingAxesReduction(x: TensorInfo, axis: number | number[]): number[] | null {
  const rank = x.shape.length;
  if (rank < 2 || x.dtype !== 'float32') return null;
  const axes = [...tf.util.parseAxisParam(axis, x.shape)].sort((a, b) => a - b);
  if (axes.length !== rank - 1) return null;
  for (let i = 0; i < axes.length; i++) if (axes[i] !== i) return null;
  return axes;
}

function reduceLeadingAxes(backend: WasmHeapBackend, x: TensorInfo, axes: number[], keepDims: boolean, mean: boolean) {
  const channels = x.shape[x.shape.length - 1];
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  const outShape = keepDims ? tf.backend_util.expandShapeToKeepDim([channels], axes) : [channels];
  const out = backend.makeOutput(outShape, 'float32');
  const src = backend.typedArrayFromHeap(x) as Float32Array; // after makeOutput, which may grow the heap
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const acc = new Float64Array(channels);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < channels; c++, i++) acc[c] += src[i];
  }
  const scale = mean ? 1 / rows : 1;
  for (let c = 0; c < channels; c++) dst[c] = acc[c] * scale;
  return out;
}

/** Wraps the built-in Sum or Mean kernel: leading-axes float32 reductions in JS, the rest to the built-in. */
export function makeLeadingAxesReduction(builtin: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = leadingAxesReduction(x, axis);
    if (axes == null || tf.util.sizeFromShape(x.shape) === 0) return builtin(args);
    return reduceLeadingAxes(args.backend as unknown as WasmHeapBackend, x, axes, keepDims, mean);
  };
}
