/**
 * Backend selection inside the worker: webgpu → webgl → wasm → cpu, or one forced by `?backend=`. A backend
 * is accepted only after a smoke test runs one training step and one input gradient on it and reads finite,
 * non-zero results back asynchronously (a backend that initialises but cannot train is refused).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKENDS, type BackendName } from '../shared/backends';
import type { AdapterDescription, BackendAttempt, BackendInfo } from '../shared/protocol';
import { registerWasmTrainingKernels } from './wasmKernels';
import { registerBatchNormGradient } from './batchNormGrad';
import { wasmThreadPlan } from '../shared/wasmThreads';
import { chooseWebgpuKernels } from '../shared/webgpuKernelChoice';
import { WEBGPU_KERNELS_FLAG, registerWebgpuKernels } from './webgpuKernels';
import { probeWebgpuKernels } from './webgpuKernelProbe';
import { errorMessage } from '../shared/errorMessage';

export async function smokeTest(): Promise<void> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  const optimizer = tf.train.sgd(0.1);
  const x = tf.randomUniform([2, 8, 8, 3]);
  const y = tf.oneHot(tf.tensor1d([0, 1], 'int32'), 2).toFloat();
  try {
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor), true, vars)!;
    const inputGrad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(model.apply(input) as tf.Tensor, y)))(x);
    const [l, g] = await Promise.all([loss.data(), inputGrad.data()]);
    tf.dispose([loss, inputGrad]);
    if (!Number.isFinite(l[0])) throw new Error(`training step gave loss ${l[0]}`);
    if (!g.some((v) => v !== 0) || g.some((v) => !Number.isFinite(v)))
      throw new Error('input gradient is zero or not finite');
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

/** The few WebGPU types we read (the worker lib has none, and @webgpu/types is not worth a dependency). */
interface MinimalGpu {
  requestAdapter(): Promise<{ info: Partial<AdapterDescription> } | null>;
}

async function describeAdapter(): Promise<AdapterDescription | null> {
  const gpu = (navigator as unknown as { gpu?: MinimalGpu }).gpu;
  const adapter = gpu ? await gpu.requestAdapter() : null;
  if (!adapter) return null;
  const { vendor = '', architecture = '', description = '', isFallbackAdapter = false } = adapter.info;
  return { vendor, architecture, description, isFallbackAdapter };
}

/** The WebGL renderer string, when the browser reveals it (used only to spot a software renderer). */
function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = ext ? String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return renderer;
  } catch {
    return null;
  }
}

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

/**
 * Why an automatic choice should pass over a GPU backend that only runs on a software rasteriser: on this
 * project's GPU-less machines WebGPU on SwiftShader trains the compact model at 1.8 images/s and WebGL at 6.3,
 * against 58 on wasm (`npm run bench`, docs/performance.md). A forced `?backend=` still gets it.
 */
export async function softwareOnly(name: BackendName): Promise<string | null> {
  if (name === 'webgpu') {
    const adapter = await describeAdapter();
    if (!adapter) return 'no WebGPU adapter';
    if (adapter.isFallbackAdapter)
      return `only a software (fallback) adapter: ${adapter.description || adapter.vendor}; wasm is faster`;
  }
  if (name === 'webgl') {
    const renderer = webglRenderer();
    if (renderer && SOFTWARE_RENDERER.test(renderer)) return `software renderer (${renderer}); wasm is faster`;
  }
  return null;
}

/**
 * `refused` names backends to pass over with a reason (a worker rebuilt after a lost GPU, under `?fault=webgpu-unavailable`).
 * `wasmThreads`: at most this many wasm threads (`?threads=`; 1 = the single-threaded build).
 */
export async function selectBackend(
  forced: BackendName | null,
  baseUrl: string,
  refused: Partial<Record<BackendName, string>> = {},
  wasmThreads: number | null = null,
): Promise<BackendInfo> {
  // Self-hosted wasm. Multithreaded (issue 17) where the worker is cross-origin isolated: tfjs' threaded-SIMD
  // build with a thread per logical processor (2 on this project's 2-core machines: vgg16 trains 1.3–1.5× faster
  // than on one, compact about the same; docs/performance.md "Targets (issue 17)"). The factory runs through
  // src/ml/wasmThreadedFactory.ts (a plugin in vite.config.ts), which is what makes it work in the minified build
  // and lifts tfjs' cap of half the cores. Not isolated (no SharedArrayBuffer): the single-threaded SIMD build.
  setWasmPaths(new URL('vendor/tfjs-wasm/', baseUrl).href);
  const threads = wasmThreadPlan(
    { crossOriginIsolated: self.crossOriginIsolated === true, hardwareConcurrency: navigator.hardwareConcurrency },
    wasmThreads,
  );
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  setThreadsCount(threads);
  registerWasmTrainingKernels();
  registerWebgpuKernels();
  registerBatchNormGradient(); // no Tile in batch norm's input gradient (src/ml/batchNormGrad.ts)
  const candidates: readonly BackendName[] = forced ? [forced] : BACKENDS;
  const attempts: BackendAttempt[] = [];
  for (const name of candidates) {
    const t0 = performance.now();
    try {
      if (refused[name]) throw new Error(refused[name]);
      const skip = forced ? null : await softwareOnly(name);
      if (skip) throw new Error(`skipped: ${skip}`);
      if (!(await tf.setBackend(name))) throw new Error('backend failed to initialise');
      await tf.ready();
      await smokeTest();
      attempts.push({ name, ok: true, ms: performance.now() - t0 });
      const adapter = name === 'webgpu' ? await describeAdapter() : null;
      // What tfjs' pool really has (getThreadsCount asks XNNPACK's pthreadpool), not what was asked for.
      if (name === 'wasm') return { name, forced: forced !== null, adapter, attempts, threads: getThreadsCount() };
      if (name !== 'webgpu') return { name, forced: forced !== null, adapter, attempts };
      // Our WebGPU kernels only where they are known or measured faster on this adapter (shared/webgpuKernelChoice.ts).
      const timing = adapter && !adapter.isFallbackAdapter ? await probeWebgpuKernels().catch(() => null) : null;
      const kernels = chooseWebgpuKernels(adapter, timing);
      tf.env().set(WEBGPU_KERNELS_FLAG, kernels.ours);
      return { name, forced: forced !== null, adapter, attempts, kernels };
    } catch (err) {
      attempts.push({
        name,
        ok: false,
        error: errorMessage(err),
        ms: performance.now() - t0,
      });
    }
  }
  const why = attempts.map((a) => `${a.name}: ${a.error}`).join('; ');
  throw new Error(`No usable TensorFlow.js backend (${why})`);
}
