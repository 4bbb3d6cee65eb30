/**
 * Saliency maps: which pixels of a face does the class score depend on?
 *
 * - vanilla gradient: ∂score/∂pixel (Simonyan, Vedaldi & Zisserman 2013, "Deep inside convolutional networks")
 * - SmoothGrad: the gradient averaged over noisy copies of the image (Smilkov et al. 2017, "SmoothGrad:
 *   removing noise by adding noise"); noise σ is given as a fraction of the image's value range
 * - Grad-CAM: channel weights = spatially averaged gradients of the score w.r.t. a conv layer's activations,
 *   CAM = ReLU(Σ_c w_c A_c), bilinearly upsampled (Selvaraju et al. 2017, "Grad-CAM")
 * - Integrated Gradients: (x − x′) · ∫₀¹ ∇f(x′ + α(x − x′)) dα, trapezoid rule; satisfies completeness
 *   Σ attributions = f(x) − f(x′) (Sundararajan, Taly & Yan 2017, "Axiomatic attribution for deep networks");
 *   blurred baseline as in Sturmfels, Lundberg & Lee 2020, "Visualizing the impact of feature attribution baselines"
 *
 * The score is the class's pre-softmax logit by default (as in Simonyan 2013 and Grad-CAM: the softmax
 * saturates, and a probability can also rise by lowering the other classes), or its probability.
 * Every function takes plain typed arrays, returns plain typed arrays / numbers, and leaves no tensors behind;
 * reads are `await t.data()` only (never dataSync: WebGPU on SwiftShader returns zeros).
 *
 * The model is run layer by layer here (`runLayers`) instead of through `predict`, so that Grad-CAM can
 * differentiate w.r.t. an intermediate activation and the softmax head can yield logits, without building
 * new layers or new graph nodes (the model's layers must each have one inbound node, true of the model zoo).
 */
import * as tf from '@tensorflow/tfjs';
import { feed, inputShape, layerIndex, outputId, runLayers } from '../../../ml/core/layers';
import { Rng } from '../../../shared/synthetic/rng';

export type SaliencyMethod = 'gradient' | 'smoothgrad' | 'gradcam' | 'integrated-gradients';
/** What is differentiated: the class's pre-softmax logit (default) or its softmax probability. */
export type ScoreTarget = 'logit' | 'probability';
export type IgBaseline = 'black' | 'blur';

export interface SaliencyOptions {
  method: SaliencyMethod;
  classIndex: number;
  /** Grad-CAM layer; default: the last conv layer (`lastConvLayerName`). */
  layerName?: string;
  /** SmoothGrad: number of noisy samples (default 25, Smilkov 2017 finds little change beyond ~50). */
  samples?: number;
  /** SmoothGrad: noise σ as a fraction of the image's value range (default 0.15; Smilkov 2017: 10–20 %). */
  noise?: number;
  /** Integrated Gradients: trapezoid intervals (default 32). */
  steps?: number;
  /** Integrated Gradients baseline (default 'black'). */
  baseline?: IgBaseline;
  /** Integrated Gradients 'blur' baseline: Gaussian σ in pixels (default 5). */
  blurSigma?: number;
  /** Default 'logit' (falls back to the output itself when the output layer is not a softmax Dense layer). */
  target?: ScoreTarget;
  /** SmoothGrad noise seed (default 0). */
  seed?: number;
  /** Images per forward/backward batch (default 8): bounds memory on the big models. */
  batchSize?: number;
}

export const SALIENCY_DEFAULTS = {
  samples: 25,
  noise: 0.15,
  steps: 32,
  baseline: 'black' as IgBaseline,
  blurSigma: 5,
  target: 'logit' as ScoreTarget,
  seed: 0,
  batchSize: 8,
};

/** The name of the last 2-D convolution layer (Grad-CAM's usual choice). Throws if the model has none. */
export function lastConvLayerName(model: tf.LayersModel): string {
  for (let i = model.layers.length - 1; i >= 0; i--) {
    if (/Conv2D/.test(model.layers[i].getClassName())) return model.layers[i].name;
  }
  throw new Error(`model ${model.name} has no conv layer`);
}

