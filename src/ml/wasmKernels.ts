/**
 * Training kernels for tfjs' wasm backend.
 *
 * tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` (so a conv net cannot be trained on it at all) and its
 * `Conv2DBackpropInput` is a plain scalar C++ loop. Both gradients are convolutions themselves, so we express
 * them as FORWARD convolutions and run them on the backend's own XNNPACK-backed `Conv2D` kernel:
 *
 *  - dW: x' = transpose(x, [3,1,2,0])  → [Cin, H, W, B]     (the batch becomes the channel axis)
 *        f' = transpose(dy, [1,2,0,3]) → [OH, OW, B, Cout]  (dy becomes the filter)
 *        conv2d(x', f', stride 1, dilation = forward stride, explicit pads) → [Cin, KH, KW, Cout]
 *        transpose [1,2,0,3] → [KH, KW, Cin, Cout]
 *  - dx (stride 1 only): conv2d(dy, W') with W' = transpose(reverse(W, [0,1]), [0,1,3,2]) → [KH, KW, Cout, Cin]
 *        and pads KH-1-padTop / KH-1-padBottom / KW-1-padLeft / KW-1-padRight ("full" correlation).
 *        Other strides (and pads > kernel-1) go to the backend's built-in kernel.
 *
 * Explicit padding: the wasm `Conv2D` kernel takes `pad` as `[[0,0],[top,bottom],[left,right],[0,0]]`;
 * `backend_util.computeConv2DInfo` turns that into padInfo type 'EXPLICIT' and the JS kernel hands
 * top/right/bottom/left to C++ with isSamePad = 0, where they go straight into
 * `xnn_create_convolution2d_nhwc_f32` (tfjs-backend-wasm/src/cc/conv2d_impl.cc: the pads are only zeroed when
 * isSamePad is set). So no PadV2 pass is needed; the tests check this against the cpu backend.
 *
 * MaxPoolGrad is replaced too (src/ml/wasmMaxPoolGrad.ts: the built-in is wrong for all-negative windows), per-channel
 * Sum/Mean skip the built-in's Transpose (src/ml/wasmReductions.ts), and the layout changes around the convolutions
 * that tfjs runs slowly are JS passes over the heap (src/ml/wasmLayout.ts).
 *
 * Everything here calls the wasm backend's kernelFuncs directly with TensorInfos, never tf ops: no tensors are
 * tracked by the engine inside our kernels, and every intermediate is released with `backend.disposeData`.
 * Releasing the temporary filters matters twice: their heap memory, and the XNNPACK operator (with its packed
 * weights) that the wasm Conv2D caches per filter id and deletes only when that filter id is disposed.
 */
import * as tf from '@tensorflow/tfjs';
// Side effect: registers the 'wasm' backend and its kernels, which we wrap / call below.
import '@tensorflow/tfjs-backend-wasm';
import { flipAndSwapChannels, swapFirstAndLastAxes, type WasmHeapBackend } from './wasmLayout';
import { maxPoolGradWasm } from './wasmMaxPoolGrad';
import { makeLeadingAxesReduction } from './wasmReductions';
import { backpropFilterInfo, isNHWC, type BackpropFilterAttrs, type ConvPad, type RoundingMode } from './convAttrs';

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelFunc;
type Backend = Parameters<KernelFunc>[0]['backend'];
type NamedAttrMap = NonNullable<Parameters<KernelFunc>[0]['attrs']>;

/** The part of BackendWasm we use. */
interface WasmBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

const BACKEND = 'wasm';
/** Marks our kernelFuncs so a second registration (HMR, a second module instance) can see them. */
const MARK = '__lookalikeWasmTrainingKernel';

function kernelFuncOf(name: string): KernelFunc {
  const config = tf.getKernel(name, BACKEND);
  if (config == null) {
    throw new Error(
      `wasmKernels: kernel '${name}' is not registered for the wasm backend ` +
        `(is @tensorflow/tfjs-backend-wasm loaded into the same tfjs instance?)`,
    );
  }
  return config.kernelFunc;
}

