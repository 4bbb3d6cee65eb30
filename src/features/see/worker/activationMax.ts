/**
 * Activation maximisation: synthesise the image that a chosen filter (or class) responds to most, by gradient
 * ascent in pixel space from a near-grey placeholder (Erhan et al. 2009; Simonyan et al. 2013 for class
 * scores), with the regularisers and transformations of Yosinski et al. 2015 ("Understanding neural networks
 * through deep visualization": L2 decay, periodic Gaussian blur), Mahendran & Vedaldi 2015 (total variation)
 * and Olah et al. 2017, Distill "Feature visualization" / Lucid (random jitter = transformation robustness);
 * tf-keras-vis bundles the same set. Scale and small-rotation transformations are not implemented (at 64×64
 * jitter and blur were judged enough; both would be added inside `objective` like jitter).
 *
 * The objective is the mean activation of channel `filter` over all positions of `layerName`'s output
 * (Lucid's `channel` objective), a unit's activation for dense layers, or — when `layerName` is the output
 * layer — the class's pre-softmax logit (maximising the probability can be done by suppressing the other
 * classes instead of growing evidence for this one; Simonyan 2013).
 *
 * Each step (seeded, deterministic on one backend):
 *   1. jitter: roll the image by (dy, dx) ∈ [−jitter, jitter]² (wrapping), evaluate the objective, back-prop;
 *   2. normalise the objective's gradient to unit RMS (so the step does not depend on the layer's scale),
 *      subtract the regulariser gradients l2·∇Σ(x−½)² + tv·∇Σ‖∇x‖² (squared-difference TV, β = 2);
 *   3. x ← clip(x + learningRate · direction, 0, 1); every `blurEvery` steps blur x with σ = blurSigma.
 * Returns plain data; no tensors survive the call.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../shared/synthetic/rng';
import { gaussianBlur } from './saliency';
import { feed, inputShape, layerIndex, outputId, runLayers } from '../../../ml/core/layers';
import { yieldToMessages } from '../../../ml/abortPoint';

export interface ActivationMaxOptions {
  layerName: string;
  /** Channel index (conv), unit index (dense), or class index when layerName is the output layer. */
  filter: number;
  steps?: number;
  learningRate?: number;
  l2?: number;
  tv?: number;
  blurEvery?: number;
  blurSigma?: number;
  jitter?: number;
  /** Seeds the placeholder's noise and the jitter (default 0). */
  seed?: number;
  /** Start from this image (h*w*3 in [0,1]) instead of the grey placeholder. */
  startImage?: Float32Array;
}

/**
 * Defaults for 64×64 models trained from scratch (chosen by reasoning from the references, scaled from their
 * 224-px ImageNet settings; tune on the See page):
 * - steps 128: at learningRate 0.05 a pixel can cross the whole [0,1] range ~6 times, enough for the
 *   activation to plateau; ~128 forward+backward passes keep it interactive on WebGPU for the paper model.
 * - learningRate 0.05: the direction has unit RMS per pixel, so one step moves a typical pixel by 5 % of the
 *   range: small enough that jitter and blur average the updates, large enough to get there in ~100 steps.
 * - l2 0.01: Yosinski-style decay towards grey; per-pixel pull ≤ 0.01 vs ~1 from the objective, so it only
 *   wins on pixels the filter ignores (they return to grey instead of drifting).
 * - tv 0.05: squared-difference total variation; its gradient is 0.05·2·Σ neighbour differences, i.e. it
 *   damps pixel-level checkerboard (high-frequency, adversarial-looking) patterns but not edges of size ≥ 2 px.
 * - blurEvery 4, blurSigma 0.5: Yosinski 2015 blurs every few steps with a small σ; 0.5 px at 64 px is the
 *   same fraction of the image as ~1.75 px at 224.
 * - jitter 2: Lucid jitters by 8 px at 224 px (~3.5 %); 2 px is that share of 64 px, and stops the image from
 *   exploiting exact pixel alignment with the stride-2 pools.
 */
export const ACTIVATION_MAX_DEFAULTS: Required<
  Omit<ActivationMaxOptions, 'layerName' | 'filter' | 'seed' | 'startImage'>
> = {
  steps: 128,
  learningRate: 0.05,
  l2: 0.01,
  tv: 0.05,
  blurEvery: 4,
  blurSigma: 0.5,
  jitter: 2,
};

/** Std of the placeholder's noise around grey 0.5 (Lucid starts from noise with std 0.01). */
const PLACEHOLDER_NOISE = 0.01;

export interface ActivationMaxResult {
  /** h*w*3 in [0,1], HWC. */
  image: Float32Array;
  /** Objective on the placeholder (un-jittered). */
  startActivation: number;
  /** Objective on the returned image (un-jittered). */
  finalActivation: number;
  /** Objective at each step, on that step's jittered image before its update. */
  history: number[];
  /** True when the signal stopped it early; the image is the one reached so far. */
  aborted: boolean;
}

/** Rolls (circularly shifts) a [n,h,w,c] batch by dy rows and dx columns; differentiable. */
function roll(x: tf.Tensor4D, dy: number, dx: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  let y = x;
  const sy = ((dy % h) + h) % h;
  const sx = ((dx % w) + w) % w;
  if (sy)
    y = tf.concat(
      [tf.slice(y, [0, h - sy, 0, 0], [-1, sy, -1, -1]), tf.slice(y, [0, 0, 0, 0], [-1, h - sy, -1, -1])],
      1,
    );
  if (sx)
    y = tf.concat(
      [tf.slice(y, [0, 0, w - sx, 0], [-1, -1, sx, -1]), tf.slice(y, [0, 0, 0, 0], [-1, -1, w - sx, -1])],
      2,
    );
  return y;
}