/** Per-image class score [n] for a batch x [n,h,w,c] (call inside tf.tidy / tf.grad). */
export function scoreTensor(model: tf.LayersModel, x: tf.Tensor, classIndex: number, target: ScoreTarget): tf.Tensor1D {
  const values = feed(model, x);
  runLayers(model, values, 0, model.layers.length - 1, target === 'logit');
  const out = values.get(model.outputs[0].id)!;
  const k = out.shape[out.shape.length - 1];
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= k) {
    throw new RangeError(`class index ${classIndex} outside 0..${k - 1}`);
  }
  return tf.slice(out.reshape([-1, k]), [0, classIndex], [-1, 1]).reshape([-1]);
}

function imageTensor(model: tf.LayersModel, image: Float32Array): tf.Tensor4D {
  const [h, w, c] = inputShape(model);
  if (image.length !== h * w * c)
    throw new RangeError(`image has ${image.length} values, the model wants ${h}×${w}×${c}`);
  return tf.tensor4d(image, [1, h, w, c]);
}

async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  try {
    return Float32Array.from(await t.data());
  } finally {
    t.dispose();
  }
}

/** The class score of one image (same target as the saliency methods). */
export async function classScore(
  model: tf.LayersModel,
  image: Float32Array,
  classIndex: number,
  target: ScoreTarget = 'logit',
): Promise<number> {
  const s = tf.tidy(() => scoreTensor(model, imageTensor(model, image), classIndex, target));
  return (await readAndDispose(s))[0];
}

/**
 * Gaussian blur of a [n,h,w,c] batch, separable, reflect-padded (no dark border). σ in pixels; σ ≤ 0 copies.
 * Call inside tf.tidy.
 */