function run(name: string, backend: Backend, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
  const out = kernelFuncOf(name)({ inputs, backend, attrs });
  if (Array.isArray(out)) throw new Error(`wasmKernels: kernel '${name}' returned several outputs`);
  return out;
}

function free(backend: Backend, ...infos: TensorInfo[]): void {
  for (const info of infos) (backend as WasmBackendLike).disposeData(info.dataId);
}

function heap(backend: Backend): WasmHeapBackend {
  return backend as unknown as WasmHeapBackend;
}

function transpose(backend: Backend, x: TensorInfo, perm: number[]): TensorInfo {
  return run('Transpose', backend, { x }, { perm });
}

/** A wasm Conv2D (XNNPACK), NHWC, stride 1, explicit [top, bottom, left, right] pads. */
function conv(
  backend: Backend,
  x: TensorInfo,
  filter: TensorInfo,
  [top, bottom, left, right]: [number, number, number, number],
  dilations: [number, number] = [1, 1],
): TensorInfo {
  return run(
    'Conv2D',
    backend,
    { x, filter },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations,
    },
  );
}

/**
 * Conv2DBackpropFilter (inputs {x, dy}; attrs {strides, pad, dataFormat, dimRoundingMode, filterShape}).
 *
 * Strides ≠ 1 are handled too, with the same single forward conv: dW[kh,kw,ci,co] =
 * Σ_{b,oh,ow} xpad[b, oh·s+kh, ow·s+kw, ci] · dy[b,oh,ow,co] is a correlation of x' with dy' DILATED by the
 * forward stride, so the wasm Conv2D runs it with dilations = strides (XNNPACK supports dilation). The
 * bottom/right pads are chosen so the output is exactly KH×KW; when the forward conv never reached the last
 * rows/columns of x that would be a negative pad, so we pad 0 and Slice the surplus off. Dilations ≠ 1 of the
 * forward conv never reach here: tfjs' Conv2D gradient asserts dilation 1. NCHW throws (the wasm Conv2D does
 * not support it either, so such a forward pass cannot exist on this backend).
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const filterAttrs = attrs as unknown as BackpropFilterAttrs;
  const { dataFormat, filterShape } = filterAttrs;
  if (!isNHWC(dataFormat)) {
    throw new Error(`wasmKernels: Conv2DBackpropFilter supports only NHWC, got dataFormat '${String(dataFormat)}'`);
  }
  const info = backpropFilterInfo(x.shape, filterAttrs);
  const [kh, kw, cin, cout] = filterShape;
  const [, inH, inW] = x.shape;
  const [, outH, outW] = dy.shape;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  // Pads that make the dilated correlation produce exactly kh × kw (equal to padInfo's for stride 1).
  const bottom = kh + (outH - 1) * sh - inH - top;
  const right = kw + (outW - 1) * sw - inW - left;

  const xT = swapFirstAndLastAxes(heap(backend), x); // [Cin, H, W, B]: transpose(x, [3, 1, 2, 0]), faster
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [OH, OW, B, Cout]
  let g: TensorInfo;
  try {
    g = conv(backend, xT, dyT, [top, Math.max(0, bottom), left, Math.max(0, right)], [sh, sw]);
  } finally {
    free(backend, xT, dyT);
  }
  if (g.shape[1] !== kh || g.shape[2] !== kw) {
    const cropped = run('Slice', backend, { x: g }, { begin: [0, 0, 0, 0], size: [cin, kh, kw, cout] });
    free(backend, g);
    g = cropped;
  }
  const dw = transpose(backend, g, [1, 2, 0, 3]); // [KH, KW, Cin, Cout]
  free(backend, g);
  return dw;
};

/**
 * Conv2DBackpropInput (inputs {dy, filter}; attrs {strides, pad, dataFormat, dimRoundingMode, inputShape}).
 * Stride 1 NHWC with pads within [0, kernel-1]: one XNNPACK conv of dy with the flipped, in/out-swapped filter.
 * Anything else is delegated to the wasm backend's built-in kernel.
 */
