/**
 * Kernel fixes for tfjs' WebGPU backend (issue 8: "WebGPU is not slower than WebGL").
 *
 * Broadcast binary ops. tfjs-backend-webgpu 4.22's BinaryOpProgram takes a "shared memory" path whenever one
 * operand is 1-D with fewer than 128 elements and the other has rank > 1: every workgroup copies the vector into
 * workgroup memory and waits on a `workgroupBarrier()`. That is exactly a batch norm's or a bias's per-channel
 * vector against an NHWC activation, so a training step is full of them (Multiply, Sub, Add, RealDiv …). On
 * SwiftShader (WebGPU on the CPU, these machines) the barrier is ruinous: `[8,64,64,16] * [16]` took 206–250 ms
 * against 6.7 ms for the same product with the vector reshaped to `[1,1,1,16]`, which takes the plain vec4 path
 * (measured in a module worker, Chromium 156; WebGL: 2.8 ms). Reshaping a 1-D operand to the other operand's rank
 * (leading 1s) does not change the broadcast result, and a reshape on WebGPU is free (same buffer, one more ref).
 *
 * The wrappers call the backend's own kernelFuncs with TensorInfos (no engine-tracked tensors), and release the
 * reshaped views with `backend.disposeData`. `LOOKALIKE_WEBGPU_KERNELS` (a tfjs flag, default true) turns them
 * off at run time, so the bench can compare both in one page (`BENCH_TF_FLAGS='{"LOOKALIKE_WEBGPU_KERNELS":false}'`).
 *
 * Also here: Conv2DBackpropFilter and the forward convolution (Conv2D, FusedConv2D with bias and linear/relu) as
 * WGSL shaders without workgroup memory (sections below). `LOOKALIKE_WEBGPU_CONV_FORWARD` (default true) turns off
 * the forward convolution alone, for an A/B of that kernel (`BENCH_TF_FLAGS='{"LOOKALIKE_WEBGPU_CONV_FORWARD":false}'`).
 */
import * as tf from '@tensorflow/tfjs';
// Side effect: registers the 'webgpu' backend and its kernels, which we wrap below.
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { backpropFilterInfo, isNHWC, type BackpropFilterAttrs, type ConvPad, type RoundingMode } from './convAttrs';

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelFunc;
type Backend = Parameters<KernelFunc>[0]['backend'];

const BACKEND = 'webgpu';
const MARK = '__lookalikeWebgpuKernel';
export const WEBGPU_KERNELS_FLAG = 'LOOKALIKE_WEBGPU_KERNELS';
/** Our forward convolution (Conv2D, FusedConv2D) only, for an A/B of that kernel alone (default true; needs the flag above too). */
export const WEBGPU_CONV_FORWARD_FLAG = 'LOOKALIKE_WEBGPU_CONV_FORWARD';

/** Every tfjs-backend-webgpu 4.22 kernel built on BinaryOpProgram (kernels/*.js using binaryKernelFunc). */
export const BINARY_KERNELS = [
  'Add',
  'Atan2',
  'Equal',
  'FloorDiv',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
  'LogicalAnd',
  'LogicalOr',
  'Maximum',
  'Minimum',
  'Mod',
  'Multiply',
  'NotEqual',
  'Pow',
  'RealDiv',
  'SquaredDifference',
  'Sub',
] as const;

/** BinaryOpProgram's shared-memory condition for operand `v` against the other operand `o` (4.22 source). */
function takesSharedPath(v: readonly number[], o: readonly number[]): boolean {
  return v.length <= 1 && o.length > 1 && v[0] < 128;
}

/**
 * The shapes to hand the built-in binary kernel so it never takes the shared-memory path: a 1-D operand of
 * fewer than 128 elements facing a higher-rank one becomes [1, …, 1, n] of that rank. Null when nothing changes.
 */
export function broadcastReshapes(
  a: readonly number[],
  b: readonly number[],
): { a: number[] | null; b: number[] | null } | null {
  const lift = (v: readonly number[], rank: number) => [...new Array<number>(rank - 1).fill(1), v[0]];
  const liftA = takesSharedPath(a, b);
  const liftB = takesSharedPath(b, a);
  if (!liftA && !liftB) return null;
  return { a: liftA ? lift(a, b.length) : null, b: liftB ? lift(b, a.length) : null };
}

