/**
 * The data randomisation test of Adebayo et al. 2018 ("Sanity checks for saliency maps"): a copy of the
 * model, re-initialised, trained on the same images with the labels permuted, so that nothing it learns can
 * be about the faces' identity. An explanation method that depends on the data–label relation must give
 * different maps for it. Adebayo et al. train until the copy memorises the random labels (> 95 % training
 * accuracy); here the training is brief (a few hundred faces, a few epochs, on the page's backend), so the
 * copy's accuracy on its shuffled labels is returned and shown: it says how far memorisation got.
 *
 * Uses the trainer's own step (trainStep.ts: Adam, softmax cross-entropy) on batches held in memory; no
 * augmentation (memorising is what is asked of it). Seeded label permutation, batch order and initial weights.
 */
import * as tf from '@tensorflow/tfjs';
import { shuffleInPlace } from '../../../shared/shuffle';
import { Rng, hashSeed } from '../../../shared/synthetic/rng';
import { makeOptimizer, toInput, trainStep } from '../../../ml/trainStep';
import { cascadeGroups, cloneModel, reinitialiseLayers } from './sanityChecks';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { abortPoint } from '../../../ml/abortPoint';

export interface ShuffledLabelOptions {
  epochs: number;
  /**
   * Default 8: small batches mean more steps for the same compute, and memorising is a matter of steps (the
   * demo model's copy memorised 64 faces' shuffled labels in 8 epochs: 100 % at batch 8, 78 % at batch 16).
   */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3, the app's default). */
  learningRate?: number;
  seed?: number;
  progress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface ShuffledLabelModel {
  /** The trained copy; the caller disposes it. */
  model: tf.LayersModel;
  /** Its accuracy on the shuffled labels, inference mode. */
  trainAccuracy: number;
  /** Share of the shuffled labels that equal the true ones (chance: about 1 / classes). */
  agreement: number;
}

/** Inference-mode predicted classes of n uint8 images, 64 at a time. */
async function predictClasses(model: tf.LayersModel, pixels: Uint8Array, n: number): Promise<Int32Array> {
  const out = new Int32Array(n);
  for (let start = 0; start < n; start += 64) {
    const b = Math.min(64, n - start);
    const classes = tf.tidy(() =>
      tf.argMax(
        model.predict(
          toInput(pixels.subarray(start * PIXELS_PER_IMAGE, (start + b) * PIXELS_PER_IMAGE), b),
        ) as tf.Tensor,
        -1,
      ),
    );
    try {
      out.set(await classes.data(), start);
    } finally {
      classes.dispose();
    }
  }
  return out;
}

/**
 * Re-initialises a copy of `model` (every weighted layer) and trains it on `pixels` (n × 64×64×3 bytes) with
 * `labels` randomly permuted (a permutation keeps the class balance). Leaves `model` untouched.
 */
export async function trainOnShuffledLabels(
  model: tf.LayersModel,
  data: { pixels: Uint8Array; labels: ArrayLike<number>; numClasses: number },
  opts: ShuffledLabelOptions,
): Promise<ShuffledLabelModel> {
  const n = data.labels.length;
  if (data.pixels.length !== n * PIXELS_PER_IMAGE)
    throw new RangeError(`${data.pixels.length} bytes for ${n} images of 64×64×3`);
  const seed = opts.seed ?? 0;
  const batchSize = Math.max(1, Math.round(opts.batchSize ?? 8));
  const shuffled = shuffleInPlace(Int32Array.from(data.labels), new Rng(hashSeed(seed, 1)));
  const copy = await cloneModel(model);
  const optimizer = makeOptimizer('adam', opts.learningRate ?? 1e-3);
  try {
    reinitialiseLayers(
      copy,
      cascadeGroups(copy).flatMap((g) => g.layers),
      hashSeed(seed, 2),
    );
    const order = Array.from({ length: n }, (_, i) => i);
    const orderRng = new Rng(hashSeed(seed, 3));
    const perEpoch = Math.ceil(n / batchSize);
    let step = 0;
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      shuffleInPlace(order, orderRng);
      for (let start = 0; start < n; start += batchSize) {
        await abortPoint(opts.signal);
        const batch = order.slice(start, start + batchSize);
        const pixels = new Uint8Array(batch.length * PIXELS_PER_IMAGE);
        batch.forEach((i, k) =>
          pixels.set(data.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE), k * PIXELS_PER_IMAGE),
        );
        const x = toInput(pixels, batch.length);
        const y = tf.tensor1d(
          batch.map((i) => shuffled[i]),
          'int32',
        );
        const { loss, correct } = trainStep(copy, optimizer, x, y, data.numClasses);
        // Awaiting the loss paces the loop (one step in flight) and keeps the page's progress honest.
        await loss.data();
        tf.dispose([x, y, loss, correct]);
        opts.progress?.(++step, perEpoch * opts.epochs);
      }
    }
    const predicted = await predictClasses(copy, data.pixels, n);
    let hits = 0;
    let agree = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === shuffled[i]) hits++;
      if (shuffled[i] === data.labels[i]) agree++;
    }
    return { model: copy, trainAccuracy: n ? hits / n : NaN, agreement: n ? agree / n : NaN };
  } catch (err) {
    copy.dispose();
    throw err;
  } finally {
    optimizer.dispose();
  }
}