/** Σ of squared differences between vertical and horizontal neighbours (TV with β = 2). */
function totalVariation(x: tf.Tensor4D): tf.Scalar {
  const [, h, w] = x.shape;
  const dv = tf.sub(tf.slice(x, [0, 1, 0, 0], [-1, h - 1, -1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, h - 1, -1, -1]));
  const dh = tf.sub(tf.slice(x, [0, 0, 1, 0], [-1, -1, w - 1, -1]), tf.slice(x, [0, 0, 0, 0], [-1, -1, w - 1, -1]));
  return tf.add(tf.sum(tf.square(dv)), tf.sum(tf.square(dh)));
}

/** The objective of a [1,h,w,c] image as a scalar tensor. Call inside tf.tidy / tf.grad. */
function objectiveTensor(
  model: tf.LayersModel,
  x: tf.Tensor,
  k: number,
  id: number,
  filter: number,
  logits: boolean,
): tf.Scalar {
  const values = feed(model, x);
  runLayers(model, values, 0, k, logits);
  const a = values.get(id)!;
  const channels = a.shape[a.shape.length - 1];
  if (!Number.isInteger(filter) || filter < 0 || filter >= channels) {
    throw new RangeError(`filter ${filter} outside 0..${channels - 1} of ${model.layers[k].name}`);
  }
  const begin = a.shape.map(() => 0);
  begin[begin.length - 1] = filter;
  const size = a.shape.map(() => -1);
  size[size.length - 1] = 1;
  return tf.mean(tf.slice(a, begin, size));
}

/** The objective (mean activation of a channel / unit / class logit) of one image, un-jittered. */
export async function meanActivation(
  model: tf.LayersModel,
  image: Float32Array,
  layerName: string,
  filter: number,
): Promise<number> {
  const [h, w, c] = inputShape(model);
  const k = layerIndex(model, layerName);
  const id = outputId(model.layers[k]);
  const t = tf.tidy(() =>
    objectiveTensor(model, tf.tensor4d(image, [1, h, w, c]), k, id, filter, id === model.outputs[0].id),
  );
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

export async function maximiseActivation(
  model: tf.LayersModel,
  opts: ActivationMaxOptions,
  onProgress?: (step: number, activation: number) => void,
  signal?: AbortSignal,
): Promise<ActivationMaxResult> {
  const o = { ...ACTIVATION_MAX_DEFAULTS };
  for (const key of Object.keys(o) as Array<keyof typeof o>) {
    const v = opts[key];
    if (v !== undefined) o[key] = v;
  }
  const [h, w, c] = inputShape(model);
  const n = h * w * c;
  const k = layerIndex(model, opts.layerName);
  const id = outputId(model.layers[k]);
  const logits = id === model.outputs[0].id;
  const rng = new Rng(opts.seed ?? 0);

  let start: Float32Array;
  if (opts.startImage) {
    if (opts.startImage.length !== n)
      throw new RangeError(`startImage has ${opts.startImage.length} values, want ${n}`);
    start = opts.startImage;
  } else {
    start = new Float32Array(n);
    for (let j = 0; j < n; j++) start[j] = Math.min(1, Math.max(0, 0.5 + PLACEHOLDER_NOISE * rng.normal()));
  }
  const startActivation = await meanActivation(model, start, opts.layerName, opts.filter);

  const history: number[] = [];
  let aborted = false;
  let x: tf.Tensor4D = tf.tensor4d(start, [1, h, w, c]);
  try {
    const jitter = Math.max(0, Math.round(o.jitter));
    for (let step = 1; step <= o.steps; step++) {
      // On wasm every await below settles as a microtask: without a turn of the event loop now and then the
      // worker would read the page's abort only after the whole ascent.
      if (signal) await yieldToMessages();
      if (signal?.aborted) {
        aborted = true;
        break;
      }
      const dy = jitter ? rng.int(-jitter, jitter) : 0;
      const dx = jitter ? rng.int(-jitter, jitter) : 0;
      const cur = x;
      const [next, act] = tf.tidy(() => {
        const { value, grad } = tf.valueAndGrad((img: tf.Tensor) =>
          objectiveTensor(model, roll(img as tf.Tensor4D, dy, dx), k, id, opts.filter, logits),
        )(cur);
        const rms = tf.sqrt(tf.add(tf.mean(tf.square(grad)), 1e-20));
        const regGrad = tf.grad((img: tf.Tensor) =>
          tf.add(tf.mul(o.l2, tf.sum(tf.square(tf.sub(img, 0.5)))), tf.mul(o.tv, totalVariation(img as tf.Tensor4D))),
        )(cur);
        const direction = tf.sub(tf.div(grad, rms), regGrad);
        let updated = tf.add(cur, tf.mul(o.learningRate, direction)) as tf.Tensor4D;
        if (o.blurEvery > 0 && step % o.blurEvery === 0) updated = gaussianBlur(updated, o.blurSigma);
        return [tf.clipByValue(updated, 0, 1) as tf.Tensor4D, value];
      });
      x = next;
      cur.dispose();
      const a = (await act.data())[0];
      act.dispose();
      history.push(a);
      onProgress?.(step, a);
    }
    const image = Float32Array.from(await x.data());
    const finalActivation = await meanActivation(model, image, opts.layerName, opts.filter);
    return { image, startActivation, finalActivation, history, aborted };
  } finally {
    x.dispose();
  }
}

/**
 * Activation gain of a synthesised image: its activation of the target filter divided by the filter's
 * baseline mean activation (e.g. the mean over real faces). NaN when the baseline is not positive and finite.
 */
export function activationGain(activation: number, baselineMean: number): number {
  if (!(baselineMean > 0) || !Number.isFinite(baselineMean)) return NaN;
  return activation / baselineMean;
}
