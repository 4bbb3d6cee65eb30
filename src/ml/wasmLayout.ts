/**
 * Layout changes for the wasm training kernels, done in JavaScript directly on the wasm heap.
 *
 * Why: tfjs-backend-wasm's `Reverse` and `Transpose` are per-element C++ loops that decompose every index and run
 * on one thread. Preparing the input-gradient filter of a 3×3×512×512 convolution with them (Reverse, then
 * Transpose) took ≈ 110 ms in Node, longer than the convolution it feeds on two threads; vgg16 has six such layers
 * per step. A tiled JavaScript pass over the same heap memory does it in a few milliseconds (docs/performance.md).
 *
 * Each function allocates its output with the backend's `makeOutput` (which may grow the heap, so the views are
 * taken after it) and returns a TensorInfo owned by the caller, like a kernel's output.
 */
import type * as tf from '@tensorflow/tfjs';

type TensorInfo = tf.TensorInfo;

/** The part of BackendWasm these passes use (public methods of tfjs-backend-wasm 4.22's BackendWasm). */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function requireFloat32(info: TensorInfo): void {
  if (info.dtype !== 'float32') throw new Error(`wasmLayout: expected float32, got ${info.dtype}`);
}

function f32(backend: WasmHeapBackend, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Square tiles of this many elements a side keep both the read and the write side of a transpose in L1. */
const TILE = 32;
/** Pixels per block in swapFirstAndLastAxes. */
const PIXEL_BLOCK = 8;

/**
 * filter [KH, KW, Cin, Cout] → [KH, KW, Cout, Cin], spatially flipped: out[kh][kw][o][i] = w[KH-1-kh][KW-1-kw][i][o].
 * The filter of the "full" correlation that gives a stride-1 convolution's input gradient. Flipping both spatial
 * axes reverses the order of the KH·KW taps, so each tap is one tiled 2-D transpose of a Cin × Cout block.
 */
export function flipAndSwapChannels(backend: WasmHeapBackend, filter: TensorInfo): TensorInfo {
  requireFloat32(filter);
  const [kh, kw, cin, cout] = filter.shape;
  const out = backend.makeOutput([kh, kw, cout, cin], 'float32');
  const src = f32(backend, filter);
  const dst = f32(backend, out);
  const taps = kh * kw;
  const block = cin * cout;
  for (let t = 0; t < taps; t++) {
    const s0 = (taps - 1 - t) * block;
    const d0 = t * block;
    for (let i0 = 0; i0 < cin; i0 += TILE) {
      const i1 = Math.min(cin, i0 + TILE);
      for (let o0 = 0; o0 < cout; o0 += TILE) {
        const o1 = Math.min(cout, o0 + TILE);
        for (let i = i0; i < i1; i++) {
          const sRow = s0 + i * cout;
          for (let o = o0; o < o1; o++) dst[d0 + o * cin + i] = src[sRow + o];
        }
      }
    }
  }
  return out;
}

/**
 * [A, H, W, D] → [D, H, W, A] (perm [3, 1, 2, 0]): the weight gradient's input with the batch moved to the channel
 * axis. Per pixel it is an A × D → D × A transpose, done for blocks of PIXEL_BLOCK pixels at a time (an untiled
 * pixel-by-pixel loop was no faster than tfjs'). tfjs' Transpose took 86 ms for [32, 64, 64, 64] in Node, this 33
 * (docs/performance.md).
 */
export function swapFirstAndLastAxes(backend: WasmHeapBackend, x: TensorInfo): TensorInfo {
  requireFloat32(x);
  const [a, h, w, d] = x.shape;
  const out = backend.makeOutput([d, h, w, a], 'float32');
  const src = f32(backend, x);
  const dst = f32(backend, out);
  const pixels = h * w;
  // Blocks of PIXEL_BLOCK pixels: their a·d source values (64 KiB for a = 32, d = 64) stay in cache while each of
  // the d output rows gets one contiguous run of PIXEL_BLOCK·a values.
  for (let p0 = 0; p0 < pixels; p0 += PIXEL_BLOCK) {
    const p1 = Math.min(pixels, p0 + PIXEL_BLOCK);
    for (let k = 0; k < d; k++) {
      let o = (k * pixels + p0) * a;
      for (let p = p0; p < p1; p++) {
        for (let i = 0, s = p * d + k; i < a; i++, s += pixels * d) dst[o++] = src[s];
      }
    }
  }
  return out;
}
