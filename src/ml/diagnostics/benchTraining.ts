/**
 * Timing of one preset on the current backend (the `benchTraining` worker call, issue 8): builds the model as a
 * training run would (src/ml/models.ts, seeded), and runs the app's own training step (src/ml/trainStep.ts:
 * uint8 pixels → toInput, Adam, softmax cross-entropy, loss and accuracy read back with `await data()` exactly
 * like src/features/train/worker/train.ts) on random pixels and labels of the right shape. Warm-up steps are timed but reported
 * apart. Then inference (`predict` on the same batch) and, optionally, one profiled step: peak tensor bytes and
 * time per kernel.
 *
 * It never throws for a model that does not fit: a failure while building, training or predicting (out of
 * memory, a device limit, a lost device) comes back as `fits: false` with the stage and the message, so a caller
 * can search for the largest batch that fits or pick a backend by measuring one step (`steps: 1, warmup: 1`).
 */
import * as tf from '@tensorflow/tfjs';
import type { BenchTrainingArgs, BenchTrainingResult, KernelTime } from '../../shared/diagnosticsProtocol';
import { DEFAULT_CONFIG, PAPER_CONFIG, type ModelOptions } from '../../shared/trainingConfig';
import { countFlops } from '../flops';
import { buildModel } from '../models';
import { makeOptimizer, toInput, trainStep } from '../trainStep';
import { PIXELS_PER_IMAGE } from '../../shared/imageGeometry';

/** The model options a preset trains with from the Train page (paper: the paper's two batch norms). */
export function benchModelOptions(
  args: Pick<BenchTrainingArgs, 'preset' | 'widthMultiplier' | 'numClasses' | 'dropout'>,
): ModelOptions {
  const base = args.preset === 'paper' ? PAPER_CONFIG : DEFAULT_CONFIG;
  return {
    architecture: args.preset,
    numClasses: args.numClasses ?? 2,
    dropout: args.dropout ?? base.dropout,
    batchNormLayers: base.batchNormLayers,
    widthMultiplier: args.widthMultiplier ?? 1,
  };
}

/** Deterministic pseudo-random bytes (xorshift32): the batch's pixels and labels, no tfjs call involved. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s & 0xff;
  }
  return out;
}

/** Bytes of the wasm backend's heap (it only grows, so this is its peak); null on other backends. */
function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
  return heap ? heap.byteLength : null;
}

