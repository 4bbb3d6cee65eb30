/**
 * BatchMatMul with a transposed operand, for tfjs' wasm backend.
 *
 * Why: tfjs-backend-wasm 4.22 sends a matrix product to XNNPACK only when neither operand is transposed (and the
 * batch is 1); with `transposeA` or `transposeB` it runs a scalar blocked C++ loop. A dense layer's gradients are
 * exactly those products — dW = xᵀ·dy and dx = dy·Wᵀ — so the paper model's 492,032 × 128 dense layer spent
 * 28 % of a wasm training step in BatchMatMul (docs/performance.md). Here the transposed operand (or, when cheaper,
 * the other operand and the product: A·Bᵀ = (B·Aᵀ)ᵀ) is transposed in JS (src/ml/wasmLayout.ts) and the built-in
 * kernel then takes its XNNPACK path. Batched products (a batch dimension > 1) and non-float32 go to the built-in
 * unchanged.
 */
import type * as tf from '@tensorflow/tfjs';
import { transposeMatrix, type WasmHeapBackend } from './wasmLayout';

type TensorInfo = tf.TensorInfo;

interface WasmBackendLike extends WasmHeapBackend {
  disposeData(dataId: object): boolean;
}

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

export function makeBatchMatMul(builtin: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const unbatched = size(a.shape.slice(0, -2)) === 1 && size(b.shape.slice(0, -2)) === 1;
    if ((!transposeA && !transposeB) || !unbatched || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return builtin(args);
    }
    const backend = args.backend as unknown as WasmBackendLike;
    const [aRows, aCols] = a.shape.slice(-2);
    const [bRows, bCols] = b.shape.slice(-2);
    const m = transposeA ? aCols : aRows;
    const n = transposeB ? bRows : bCols;
    const outer = (a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2);
    const plain = (x: TensorInfo, y: TensorInfo) =>
      builtin({ ...args, inputs: { a: x, b: y }, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    const t = (x: TensorInfo, rows: number, cols: number) => transposeMatrix(backend, x, rows, cols, [cols, rows]);
    const temps: TensorInfo[] = [];
    let out: TensorInfo;
    try {
      if (transposeA && transposeB) {
        // Aᵀ·Bᵀ = (B·A)ᵀ: one transpose, of the product.
        const product = plain(b, a) as TensorInfo; // [n, m]
        temps.push(product);
        out = t(product, n, m);
      } else if (transposeA) {
        const aT = t(a, aRows, aCols); // [m, k]
        temps.push(aT);
        out = plain(aT, b) as TensorInfo;
      } else if (size(b.shape) <= size(a.shape) + m * n) {
        const bT = t(b, bRows, bCols); // [k, n]
        temps.push(bT);
        out = plain(a, bT) as TensorInfo;
      } else {
        // A·Bᵀ = (B·Aᵀ)ᵀ: cheaper when B is the big operand (a dense layer's weights in dx = dy·Wᵀ).
        const aT = t(a, aRows, aCols); // [k, m]
        temps.push(aT);
        const product = plain(b, aT) as TensorInfo; // [n, m]
        temps.push(product);
        out = t(product, n, m);
      }
    } finally {
      for (const x of temps) backend.disposeData(x.dataId);
    }
    out.shape = [...outer, m, n];
    return out;
  };
}
