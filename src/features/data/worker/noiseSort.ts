/**
 * Noise sorting as in the paper (§3.3): a small quick classifier trained on the dataset's current labels scores
 * every crop's probability for its own label, and the crops are sorted into ≥ 90 %, 60–90 % and < 60 % bins
 * before manual review. Cross-fitted: the crops are dealt into `folds` folds and each fold is scored by a model
 * trained on the other folds only, so a crop is never judged by a model that memorised its (possibly wrong)
 * label. The paper's version failed, it says, because its classes were skewed; this one weighs the classes
 * (shared/classWeights.ts, automatic) and holds the scores apart from the training.
 *
 * Every crop is scored (rejected and collapsed ones too, so the bins cover the dataset); only kept crops train.
 * The crops are held in memory while it runs (12 KB each: 10,000 crops = 123 MB).
 */
import * as tf from '@tensorflow/tfjs';
import { getDataset, getSplit, readImages } from '../../../db/datasets';
import type { LabDatabase } from '../../../db/open';
import { putNoiseBins } from '../../../db/noiseBins';
import { NOISE_BINS, type NoiseBinsRecord } from '../../../db/schema';
import { resolveClassWeights } from '../../train/shared/classWeights';
import type { NoiseSortProgress } from '../shared/protocol';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { shuffleInPlace } from '../../../shared/shuffle';
import { Rng, hashSeed } from '../../../shared/synthetic/rng';
import { DEFAULT_CONFIG, type TrainingConfig } from '../../../shared/trainingConfig';
import { buildModel } from '../../../ml/models';
import { makeOptimizer, seedDropout, toInput, trainStep } from '../../../ml/trainStep';

/** The paper's bin edges. */
export const HIGH_CONFIDENCE = 0.9;
export const LOW_CONFIDENCE_EDGE = 0.6;

export function binOf(confidence: number): number {
  if (confidence >= HIGH_CONFIDENCE) return NOISE_BINS.high;
  if (confidence >= LOW_CONFIDENCE_EDGE) return NOISE_BINS.mid;
  return NOISE_BINS.low;
}

export interface NoiseSortOptions {
  folds: number;
  /** Passes over each fold model's training crops; raised so each model makes at least `minSteps` steps. */
  epochs: number;
  minSteps: number;
  batchSize: number;
  seed: number;
  /** The small model: compact at this width (0.25 = 4/8/16/16 conv channels). */
  widthMultiplier: number;
}

/**
 * Measured on 200 synthetic lookalikes with 10 % of labels flipped (src/features/data/worker/noiseSort.test.ts, wasm in Node):
 * see docs/data-and-training.md, "Noise sorting".
 */
export const DEFAULT_NOISE_SORT: NoiseSortOptions = {
  folds: 2,
  epochs: 8,
  minSteps: 120,
  batchSize: 16,
  seed: 1,
  widthMultiplier: 0.25,
};