const message = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export async function benchTraining(args: BenchTrainingArgs, signal?: AbortSignal): Promise<BenchTrainingResult> {
  const batch = Math.max(1, Math.floor(args.batchSize));
  const steps = Math.max(0, Math.floor(args.steps));
  const warmup = Math.max(0, Math.floor(args.warmup));
  const options = benchModelOptions(args);
  const result: BenchTrainingResult = {
    backend: tf.getBackend(),
    preset: args.preset,
    batchSize: batch,
    widthMultiplier: options.widthMultiplier,
    params: 0,
    forwardFlopsPerImage: 0,
    trainFlopsPerImage: 0,
    fits: true,
    buildMs: 0,
    warmupMs: [],
    stepMs: [],
    losses: [],
    budgetCut: false,
    inferenceMs: [],
    peakBytes: null,
    wasmHeapBytes: null,
    memory: null,
    kernels: null,
  };
  const budgetMs = args.budgetMs ?? Infinity;
  const pixels = randomBytes(batch * PIXELS_PER_IMAGE, 12345 + batch);
  const labelBytes = randomBytes(batch, 777);
  const labels = Int32Array.from(labelBytes, (v) => v % options.numClasses);

  let model: tf.LayersModel | null = null;
  let optimizer: tf.Optimizer | null = null;
  let stage: NonNullable<BenchTrainingResult['stage']> = 'build';
  const tensorsBefore = tf.memory().numTensors;
  // Bench-only flags (BENCH_TF_FLAGS): set for this call, the previous values put back in `finally`.
  const savedFlags = new Map<string, number | boolean | string>();
  const step = async () => {
    const y = tf.tensor1d(labels, 'int32');
    const x = toInput(pixels, batch);
    try {
      const { loss, correct } = trainStep(model!, optimizer!, x, y, options.numClasses);
      const [l] = await Promise.all([loss.data(), correct.data()]);
      tf.dispose([loss, correct]);
      return l[0];
    } finally {
      tf.dispose([x, y]);
    }
  };
  try {
    for (const [name, value] of Object.entries(args.tfFlags ?? {})) {
      const before = tf.env().get(name); // throws for a flag nobody registered
      tf.env().set(name, value);
      savedFlags.set(name, before);
    }
    const t0 = performance.now();
    model = buildModel(options, 1);
    optimizer = makeOptimizer(DEFAULT_CONFIG.optimizer, DEFAULT_CONFIG.learningRate);
    result.buildMs = performance.now() - t0;
    result.params = model.countParams();
    const flops = countFlops(model);
    result.forwardFlopsPerImage = flops.forward;
    result.trainFlopsPerImage = flops.train;
    const callStart = performance.now();

    stage = 'warmup';
    for (let i = 0; i < warmup; i++) {
      signal?.throwIfAborted();
      const s = performance.now();
      await step();
      result.warmupMs.push(performance.now() - s);
    }
    stage = 'train';
    for (let i = 0; i < steps; i++) {
      signal?.throwIfAborted();
      const s = performance.now();
      result.losses.push(await step());
      const ms = performance.now() - s;
      result.stepMs.push(ms);
      // Out of budget: stop once the remaining steps would overrun it by half again (at least one step is timed).
      if (i + 1 < steps && performance.now() - callStart + ms * (steps - i - 1) > budgetMs * 1.5) {
        result.budgetCut = true;
        break;
      }
    }
    stage = 'inference';
    const runs = Math.max(0, Math.floor(args.inferenceRuns ?? 3));
    if (runs > 0) {
      const x = toInput(pixels, batch);
      try {
        const predict = async () => {
          const p = model!.predict(x) as tf.Tensor;
          await p.data();
          p.dispose();
        };
        await predict(); // warm-up: inference-mode programs (batch norm, dropout) are new
        for (let i = 0; i < runs; i++) {
          signal?.throwIfAborted();
          const s = performance.now();
          await predict();
          result.inferenceMs.push(performance.now() - s);
          if (performance.now() - callStart > budgetMs * 1.5) break;
        }
      } finally {
        x.dispose();
      }
    }
    if (args.profile) {
      stage = 'profile';
      const info = await tf.profile(() => step());
      result.peakBytes = info.peakBytes;
      const byName = new Map<string, KernelTime>();
      for (const k of info.kernels) {
        const row = byName.get(k.name) ?? { name: k.name, ms: 0, count: 0 };
        row.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
        row.count++;
        byName.set(k.name, row);
      }
      result.kernels = [...byName.values()].sort((a, b) => b.ms - a.ms);
    }
    const mem = tf.memory() as BenchTrainingResult['memory'] & object;
    result.memory = {
      numTensors: mem.numTensors,
      numBytes: mem.numBytes,
      numBytesInGPU: mem.numBytesInGPU,
      unreliable: mem.unreliable,
    };
  } catch (err) {
    if (signal?.aborted) throw err;
    result.fits = false;
    result.stage = stage;
    result.error = message(err);
  } finally {
    try {
      optimizer?.dispose();
      model?.dispose();
    } catch {
      /* a backend that failed may not free cleanly; nothing more to do */
    }
    for (const [name, value] of savedFlags) tf.env().set(name, value);
    result.wasmHeapBytes = wasmHeapBytes();
    result.tensorsLeaked = tf.memory().numTensors - tensorsBefore;
  }
  return result;
}
