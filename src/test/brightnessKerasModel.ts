/**
 * A Keras-converter model.json (the layout of kerasFixture.ts: Conv2D → MaxPooling2D → Flatten → softmax Dense on
 * 64×64×3, 2 classes, 7802 parameters) whose answer is a known, steep function of the image. A test can then say
 * exactly what it predicts before an attack, and demand that the paper's attack fool it: a model that a correct
 * attack cannot fool, or one that nothing could fail to fool, would prove nothing.
 *
 * Filter 0 of the conv layer is the brightness of the pixel under its centre (the mean of R, G, B, in [0, 1]; ReLU
 * keeps it as is); the pool keeps the brightest of each 2×2; the dense layer gives class 1 the logit
 * `gain` · M + `bias`, where M is the mean of the 31×31 pooled maxima, and class 0 the logit 0. Filters 1–3 are
 * seeded noise the dense layer ignores, so See still has four filters to show.
 */
import { PAPER_FRACTION, ruleBounds } from '../features/fool/shared/bounds';

const SIDE = 64;
const POOLED = 31;
const FILTERS = 4;

export interface BrightnessModel {
  /** Logit of class 1 per unit of M (M in [0, 1]). */
  gain: number;
  bias: number;
}

/** The weights as stored (float32), so the formula below sees the numbers the app's model sees. */
const stored = (m: BrightnessModel) => ({
  centre: Math.fround(1 / 3),
  perCell: Math.fround(m.gain / (POOLED * POOLED)),
  bias: Math.fround(m.bias),
});

/** M: the mean, over the pool's 31×31 cells, of the brightest centre pixel of each 2×2 (pixels in levels, RGB). */
export function pooledBrightness(pixels: ArrayLike<number>, m: BrightnessModel): number {
  const w = stored(m);
  let sum = 0;
  for (let i = 0; i < POOLED; i++) {
    for (let j = 0; j < POOLED; j++) {
      let best = 0;
      // Conv output (y, x) is centred on input pixel (y + 1, x + 1); pool cell (i, j) covers outputs 2i…2i+1, 2j…2j+1.
      for (let y = 2 * i + 1; y <= 2 * i + 2; y++) {
        for (let x = 2 * j + 1; x <= 2 * j + 2; x++) {
          const at = (y * SIDE + x) * 3;
          best = Math.max(best, w.centre * (pixels[at] / 255 + pixels[at + 1] / 255 + pixels[at + 2] / 255));
        }
      }
      sum += best;
    }
  }
  return sum / (POOLED * POOLED);
}

/** The model's class probabilities [p0, p1] of an image, by the formula. */
export function brightnessProbabilities(pixels: ArrayLike<number>, m: BrightnessModel): [number, number] {
  const w = stored(m);
  const z1 = w.perCell * POOLED * POOLED * pooledBrightness(pixels, m) + w.bias;
  const p1 = 1 / (1 + Math.exp(-z1));
  return [1 - p1, p1];
}

/** The model of this `gain` that gives `face` probability `p` for class `label`. */
export function brightnessModelFor(face: ArrayLike<number>, label: 0 | 1, p: number, gain: number): BrightnessModel {
  const towardsOne = Math.log(p / (1 - p)) * (label === 1 ? 1 : -1);
  return {
    gain,
    bias: towardsOne - stored({ gain, bias: 0 }).perCell * POOLED * POOLED * pooledBrightness(face, { gain, bias: 0 }),
  };
}

/**
 * The highest probability of class `target` any image within the paper's literal rule (±2.5 % of each pixel's
 * own value, whole levels) can reach: M only grows with each pixel, so the extreme is every pixel at its bound.
 */
export function bestWithinLiteralRule(face: ArrayLike<number>, target: 0 | 1, m: BrightnessModel): number {
  const { lo, hi } = ruleBounds(face, 'relative', PAPER_FRACTION, true);
  return brightnessProbabilities(target === 1 ? hi : lo, m)[target];
}

export function brightnessKerasFiles(m: BrightnessModel, seed = 5): { modelJson: string; weights: Uint8Array } {
  const dense = { class_name: 'GlorotUniform', config: { seed: null } };
  const zeros = { class_name: 'Zeros', config: {} };
  const none = {
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
  const layers = [
    {
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, SIDE, SIDE, 3], dtype: 'float32', sparse: false, name: 'input_1' },
    },
    {
      class_name: 'Conv2D',
      config: {
        name: 'conv2d',
        trainable: true,
        dtype: 'float32',
        filters: FILTERS,
        kernel_size: [3, 3],
        strides: [1, 1],
        padding: 'valid',
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        activation: 'relu',
        use_bias: true,
        kernel_initializer: dense,
        bias_initializer: zeros,
        ...none,
      },
    },
    {
      class_name: 'MaxPooling2D',
      config: {
        name: 'max_pooling2d',
        trainable: true,
        dtype: 'float32',
        pool_size: [2, 2],
        padding: 'valid',
        strides: [2, 2],
        data_format: 'channels_last',
      },
    },
    {
      class_name: 'Flatten',
      config: { name: 'flatten', trainable: true, dtype: 'float32', data_format: 'channels_last' },
    },
    {
      class_name: 'Dense',
      config: {
        name: 'dense',
        trainable: true,
        dtype: 'float32',
        units: 2,
        activation: 'softmax',
        use_bias: true,
        kernel_initializer: dense,
        bias_initializer: zeros,
        ...none,
      },
    },
  ];
  const w = stored(m);
  // Keras' order: conv2d/kernel [3, 3, 3, 4] (row, column, channel, filter), conv2d/bias, dense/kernel [3844, 2], dense/bias.
  const convKernel = new Float32Array(3 * 3 * 3 * FILTERS);
  let state = seed >>> 0;
  for (let i = 0; i < convKernel.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    if (i % FILTERS !== 0) convKernel[i] = (state / 4294967296 - 0.5) * 0.4;
  }
  for (let c = 0; c < 3; c++) convKernel[((1 * 3 + 1) * 3 + c) * FILTERS] = w.centre;
  const convBias = new Float32Array(FILTERS);
  // Flatten is channels_last: unit (i, j, f) is row (i · 31 + j) · 4 + f; only filter 0 feeds class 1.
  const denseKernel = new Float32Array(POOLED * POOLED * FILTERS * 2);
  for (let cell = 0; cell < POOLED * POOLED; cell++) denseKernel[cell * FILTERS * 2 + 1] = w.perCell;
  const denseBias = Float32Array.from([0, w.bias]);
  const parts = [convKernel, convBias, denseKernel, denseBias];
  const values = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (values.set(p, at), at + p.length), 0);
  const json = {
    format: 'layers-model',
    generatedBy: 'keras v2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: { name: 'sequential', layers } },
      training_config: null,
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'conv2d/kernel', shape: [3, 3, 3, FILTERS], dtype: 'float32' },
          { name: 'conv2d/bias', shape: [FILTERS], dtype: 'float32' },
          { name: 'dense/kernel', shape: [POOLED * POOLED * FILTERS, 2], dtype: 'float32' },
          { name: 'dense/bias', shape: [2], dtype: 'float32' },
        ],
      },
    ],
  };
  return { modelJson: JSON.stringify(json), weights: new Uint8Array(values.buffer) };
}