/** Scores the dataset and stores its bins (one put, after everything was scored). Throws AbortError when cancelled. */
export async function sortNoise(
  db: LabDatabase,
  datasetId: string,
  options: Partial<NoiseSortOptions> = {},
  onProgress: (p: NoiseSortProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<NoiseBinsRecord> {
  const o = { ...DEFAULT_NOISE_SORT, ...options };
  const t0 = performance.now();
  const dataset = await getDataset(db, datasetId);
  const split = await getSplit(db, datasetId);
  if (!dataset || !split) throw new Error('The dataset is missing or incomplete.');
  const n = dataset.count;
  const numClasses = dataset.classNames.length;
  if (n < 2 * o.folds) throw new Error(`Noise sorting needs at least ${2 * o.folds} faces; this dataset has ${n}.`);
  const all = Array.from({ length: n }, (_, i) => i);
  onProgress({ phase: 'read', fold: 0, folds: o.folds, done: 0, total: n });
  const { pixels, labels } = await readImages(db, datasetId, all);
  const kept = (i: number) => !split.excluded?.[i];

  // Deal the crops into folds at random (seeded), per class so every fold holds each class.
  const fold = new Uint8Array(n);
  const rng = new Rng(hashSeed(o.seed, 0x4e015e));
  for (let c = 0; c < numClasses; c++) {
    const members = all.filter((i) => labels[i] === c);
    shuffleInPlace(members, rng);
    members.forEach((i, k) => (fold[i] = k % o.folds));
  }

  const confidence = new Float32Array(n).fill(NaN);
  for (let f = 0; f < o.folds; f++) {
    const train = all.filter((i) => fold[i] !== f && kept(i));
    const held = all.filter((i) => fold[i] === f);
    const counts = new Array<number>(numClasses).fill(0);
    for (const i of train) counts[labels[i]]++;
    if (counts.filter((c) => c > 0).length < 2) throw new Error('Noise sorting needs faces of at least two classes.');
    const config: TrainingConfig = {
      ...DEFAULT_CONFIG,
      numClasses,
      widthMultiplier: o.widthMultiplier,
      dropout: 0,
      augment: false,
      seed: hashSeed(o.seed, f),
      classWeights: resolveClassWeights('auto', counts).weights ?? undefined,
    };
    const model = buildModel(config, config.seed);
    const optimizer = makeOptimizer('adam', 3e-3);
    try {
      const batches = Math.ceil(train.length / o.batchSize);
      const epochs = Math.max(o.epochs, Math.ceil(o.minSteps / batches));
      let step = 0;
      for (let e = 0; e < epochs; e++) {
        const order = [...train];
        shuffleInPlace(order, new Rng(hashSeed(config.seed, e)));
        for (let b = 0; b < order.length; b += o.batchSize) {
          signal?.throwIfAborted();
          const idx = order.slice(b, b + o.batchSize);
          const x = toInput(gather(pixels, idx), idx.length);
          const y = tf.tensor1d(
            Int32Array.from(idx, (i) => labels[i]),
            'int32',
          );
          seedDropout(model, hashSeed(config.seed, step, 11));
          const { loss, correct } = trainStep(model, optimizer, x, y, numClasses, config.classWeights);
          await loss.data(); // paces the loop (never dataSync)
          // On wasm and cpu data() settles as a microtask, so the worker would never see the page's abort
          // message: give the event loop a turn each step (the trainer gets one from its IndexedDB reads).
          await nextTask();
          tf.dispose([x, y, loss, correct]);
          step++;
          onProgress({ phase: 'train', fold: f + 1, folds: o.folds, done: step, total: epochs * batches });
        }
      }
      for (let b = 0; b < held.length; b += 64) {
        signal?.throwIfAborted();
        const idx = held.slice(b, b + 64);
        const x = toInput(gather(pixels, idx), idx.length);
        const probs = model.predict(x) as tf.Tensor2D;
        const p = await probs.data();
        tf.dispose([x, probs]);
        await nextTask();
        idx.forEach((i, k) => (confidence[i] = p[k * numClasses + labels[i]]));
        onProgress({
          phase: 'score',
          fold: f + 1,
          folds: o.folds,
          done: Math.min(b + 64, held.length),
          total: held.length,
        });
      }
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  }
  signal?.throwIfAborted();
  const bins = Uint8Array.from(confidence, binOf);
  const binCounts: [number, number, number] = [0, 0, 0];
  for (const b of bins) binCounts[b]++;
  const record: NoiseBinsRecord = {
    datasetId,
    createdAt: Date.now(),
    confidence,
    bins,
    counts: binCounts,
    labels: Uint8Array.from(labels),
    folds: o.folds,
    epochs: o.epochs,
    ms: performance.now() - t0,
  };
  await putNoiseBins(db, record);
  return record;
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function gather(pixels: Uint8Array, indices: number[]): Uint8Array {
  const out = new Uint8Array(indices.length * PIXELS_PER_IMAGE);
  indices.forEach((i, k) =>
    out.set(pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE),
  );
  return out;
}
