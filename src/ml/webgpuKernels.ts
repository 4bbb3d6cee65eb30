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
 */
import * as tf from '@tensorflow/tfjs';
// Side effect: registers the 'webgpu' backend and its kernels, which we wrap below.
import { webgpu_util, type WebGPUBackend, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

type TensorInfo = tf.TensorInfo;
type KernelFunc = tf.KernelFunc;
type Backend = Parameters<KernelFunc>[0]['backend'];

const BACKEND = 'webgpu';
const MARK = '__lookalikeWebgpuKernel';
export const WEBGPU_KERNELS_FLAG = 'LOOKALIKE_WEBGPU_KERNELS';

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
export function broadcastReshapes(a: readonly number[], b: readonly number[]): { a: number[] | null; b: number[] | null } | null {
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
export function derFilterSplit(batch: number, kh: number, kw: number, cin: number, cout: number, target = 1024): number {
  const base = kh * kw * Math.ceil(cin / 4) * (cout / 4);
  return Math.max(1, Math.min(batch, Math.ceil(target / base)));
}

const WORKGROUP: [number, number, number] = [64, 1, 1];

function flatDispatch(invocations: number): [number, number, number] {
  return webgpu_util.computeDispatch({ x: [0] }, [invocations], WORKGROUP);
}

interface DerFilterShape {
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

function isNHWC(dataFormat: unknown): boolean {
  return dataFormat == null || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
}

type ConvPad = Parameters<typeof tf.backend_util.computeConv2DInfo>[4];
type RoundingMode = Parameters<typeof tf.backend_util.computeConv2DInfo>[5];

function makeConv2DBackpropFilter(builtin: KernelFunc): KernelFunc {
  return (args) => {
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
      strides: number | [number, number];
      pad: ConvPad;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: RoundingMode;
      filterShape: [number, number, number, number];
    };
    if (!tf.env().getBool(WEBGPU_KERNELS_FLAG) || !isNHWC(dataFormat) || filterShape[3] % 4 !== 0 || x.dtype !== 'float32') {
      return builtin(args);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
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
    tf.registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc, setupFunc: existing.setupFunc, disposeFunc: existing.disposeFunc });
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