interface WebGpuBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

function reshape(backend: Backend, x: TensorInfo, shape: number[]): TensorInfo {
  const config = tf.getKernel('Reshape', BACKEND);
  if (config == null) throw new Error("webgpuKernels: no 'Reshape' kernel for webgpu");
  return config.kernelFunc({ inputs: { x }, backend, attrs: { shape } }) as TensorInfo;
}

function makeBinary(builtin: KernelFunc): KernelFunc {
  return (args) => {
    if (!tf.env().getBool(WEBGPU_KERNELS_FLAG)) return builtin(args);
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const shapes = a && b ? broadcastReshapes(a.shape, b.shape) : null;
    if (shapes == null) return builtin(args);
    const views: TensorInfo[] = [];
    const view = (t: TensorInfo, shape: number[] | null) => {
      if (shape == null) return t;
      const v = reshape(args.backend, t, shape);
      views.push(v);
      return v;
    };
    try {
      return builtin({ ...args, inputs: { ...args.inputs, a: view(a, shapes.a), b: view(b, shapes.b) } });
    } finally {
      for (const v of views) (args.backend as unknown as WebGpuBackendLike).disposeData(v.dataId);
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// Conv2DBackpropFilter without workgroup memory. tfjs' Conv2DDerFilterProgram gives each invocation ONE weight
// and a scalar loop over the whole batch × output plane (0.07–0.1 GFLOP/s on SwiftShader). Here one invocation
// owns 4 input channels × 4 output channels (16 accumulators, vec4 loads of dy and, when Cin % 4 == 0, of x),
// with the valid output rows/columns of its (kh, kw) computed up front (no per-element bounds test), and the
// batch split into S partial sums when there are too few invocations to keep the CPU's threads busy, added up by
// a second tiny program.
// ---------------------------------------------------------------------------------------------------------

/** Work split for the weight gradient: S partial sums over the batch (S = 1: none). Pure, for the tests. */
export function derFilterSplit(
  batch: number,
  kh: number,
  kw: number,
  cin: number,
  cout: number,
  target = 1024,
): number {
  const base = kh * kw * Math.ceil(cin / 4) * (cout / 4);
  return Math.max(1, Math.min(batch, Math.ceil(target / base)));
}

const WORKGROUP: [number, number, number] = [64, 1, 1];

function flatDispatch(invocations: number): [number, number, number] {
  return webgpu_util.computeDispatch({ x: [0] }, [invocations], WORKGROUP);
}

/** The NHWC convolution both WGSL kernels are generated for (from backend_util.computeConv2DInfo). */
interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  cin: number;
  outH: number;
  outW: number;
  cout: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

interface DerFilterShape extends ConvGeometry {
  splits: number;
}

function derFilterProgram(c: DerFilterShape): WebGPUProgram {
  const vecX = c.cin % 4 === 0;
  const cinB = Math.ceil(c.cin / 4);
  const coutV = c.cout / 4;
  const perSplit = Math.ceil(c.batch / c.splits);
  const invocations = c.splits * c.kh * c.kw * cinB * coutV;
  const n = c.kh * c.kw * c.cin * c.cout;
  const xLoad = vecX
    ? 'let xv = x[xo / 4];'
    : `let xv = vec4<f32>(x[xo], ${[1, 2, 3].map((j) => `select(0.0, x[min(xo + ${j}, xMax)], ci0 + ${j} < ${c.cin})`).join(', ')});`;
  const program = {
    variableNames: ['x', 'dy'],
    variableComponents: [vecX ? 4 : 1, 4],
    outputShape: [c.splits * n],
    dispatchLayout: { x: [0] },
    dispatch: flatDispatch(invocations),
    workgroupSize: WORKGROUP,
    // The invocation count is a uniform so the shader reads the uniform buffer: a pipeline whose shader uses no
    // uniform has no binding 3 in its auto layout, and tfjs always binds one (a validation error, all zeros).
    uniforms: 'count : i32,',
    shaderKey: `lookalikeDerFilter_${JSON.stringify(c)}`,
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.count) { return; }
        let co4 = index % ${coutV};
        var t = index / ${coutV};
        let cib = t % ${cinB};
        t = t / ${cinB};
        let kwi = t % ${c.kw};
        t = t / ${c.kw};
        let khi = t % ${c.kh};
        let s = t / ${c.kh};
        let ci0 = cib * 4;
        let xMax = ${c.batch * c.inH * c.inW * c.cin - 1};
        // Output rows/cols whose input row/col (o * stride + k - pad) lies inside the image.
        let ry = ${c.padTop} - khi;
        let rx = ${c.padLeft} - kwi;
        let oyLo = select(0, (ry + ${c.strideH - 1}) / ${c.strideH}, ry > 0);
        let oxLo = select(0, (rx + ${c.strideW - 1}) / ${c.strideW}, rx > 0);
        let oyHi = select(0, min(${c.outH}, (${c.inH - 1} + ry) / ${c.strideH} + 1), ${c.inH - 1} + ry >= 0);
        let oxHi = select(0, min(${c.outW}, (${c.inW - 1} + rx) / ${c.strideW} + 1), ${c.inW - 1} + rx >= 0);
        var a0 = vec4<f32>(0.0);
        var a1 = vec4<f32>(0.0);
        var a2 = vec4<f32>(0.0);
        var a3 = vec4<f32>(0.0);
        let bEnd = min(${c.batch}, (s + 1) * ${perSplit});
        for (var b = s * ${perSplit}; b < bEnd; b++) {
          for (var oy = oyLo; oy < oyHi; oy++) {
            let iy = oy * ${c.strideH} - ry;
            let dyRow = ((b * ${c.outH} + oy) * ${c.outW}) * ${coutV} + co4;
            let xRow = ((b * ${c.inH} + iy) * ${c.inW}) * ${c.cin} + ci0;
            for (var ox = oxLo; ox < oxHi; ox++) {
              let ix = ox * ${c.strideW} - rx;
              let g = dy[dyRow + ox * ${coutV}];
              let xo = xRow + ix * ${c.cin};
              ${xLoad}
              a0 = fma(vec4<f32>(xv.x), g, a0);
              a1 = fma(vec4<f32>(xv.y), g, a1);
              a2 = fma(vec4<f32>(xv.z), g, a2);
              a3 = fma(vec4<f32>(xv.w), g, a3);
            }
          }
        }
        let o = s * ${n} + ((khi * ${c.kw} + kwi) * ${c.cin} + ci0) * ${c.cout} + co4 * 4;
        for (var k = 0; k < 4; k++) {
          result[o + k] = a0[k];
          if (ci0 + 1 < ${c.cin}) { result[o + ${c.cout} + k] = a1[k]; }
          if (ci0 + 2 < ${c.cin}) { result[o + ${2 * c.cout} + k] = a2[k]; }
          if (ci0 + 3 < ${c.cin}) { result[o + ${3 * c.cout} + k] = a3[k]; }
        }
      }`,
  };
  return program as unknown as WebGPUProgram;
}

/** Sums `splits` consecutive blocks of n floats: [splits * n] → [n]. */
function sumSplitsProgram(n: number, splits: number): WebGPUProgram {
  const program = {
    variableNames: ['p'],
    outputShape: [n],
    dispatchLayout: { x: [0] },
    dispatch: flatDispatch(n),
    workgroupSize: WORKGROUP,
    uniforms: 'count : i32,',
    shaderKey: `lookalikeSumSplits_${n}_${splits}`,
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.count) { return; }
        var acc = 0.0;
        for (var s = 0; s < ${splits}; s++) { acc += p[s * ${n} + index]; }
        result[index] = acc;
      }`,
  };
  return program as unknown as WebGPUProgram;
}

function makeConv2DBackpropFilter(builtin: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const filterAttrs = args.attrs as unknown as BackpropFilterAttrs;
    const { dataFormat, filterShape } = filterAttrs;
    if (
      !tf.env().getBool(WEBGPU_KERNELS_FLAG) ||
      !isNHWC(dataFormat) ||
      filterShape[3] % 4 !== 0 ||
      x.dtype !== 'float32'
    ) {
      return builtin(args);
    }
    const info = backpropFilterInfo(x.shape, filterAttrs);
    const [kh, kw, cin, cout] = filterShape;
    const splits = derFilterSplit(info.batchSize, kh, kw, cin, cout);
    const backend = args.backend as unknown as WebGPUBackend;
    const partial = backend.runWebGPUProgram(
      derFilterProgram({
        batch: info.batchSize,
        inH: info.inHeight,
        inW: info.inWidth,
        cin,
        outH: info.outHeight,
        outW: info.outWidth,
        cout,
        kh,
        kw,
        strideH: info.strideHeight,
        strideW: info.strideWidth,
        padTop: info.padInfo.top,
        padLeft: info.padInfo.left,
        splits,
      }),
      [x, dy],
      'float32',
      [{ type: 'int32', data: [splits * kh * kw * Math.ceil(cin / 4) * (cout / 4)] }],
    );
    let flat = partial;
    if (splits > 1) {
      flat = backend.runWebGPUProgram(sumSplitsProgram(kh * kw * cin * cout, splits), [partial], 'float32', [
        { type: 'int32', data: [kh * kw * cin * cout] },
      ]);
      backend.disposeData(partial.dataId);
    }
    const out = reshape(args.backend, flat, [kh, kw, cin, cout]);
    backend.disposeData(flat.dataId);
    return out;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Forward convolution (Conv2D and FusedConv2D) without workgroup memory. tfjs' Conv2DMMProgram is a tiled matmul
// over an implicit im2col that stages both tiles in workgroup memory behind barriers: ≈ 1.6 s per compact step at
// batch 8 on SwiftShader against ≈ 0.5 s on WebGL. Here one invocation owns 4 output channels (vec4 loads of the
// filter, vec4 stores) × P consecutive output pixels of one row (the filter vec4s are shared by the P pixels), and
// loops over the filter window and the input channels (vec4 loads of x when Cin % 4 == 0). Out-of-image taps read
// a clamped, in-bounds address and are zeroed with a select. FusedConv2D's bias (1-D, Cout) and 'relu' are
// applied before the store; anything else goes to tfjs' kernel.
// ---------------------------------------------------------------------------------------------------------

/** Output pixels per invocation along the output row (P). Pure, for the tests. */
export function convForwardPixels(outWidth: number): number {
  return Math.max(1, Math.min(4, outWidth));
}

export type ForwardActivation = 'linear' | 'relu';

/**
 * Whether our forward convolution takes a call (null) or why it goes to tfjs' kernel. Pure, for the tests.
 * `activation` and `bias` are FusedConv2D's (undefined for Conv2D).
 */
export function convForwardFallback(c: {
  dataFormat?: unknown;
  dilationHeight: number;
  dilationWidth: number;
  outChannels: number;
  dtypes: readonly string[];
  activation?: string | null;
  biasShape?: readonly number[] | null;
  hasPrelu?: boolean;
}): string | null {
  if (!isNHWC(c.dataFormat)) return 'NCHW';
  if (c.dilationHeight !== 1 || c.dilationWidth !== 1) return 'dilation';
  if (c.outChannels % 4 !== 0) return 'Cout % 4';
  if (c.dtypes.some((d) => d !== 'float32')) return 'dtype';
  if (c.hasPrelu) return 'prelu weights';
  if (c.activation != null && c.activation !== 'linear' && c.activation !== 'relu') return `activation ${c.activation}`;
  if (c.biasShape != null && !(c.biasShape.length === 1 && c.biasShape[0] === c.outChannels)) return 'bias shape';
  return null;
}

interface ConvForwardShape extends ConvGeometry {
  pixels: number;
  bias: boolean;
  activation: ForwardActivation;
}

function convForwardInvocations(c: ConvForwardShape): number {
  return c.batch * c.outH * Math.ceil(c.outW / c.pixels) * (c.cout / 4);
}

function convForwardProgram(c: ConvForwardShape): WebGPUProgram {
  const vecX = c.cin % 4 === 0;
  const coutV = c.cout / 4;
  const P = c.pixels;
  const oxBlocks = Math.ceil(c.outW / P);
  const ps = Array.from({ length: P }, (_, p) => p);
  const inner = vecX
    ? `for (var c4 = 0; c4 < ${c.cin / 4}; c4++) {
                let wo = wBase + c4 * ${4 * coutV};
                let w0 = w[wo];
                let w1 = w[wo + ${coutV}];
                let w2 = w[wo + ${2 * coutV}];
                let w3 = w[wo + ${3 * coutV}];
                ${ps
                  .map(
                    (p) => `let xv${p} = select(vec4<f32>(0.0), x[xo${p} + c4], ok${p});
                acc${p} = fma(vec4<f32>(xv${p}.x), w0, acc${p});
                acc${p} = fma(vec4<f32>(xv${p}.y), w1, acc${p});
                acc${p} = fma(vec4<f32>(xv${p}.z), w2, acc${p});
                acc${p} = fma(vec4<f32>(xv${p}.w), w3, acc${p});`,
                  )
                  .join('\n                ')}
              }`
    : `for (var ci = 0; ci < ${c.cin}; ci++) {
                let wv = w[wBase + ci * ${coutV}];
                ${ps.map((p) => `acc${p} = fma(vec4<f32>(select(0.0, x[xo${p} + ci], ok${p})), wv, acc${p});`).join('\n                ')}
              }`;
  // x offsets in x's array elements (vec4s when vecX).
  const xUnit = vecX ? c.cin / 4 : c.cin;
  const epilogue = (p: number) => {
    const lines = [];
    if (c.bias) lines.push(`acc${p} = acc${p} + bv;`);
    if (c.activation === 'relu') lines.push(`acc${p} = max(acc${p}, vec4<f32>(0.0));`);
    lines.push(`if (ox0 + ${p} < ${c.outW}) { result[(pix + ${p}) * ${coutV} + co4] = acc${p}; }`);
    return lines.join('\n        ');
  };
  const program = {
    variableNames: c.bias ? ['x', 'w', 'bias'] : ['x', 'w'],
    variableComponents: c.bias ? [vecX ? 4 : 1, 4, 4] : [vecX ? 4 : 1, 4],
    outputComponent: 4,
    outputShape: [c.batch * c.outH * c.outW * c.cout],
    dispatchLayout: { x: [0] },
    dispatch: flatDispatch(convForwardInvocations(c)),
    workgroupSize: WORKGROUP,
    // See derFilterProgram: the shader must read the uniform buffer.
    uniforms: 'count : i32,',
    shaderKey: `lookalikeConvForward_${JSON.stringify(c)}`,
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.count) { return; }
        let co4 = index % ${coutV};
        var t = index / ${coutV};
        let ox0 = (t % ${oxBlocks}) * ${P};
        t = t / ${oxBlocks};
        let oy = t % ${c.outH};
        let b = t / ${c.outH};
        ${ps.map((p) => `var acc${p} = vec4<f32>(0.0);`).join('\n        ')}
        let iyBase = oy * ${c.strideH} - ${c.padTop};
        let ixBase = ox0 * ${c.strideW} - ${c.padLeft};
        for (var r = 0; r < ${c.kh}; r++) {
          let iy = iyBase + r;
          if (iy < 0 || iy >= ${c.inH}) { continue; }
          let xRow = (b * ${c.inH} + iy) * ${c.inW};
          for (var s = 0; s < ${c.kw}; s++) {
            let wBase = (r * ${c.kw} + s) * ${c.cin * coutV} + co4;
            ${ps
              .map(
                (p) => `let ix${p} = ixBase + ${p * c.strideW} + s;
            let ok${p} = ix${p} >= 0 && ix${p} < ${c.inW};
            let xo${p} = (xRow + clamp(ix${p}, 0, ${c.inW - 1})) * ${xUnit};`,
              )
              .join('\n            ')}
            ${inner}
          }
        }
        let pix = (b * ${c.outH} + oy) * ${c.outW} + ox0;
        ${c.bias ? 'let bv = bias[co4];' : ''}
        ${ps.map(epilogue).join('\n        ')}
      }`,
  };
  return program as unknown as WebGPUProgram;
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: ConvPad;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: RoundingMode;
  activation?: string | null;
}

/** Our forward convolution, or null when it does not take this call (the caller then runs tfjs' kernel). */
function convForward(args: Parameters<KernelFunc>[0], fused: boolean): TensorInfo | null {
  if (!tf.env().getBool(WEBGPU_KERNELS_FLAG) || !tf.env().getBool(WEBGPU_CONV_FORWARD_FLAG)) return null;
  const { x, filter, bias, preluActivationWeights } = args.inputs as {
    x: TensorInfo;
    filter: TensorInfo;
    bias?: TensorInfo | null;
    preluActivationWeights?: TensorInfo | null;
  };
  const attrs = args.attrs as unknown as ConvAttrs;
  if (x == null || filter == null || x.shape.length !== 4 || filter.shape.length !== 4) return null;
  if (!isNHWC(attrs.dataFormat)) return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const activation = fused ? (attrs.activation ?? 'linear') : 'linear';
  const why = convForwardFallback({
    dataFormat: attrs.dataFormat,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    outChannels: info.outChannels,
    dtypes: [x.dtype, filter.dtype, ...(fused && bias != null ? [bias.dtype] : [])],
    activation,
    biasShape: fused && bias != null ? bias.shape : null,
    hasPrelu: fused && preluActivationWeights != null,
  });
  if (why != null || info.outHeight <= 0 || info.outWidth <= 0 || info.batchSize <= 0) return null;
  const hasBias = fused && bias != null;
  const shape: ConvForwardShape = {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    cin: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    cout: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    pixels: convForwardPixels(info.outWidth),
    bias: hasBias,
    activation: activation as ForwardActivation,
  };
  const backend = args.backend as unknown as WebGPUBackend;
  const flat = backend.runWebGPUProgram(
    convForwardProgram(shape),
    hasBias ? [x, filter, bias] : [x, filter],
    'float32',
    [{ type: 'int32', data: [convForwardInvocations(shape)] }],
  );
  const out = reshape(args.backend, flat, info.outShape);
  backend.disposeData(flat.dataId);
  return out;
}

function makeConv2D(builtin: KernelFunc): KernelFunc {
  return (args) => convForward(args, false) ?? builtin(args);
}

function makeFusedConv2D(builtin: KernelFunc): KernelFunc {
  return (args) => convForward(args, true) ?? builtin(args);
}

let registered = false;

/** Registers the WebGPU kernel fixes. Idempotent; a no-op when the webgpu backend's kernels are not loaded. */
export function registerWebgpuKernels(): void {
  if (registered) return;
  // Re-registering only replaces the default (tfjs' Environment.registerFlag); a value already set stays.
  tf.env().registerFlag(WEBGPU_KERNELS_FLAG, () => true);
  for (const name of BINARY_KERNELS) {
    const existing = tf.getKernel(name, BACKEND);
    if (existing == null) continue;
    if ((existing.kernelFunc as unknown as Record<string, unknown>)[MARK] === true) continue;
    const kernelFunc = makeBinary(existing.kernelFunc);
    Object.defineProperty(kernelFunc, MARK, { value: true });
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({
      kernelName: name,
      backendName: BACKEND,
      kernelFunc,
      setupFunc: existing.setupFunc,
      disposeFunc: existing.disposeFunc,
    });
  }
  tf.env().registerFlag(WEBGPU_CONV_FORWARD_FLAG, () => true);
  for (const [name, make] of [
    ['Conv2D', makeConv2D],
    ['FusedConv2D', makeFusedConv2D],
  ] as const) {
    const existing = tf.getKernel(name, BACKEND);
    if (existing == null || (existing.kernelFunc as unknown as Record<string, unknown>)[MARK] === true) continue;
    const kernelFunc = make(existing.kernelFunc);
    Object.defineProperty(kernelFunc, MARK, { value: true });
    tf.unregisterKernel(name, BACKEND);
    tf.registerKernel({
      kernelName: name,
      backendName: BACKEND,
      kernelFunc,
      setupFunc: existing.setupFunc,
      disposeFunc: existing.disposeFunc,
    });
  }
  const filter = tf.getKernel('Conv2DBackpropFilter', BACKEND);
  if (filter != null && (filter.kernelFunc as unknown as Record<string, unknown>)[MARK] !== true) {
    const kernelFunc = makeConv2DBackpropFilter(filter.kernelFunc);
    Object.defineProperty(kernelFunc, MARK, { value: true });
    tf.unregisterKernel('Conv2DBackpropFilter', BACKEND);
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: BACKEND, kernelFunc });
  }
  registered = true;
}