export function gaussianBlur(x: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (!(sigma > 0)) return x.clone();
  const [, h, w, c] = x.shape;
  const r = Math.max(1, Math.min(Math.ceil(3 * sigma), h - 1, w - 1));
  const k: number[] = [];
  for (let i = -r; i <= r; i++) k.push(Math.exp((-i * i) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const kern = k.map((v) => v / sum);
  const col: number[] = [];
  for (const v of kern) for (let ch = 0; ch < c; ch++) col.push(v);
  const vertical = tf.tensor4d(col, [2 * r + 1, 1, c, 1]);
  const horizontal = tf.tensor4d(col, [1, 2 * r + 1, c, 1]);
  const padded = tf.mirrorPad(
    x,
    [
      [0, 0],
      [r, r],
      [r, r],
      [0, 0],
    ],
    'reflect',
  );
  return tf.depthwiseConv2d(tf.depthwiseConv2d(padded, vertical, 1, 'valid'), horizontal, 1, 'valid');
}

/** Σ over the batch of ∇score, for a batch of inputs, optionally weighting each image. Call inside tf.tidy. */
function summedGradient(
  model: tf.LayersModel,
  xs: tf.Tensor4D,
  classIndex: number,
  target: ScoreTarget,
  weights?: number[],
) {
  const w = weights ? tf.tensor1d(weights) : null;
  const g = tf.grad((x: tf.Tensor) => {
    const s = scoreTensor(model, x, classIndex, target);
    return tf.sum(w ? tf.mul(s, w) : s);
  })(xs);
  return tf.sum(g, 0); // [h,w,c]
}

/** Signed ∂score/∂pixel, HWC (Simonyan 2013). */
export async function inputGradient(
  model: tf.LayersModel,
  image: Float32Array,
  classIndex: number,
  target: ScoreTarget = 'logit',
): Promise<Float32Array> {
  return readAndDispose(tf.tidy(() => summedGradient(model, imageTensor(model, image), classIndex, target)));
}

/**
 * SmoothGrad (Smilkov 2017): mean gradient over `samples` copies of the image plus N(0, σ²) noise,
 * σ = noise × (max − min of the image; 1 for a constant image). Signed, HWC. Seeded: same seed, same map.
 */
export async function smoothGradient(
  model: tf.LayersModel,
  image: Float32Array,
  classIndex: number,
  opts: { samples?: number; noise?: number; seed?: number; target?: ScoreTarget; batchSize?: number } = {},
): Promise<Float32Array> {
  const samples = Math.max(1, Math.round(opts.samples ?? SALIENCY_DEFAULTS.samples));
  const noise = opts.noise ?? SALIENCY_DEFAULTS.noise;
  const batchSize = Math.max(1, opts.batchSize ?? SALIENCY_DEFAULTS.batchSize);
  const target = opts.target ?? SALIENCY_DEFAULTS.target;
  const [h, w, c] = inputShape(model);
  const n = h * w * c;
  if (image.length !== n) throw new RangeError(`image has ${image.length} values, the model wants ${h}×${w}×${c}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of image) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const sigma = noise * (hi > lo ? hi - lo : 1);
  const rng = new Rng(opts.seed ?? SALIENCY_DEFAULTS.seed);
  const acc = new Float64Array(n);
  for (let start = 0; start < samples; start += batchSize) {
    const b = Math.min(batchSize, samples - start);
    const batch = new Float32Array(b * n);
    for (let i = 0; i < b; i++) for (let j = 0; j < n; j++) batch[i * n + j] = image[j] + sigma * rng.normal();
    const g = await readAndDispose(
      tf.tidy(() => summedGradient(model, tf.tensor4d(batch, [b, h, w, c]), classIndex, target)),
    );
    for (let j = 0; j < n; j++) acc[j] += g[j];
  }
  return Float32Array.from(acc, (v) => v / samples);
}

/** The IG baseline image for `image`: black (zeros) or Gaussian-blurred (σ in pixels). */
export async function baselineImage(
  model: tf.LayersModel,
  image: Float32Array,
  baseline: IgBaseline = 'black',
  blurSigma = SALIENCY_DEFAULTS.blurSigma,
): Promise<Float32Array> {
  if (baseline === 'black') return new Float32Array(image.length);
  return readAndDispose(tf.tidy(() => gaussianBlur(imageTensor(model, image), blurSigma)));
}

export interface IntegratedGradientsResult {
  /** (x − x′) × path-averaged gradient, HWC, signed. Σ ≈ fx − fBaseline (completeness). */
  attributions: Float32Array;
  fx: number;
  fBaseline: number;
}

/**
 * Integrated Gradients (Sundararajan 2017) along the straight path from the baseline to the image, trapezoid
 * rule with `steps` intervals (steps + 1 gradient evaluations). Check convergence with
 * |Σ attributions − (fx − fBaseline)|; more steps if it is large. Smooth nets converge in ~32 steps (0.006 %
 * in the unit test), but trained ReLU + max-pool nets converge slowly: a briefly trained compact model (cpu
 * backend) was still 17 % (logit) / 5 % (probability) off at 64 steps, so show the completeness error.
 */
export async function integratedGradients(
  model: tf.LayersModel,
  image: Float32Array,
  classIndex: number,
  steps: number = SALIENCY_DEFAULTS.steps,
  baseline: IgBaseline = SALIENCY_DEFAULTS.baseline,
  opts: { target?: ScoreTarget; blurSigma?: number; batchSize?: number } = {},
): Promise<IntegratedGradientsResult> {
  const target = opts.target ?? SALIENCY_DEFAULTS.target;
  const batchSize = Math.max(1, opts.batchSize ?? SALIENCY_DEFAULTS.batchSize);
  const m = Math.max(1, Math.round(steps));
  const [h, w, c] = inputShape(model);
  const n = h * w * c;
  const base = await baselineImage(model, image, baseline, opts.blurSigma ?? SALIENCY_DEFAULTS.blurSigma);
  const diff = Float32Array.from(image, (v, j) => v - base[j]);
  const acc = new Float64Array(n);
  for (let start = 0; start <= m; start += batchSize) {
    const ks: number[] = [];
    for (let k = start; k <= Math.min(m, start + batchSize - 1); k++) ks.push(k);
    const batch = new Float32Array(ks.length * n);
    ks.forEach((k, i) => {
      const a = k / m;
      for (let j = 0; j < n; j++) batch[i * n + j] = base[j] + a * diff[j];
    });
    const weights = ks.map((k) => (k === 0 || k === m ? 0.5 : 1) / m);
    const g = await readAndDispose(
      tf.tidy(() => summedGradient(model, tf.tensor4d(batch, [ks.length, h, w, c]), classIndex, target, weights)),
    );
    for (let j = 0; j < n; j++) acc[j] += g[j];
  }
  const attributions = Float32Array.from(acc, (g, j) => g * diff[j]);
  const ends = await readAndDispose(
    tf.tidy(() => scoreTensor(model, tf.tensor4d([...image, ...base], [2, h, w, c]), classIndex, target)),
  );
  return { attributions, fx: ends[0], fBaseline: ends[1] };
}

/**
 * Grad-CAM (Selvaraju 2017) on `layerName` (default: last conv layer): ReLU(Σ_c α_c A_c) with
 * α_c = mean over positions of ∂score/∂A_c, bilinearly upsampled (half-pixel centres) to the input size.
 */
export async function gradCam(
  model: tf.LayersModel,
  image: Float32Array,
  classIndex: number,
  layerName: string = lastConvLayerName(model),
  target: ScoreTarget = 'logit',
): Promise<Float32Array> {
  const [h, w] = inputShape(model);
  const k = layerIndex(model, layerName);
  const id = outputId(model.layers[k]);
  const last = model.layers.length - 1;
  const cam = tf.tidy(() => {
    const values = feed(model, imageTensor(model, image));
    runLayers(model, values, 0, k, target === 'logit');
    const a = values.get(id)!;
    if (a.rank !== 4) throw new Error(`Grad-CAM needs a [1,h,w,c] activation; ${layerName} gives rank ${a.rank}`);
    const grads = tf.grad((act: tf.Tensor) => {
      const v = new Map(values);
      v.set(id, act);
      runLayers(model, v, k + 1, last, target === 'logit');
      const out = v.get(model.outputs[0].id)!;
      const nClasses = out.shape[out.shape.length - 1];
      if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= nClasses) {
        throw new RangeError(`class index ${classIndex} outside 0..${nClasses - 1}`);
      }
      return tf.sum(tf.slice(out.reshape([-1, nClasses]), [0, classIndex], [-1, 1]));
    })(a);
    const alpha = tf.mean(grads, [1, 2], true); // [1,1,1,C]
    const map = tf.relu(tf.sum(tf.mul(a, alpha), -1, true)) as tf.Tensor4D; // [1,h',w',1]
    return tf.image.resizeBilinear(map, [h, w], false, true).reshape([h * w]);
  });
  return readAndDispose(cam);
}

/** Per-pixel max over channels of |v| (HWC → HW). */
export function maxAbsOverChannels(v: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(v.length / channels);
  for (let p = 0; p < out.length; p++) {
    let m = 0;
    for (let ch = 0; ch < channels; ch++) m = Math.max(m, Math.abs(v[p * channels + ch]));
    out[p] = m;
  }
  return out;
}

/** Per-pixel signed sum over channels (HWC → HW). */
export function sumOverChannels(v: Float32Array, channels: number): Float32Array {
  const out = new Float32Array(v.length / channels);
  for (let p = 0; p < out.length; p++) {
    let s = 0;
    for (let ch = 0; ch < channels; ch++) s += v[p * channels + ch];
    out[p] = s;
  }
  return out;
}

/**
 * One h×w saliency map (64×64 for the app's models) of `image` (h*w*3 floats in [0,1], HWC) for
 * `opts.classIndex`: gradient / SmoothGrad = max |∂score/∂x| over channels; Integrated Gradients = signed sum
 * of attributions over channels; Grad-CAM = ReLU'd CAM upsampled bilinearly.
 */
export async function saliencyMap(
  model: tf.LayersModel,
  image: Float32Array,
  opts: SaliencyOptions,
): Promise<Float32Array> {
  const target = opts.target ?? SALIENCY_DEFAULTS.target;
  const [, , c] = inputShape(model);
  switch (opts.method) {
    case 'gradient':
      return maxAbsOverChannels(await inputGradient(model, image, opts.classIndex, target), c);
    case 'smoothgrad':
      return maxAbsOverChannels(await smoothGradient(model, image, opts.classIndex, { ...opts, target }), c);
    case 'integrated-gradients': {
      const ig = await integratedGradients(
        model,
        image,
        opts.classIndex,
        opts.steps ?? SALIENCY_DEFAULTS.steps,
        opts.baseline,
        {
          target,
          blurSigma: opts.blurSigma,
          batchSize: opts.batchSize,
        },
      );
      return sumOverChannels(ig.attributions, c);
    }
    case 'gradcam':
      return gradCam(model, image, opts.classIndex, opts.layerName ?? lastConvLayerName(model), target);
  }
}