function makeConv2DBackpropInput(builtin: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
      strides: number | [number, number];
      pad: ConvPad;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: RoundingMode;
      inputShape: [number, number, number, number];
    };
    if (!isNHWC(dataFormat)) return builtin(args);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { filterHeight: kh, filterWidth: kw } = info;
    const { top, bottom, left, right } = info.padInfo;
    const pads: [number, number, number, number] = [kh - 1 - top, kh - 1 - bottom, kw - 1 - left, kw - 1 - right];
    const fast =
      info.strideHeight === 1 &&
      info.strideWidth === 1 &&
      pads.every((p) => p >= 0) &&
      dy.shape[1] + pads[0] + pads[1] - kh + 1 === inputShape[1] &&
      dy.shape[2] + pads[2] + pads[3] - kw + 1 === inputShape[2];
    if (!fast) return builtin(args);

    // = transpose(reverse(filter, [0, 1]), [0, 1, 3, 2]) in one JS pass: 6 ms instead of 82 for 3×3×512×512.
    const w = flipAndSwapChannels(heap(backend), filter); // [KH, KW, Cout, Cin]
    try {
      return conv(backend, dy, w, pads);
    } finally {
      free(backend, w);
    }
  };
}

let registered = false;

/** Registers the wasm training kernels. Idempotent; safe to call before or after `tf.setBackend('wasm')`. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  const existingInput = tf.getKernel('Conv2DBackpropInput', BACKEND);
  if (existingInput == null) {
    throw new Error('wasmKernels: the wasm backend is not loaded (no Conv2DBackpropInput kernel for wasm)');
  }
  // Another copy of this module may already have registered: never wrap our own wrapper.
  if ((existingInput.kernelFunc as unknown as Record<string, unknown>)[MARK] === true) {
    registered = true;
    return;
  }
  const filterFunc = conv2DBackpropFilter;
  const inputFunc = makeConv2DBackpropInput(existingInput.kernelFunc);
  for (const f of [filterFunc, inputFunc, maxPoolGradWasm]) Object.defineProperty(f, MARK, { value: true });

  if (tf.getKernel('Conv2DBackpropFilter', BACKEND) != null) tf.unregisterKernel('Conv2DBackpropFilter', BACKEND);
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: BACKEND, kernelFunc: filterFunc });

  // Keep the built-in's setup/dispose hooks: its cwrap'd C++ function is bound in setupFunc when the backend
  // initialises, and we still delegate strided cases to it.
  tf.unregisterKernel('Conv2DBackpropInput', BACKEND);
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: BACKEND,
    kernelFunc: inputFunc,
    setupFunc: existingInput.setupFunc,
    disposeFunc: existingInput.disposeFunc,
  });
  // MaxPoolGrad: the built-in loses the gradient of all-negative windows and is slow (src/ml/wasmMaxPoolGrad.ts).
  if (tf.getKernel('MaxPoolGrad', BACKEND) != null) tf.unregisterKernel('MaxPoolGrad', BACKEND);
  tf.registerKernel({ kernelName: 'MaxPoolGrad', backendName: BACKEND, kernelFunc: maxPoolGradWasm });
  // Per-channel Sum/Mean without the built-in's Transpose first (src/ml/wasmReductions.ts).
  for (const [name, mean] of [
    ['Sum', false],
    ['Mean', true],
  ] as const) {
    const builtin = tf.getKernel(name, BACKEND)!;
    const kernelFunc = makeLeadingAxesReduction(builtin.kernelFunc, mean);
    Object.defineProperty(kernelFunc, MARK, { value: true });
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({ ...builtin, kernelFunc });
  }
  registered = true;
}
