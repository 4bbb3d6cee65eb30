/**
 * Lab-worker calls for benchmarks and tests only (bench/run.mjs, the kernel and reliability e2e): never used by a
 * page. The debug calls are refused unless the page was opened with `?fault=debug`.
 * Plain data and typed arrays only: tensors never cross the worker boundary.
 */
import type { Architecture } from './trainingConfig';

/** `benchTraining`: time one preset's training step on the worker's backend (random data of the right shape). */
export interface BenchTrainingArgs {
  preset: Architecture;
  /** Compact's channel multiplier (tests run tiny models); the other presets ignore it, as in models.ts. */
  widthMultiplier?: number;
  numClasses?: number;
  batchSize: number;
  /** Timed steps (the median of these is the figure), after `warmup` untimed-for-the-figure steps. */
  steps: number;
  warmup: number;
  /** Timed `predict` calls on the same batch, after one warm-up (default 3; 0 skips inference). */
  inferenceRuns?: number;
  /** One more step under tf.profile: peak tensor bytes and milliseconds per kernel. */
  profile?: boolean;
  /** Stop timing early (at least one step) once the call would overrun this by half again. */
  budgetMs?: number;
  /** Bench only: tfjs flags (`tf.env().set`) for this call, e.g. `{ WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE: false }`; restored after. */
  tfFlags?: Record<string, number | boolean | string>;
  /** The preset's dropout rate instead of the Train page's; 0 makes the steps deterministic (tests compare losses across runs). */
  dropout?: number;
}

export interface KernelTime {
  name: string;
  ms: number;
  count: number;
}

export interface BenchTrainingResult {
  backend: string;
  preset: Architecture;
  batchSize: number;
  widthMultiplier: number;
  params: number;
  /** Conv and dense FLOPs (2 × multiply-adds) per image; training ≈ 3 × forward (src/ml/flops.ts). */
  forwardFlopsPerImage: number;
  trainFlopsPerImage: number;
  /** false: building, training or predicting failed (out of memory, a device limit…): see `stage` and `error`. */
  fits: boolean;
  stage?: 'build' | 'warmup' | 'train' | 'inference' | 'profile';
  error?: string;
  buildMs: number;
  warmupMs: number[];
  /** Wall-clock ms of each timed step: upload, forward, backward, Adam update and the loss readback. */
  stepMs: number[];
  losses: number[];
  /** Fewer than `steps` were timed because of `budgetMs`. */
  budgetCut: boolean;
  /** ms per `predict` of `batchSize` images (readback included). */
  inferenceMs: number[];
  /** tf.profile's peak tensor bytes over one training step (with `profile`). */
  peakBytes: number | null;
  /** wasm backend only: its heap's size at the end (wasm memory only grows, so this is its peak). */
  wasmHeapBytes: number | null;
  /** tf.memory() with the model still built. */
  memory: { numTensors: number; numBytes: number; numBytesInGPU?: number; unreliable?: boolean } | null;
  /** With `profile`: ms and calls per kernel over the profiled step, slowest first. */
  kernels: KernelTime[] | null;
  /** Tensors left behind by the whole call (0 unless a failure left some). */
  tensorsLeaked?: number;
}

/** Inputs of `debugConvGradients` (NHWC x, [kh, kw, cin, cout] w, dy of conv2d's output shape, scale of length cin). */
export interface ConvGradientsArgs {
  x: Float32Array;
  xShape: [number, number, number, number];
  w: Float32Array;
  wShape: [number, number, number, number];
  dy: Float32Array;
  strides: [number, number];
  pad: 'same' | 'valid';
  scale: Float32Array;
  /** Optional, length cout: then the result also has tf.fused.conv2d(x, w) + bias, linear and relu (FusedConv2D). */
  bias?: Float32Array;
}

/** conv2d(x, w), the gradients of sum(conv2d(x, w) * dy), and x * scale, x - scale, x + scale, x / scale, scale - x (+ fused convs with args.bias). */
export interface ConvGradientsResult {
  y: Float32Array;
  dx: Float32Array;
  dw: Float32Array;
  mul: Float32Array;
  sub: Float32Array;
  add: Float32Array;
  div: Float32Array;
  subRev: Float32Array;
  /** With args.bias: tf.fused.conv2d with that bias, activation 'linear' and 'relu'. */
  fusedLinear?: Float32Array;
  fusedRelu?: Float32Array;
}

export interface DiagnosticsApi {
  /** Times training steps and inference of a preset on this worker's backend (bench, backend choice). */
  benchTraining(args: BenchTrainingArgs): Promise<BenchTrainingResult>;
  /** Reliability tests only (refused unless `?fault=debug`): crash this worker, or destroy its WebGPU device. */
  debugFault(args: { fault: 'crash' | 'lose-device' }): Promise<{ injected: string }>;
  /** Kernel tests only (refused unless `?fault=debug`): conv2d, its gradients and broadcast ops on this worker's backend. */
  debugConvGradients(args: ConvGradientsArgs): Promise<ConvGradientsResult>;
}

/** What each call reports while it runs (`never`: no progress). */
export interface DiagnosticsProgress {
  benchTraining: never;
  debugFault: never;
  debugConvGradients: never;
}
