import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { generateFace } from '../../../shared/synthetic/lookalikes';
import { DEFAULT_CONFIG } from '../../../shared/trainingConfig';
import { buildModel } from '../../../ml/models';
import { maximiseActivation } from './activationMax';
import { pointingGame, regionShares } from './regions';
import { Rng } from '../../../shared/synthetic/rng';
import {
  classScore,
  gradCam,
  inputGradient,
  integratedGradients,
  lastConvLayerName,
  saliencyMap,
  smoothGradient,
  type ScoreTarget,
} from './saliency';
import { argMax } from '../../../shared/argMax';

const S = 16; // tiny 16×16×3 models: the cpu backend is slow

/** Smooth (tanh, average-pool) model so finite differences are exact up to float32 rounding. */
function smoothModel(): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'tanh',
      name: 'c1',
      kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
      biasInitializer: 'zeros',
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.averagePooling2d({ poolSize: 2, name: 'p1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'tanh',
      name: 'c2',
      kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }),
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: 3,
      activation: 'softmax',
      name: 'out',
      kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Compact-style model (ReLU, batch norm, max-pool, dropout) to check the layer-by-layer runner. */
function compactLike(): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'conv1',
      kernelInitializer: tf.initializers.heNormal({ seed: 4 }),
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ name: 'bn1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'conv2',
      kernelInitializer: tf.initializers.heNormal({ seed: 5 }),
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({
      units: 8,
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: 6 }),
      biasInitializer: tf.initializers.constant({ value: 0.5 }),
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.5 }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: 2,
      activation: 'softmax',
      name: 'predictions',
      kernelInitializer: tf.initializers.glorotNormal({ seed: 7 }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function randomImage(seed: number, n = S * S * 3): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.next());
}

async function noLeak<T>(fn: () => Promise<T>): Promise<T> {
  const before = tf.memory().numTensors;
  const out = await fn();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** Max |analytic − central difference| over `count` random coordinates, and the max |gradient|. */
async function fdError(
  image: Float32Array,
  grad: Float32Array,
  f: (x: Float32Array) => Promise<number>,
  count: number,
  h: number,
) {
  const rng = new Rng(99);
  let maxErr = 0;
  const maxGrad = grad.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
  for (let i = 0; i < count; i++) {
    const j = rng.int(0, image.length - 1);
    const plus = image.slice();
    const minus = image.slice();
    plus[j] += h;
    minus[j] -= h;
    const fd = ((await f(plus)) - (await f(minus))) / (2 * h);
    maxErr = Math.max(maxErr, Math.abs(fd - grad[j]));
  }
  return { maxErr, maxGrad };
}

describe('saliency', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('scores: probability matches predict, softmax(logits) = probabilities', async () => {
    const model = smoothModel();
    const img = randomImage(1);
    const probs = tf.tidy(() => model.predict(tf.tensor4d(img, [1, S, S, 3])) as tf.Tensor);
    const p = await probs.data();
    probs.dispose();
    const logits: number[] = [];
    for (let c = 0; c < 3; c++) {
      expect(await noLeak(() => classScore(model, img, c, 'probability'))).toBeCloseTo(p[c], 6);
      logits.push(await classScore(model, img, c, 'logit'));
    }
    const z = logits.map((l) => Math.exp(l));
    const sum = z.reduce((a, b) => a + b, 0);
    z.forEach((v, c) => expect(v / sum).toBeCloseTo(p[c], 5));
    await expect(classScore(model, img, 3)).rejects.toThrow(RangeError);
    model.dispose();
  });

  it('vanilla gradient matches finite differences (logit and probability)', async () => {
    const model = smoothModel();
    const img = randomImage(2);
    for (const target of ['logit', 'probability'] as ScoreTarget[]) {
      const g = await noLeak(() => inputGradient(model, img, 1, target));
      const { maxErr, maxGrad } = await fdError(img, g, (x) => classScore(model, x, 1, target), 40, 1e-2);
      console.log(
        `FD smooth model, ${target}: max |grad − FD| = ${maxErr.toExponential(2)}, max |grad| = ${maxGrad.toExponential(2)}`,
      );
      expect(maxErr).toBeLessThan(1e-3 * maxGrad + 1e-6);
    }
    // The compact-style model (ReLU, BN, max-pool, dropout in inference mode), away from kinks.
    const compact = compactLike();
    const g = await noLeak(() => inputGradient(compact, img, 0));
    const { maxErr, maxGrad } = await fdError(img, g, (x) => classScore(compact, x, 0), 40, 1e-3);
    console.log(
      `FD compact-like model, logit: max |grad − FD| = ${maxErr.toExponential(2)}, max |grad| = ${maxGrad.toExponential(2)}`,
    );
    expect(maxGrad).toBeGreaterThan(0);
    expect(maxErr).toBeLessThan(1e-2 * maxGrad);
    model.dispose();
    compact.dispose();
  });

  it('SmoothGrad equals the gradient of the noise-averaged score (finite differences), and is seeded', async () => {
    const model = smoothModel();
    const img = randomImage(3);
    const sg = await noLeak(() => smoothGradient(model, img, 2, { samples: 6, noise: 0.1, seed: 5, batchSize: 4 }));
    // Reproduce its noise: SmoothGrad averages ∇f(x + ε_i), which is ∇ of (1/n) Σ f(x + ε_i).
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of img) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const rng = new Rng(5);
    const noises = Array.from({ length: 6 }, () => Float32Array.from(img, () => 0.1 * (hi - lo) * rng.normal()));
    const smoothed = async (x: Float32Array) => {
      let s = 0;
      for (const e of noises)
        s += await classScore(
          model,
          Float32Array.from(x, (v, j) => v + e[j]),
          2,
        );
      return s / noises.length;
    };
    const { maxErr, maxGrad } = await fdError(img, sg, smoothed, 20, 1e-2);
    console.log(`FD SmoothGrad: max error ${maxErr.toExponential(2)}, max |grad| ${maxGrad.toExponential(2)}`);
    expect(maxErr).toBeLessThan(1e-3 * maxGrad + 1e-6);
    expect(await smoothGradient(model, img, 2, { samples: 6, noise: 0.1, seed: 5, batchSize: 4 })).toEqual(sg);
    expect(await smoothGradient(model, img, 2, { samples: 6, noise: 0.1, seed: 6 })).not.toEqual(sg);
    // No noise: SmoothGrad is the plain gradient.
    const g = await inputGradient(model, img, 2);
    const sg0 = await smoothGradient(model, img, 2, { samples: 3, noise: 0 });
    sg0.forEach((v, j) => expect(v).toBeCloseTo(g[j], 5));
    model.dispose();
  });

  it('Integrated Gradients satisfies completeness within 1 % (black and blur baselines)', async () => {
    const model = smoothModel();
    const compact = compactLike();
    const img = randomImage(4);
    const cases: Array<[string, tf.LayersModel, ScoreTarget, 'black' | 'blur', number]> = [
      ['smooth', model, 'logit', 'black', 32],
      ['smooth', model, 'probability', 'blur', 32],
      ['compact-like', compact, 'logit', 'black', 128],
    ];
    for (const [name, m, target, baseline, steps] of cases) {
      const ig = await noLeak(() => integratedGradients(m, img, 0, steps, baseline, { target }));
      const sum = ig.attributions.reduce((a, b) => a + b, 0);
      const delta = ig.fx - ig.fBaseline;
      const rel = Math.abs(sum - delta) / Math.abs(delta);
      console.log(
        `IG ${name} ${target} ${baseline} ${steps} steps: Σattr ${sum.toFixed(6)}, f(x) − f(x′) ${delta.toFixed(6)}, rel. error ${(rel * 100).toFixed(3)} %`,
      );
      expect(rel).toBeLessThan(0.01);
      expect(ig.fx).toBeCloseTo(await classScore(m, img, 0, target), 5);
    }
    model.dispose();
    compact.dispose();
  });

  /**
   * conv 'feat' (1×1): channel 0 = ReLU(red), channel 1 = ReLU(green); 2×2 max-pool; dense: class 0 reads
   * channel 0 in the top-left quadrant only, class 1 reads channel 1 in the bottom-right quadrant only.
   */
  function quadrantModel(): tf.LayersModel {
    const input = tf.input({ shape: [S, S, 3] });
    const feat = tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', name: 'feat' });
    const pool = tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' });
    const dense = tf.layers.dense({ units: 2, activation: 'softmax', name: 'out' });
    const x = pool.apply(feat.apply(input)) as tf.SymbolicTensor;
    const out = dense.apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const h = S / 2;
    const kernel = new Float32Array(h * h * 2 * 2);
    for (let y = 0; y < h; y++) {
      for (let x2 = 0; x2 < h; x2++) {
        const base = (y * h + x2) * 2;
        if (y < h / 2 && x2 < h / 2) kernel[(base + 0) * 2 + 0] = 1; // channel 0 → class 0, top-left
        if (y >= h / 2 && x2 >= h / 2) kernel[(base + 1) * 2 + 1] = 1; // channel 1 → class 1, bottom-right
      }
    }
    const ws = [
      tf.tensor4d([1, 0, 0, 1, 0, 0], [1, 1, 3, 2]),
      tf.zeros([2]),
      tf.tensor2d(kernel, [h * h * 2, 2]),
      tf.zeros([2]),
    ];
    feat.setWeights(ws.slice(0, 2));
    dense.setWeights(ws.slice(2));
    tf.dispose(ws);
    return model;
  }

  /** Grey 0.2 image with red and green 3×3 blobs in several quadrants. */
  function quadrantImage(): Float32Array {
    const img = new Float32Array(S * S * 3).fill(0.2);
    const blob = (cy: number, cx: number, ch: number) => {
      for (let y = cy - 1; y <= cy + 1; y++) for (let x = cx - 1; x <= cx + 1; x++) img[(y * S + x) * 3 + ch] = 1;
    };
    blob(4, 3, 0); // red, top-left
    blob(11, 12, 0); // red, bottom-right: class 0 does not look there
    blob(12, 4, 1); // green, bottom-left: class 1 does not look there
    blob(10, 10, 1); // green, bottom-right
    return img;
  }

  const quadrant = (p: number) => {
    const y = Math.floor(p / S);
    const x = p % S;
    return (y < S / 2 ? 'top' : 'bottom') + '-' + (x < S / 2 ? 'left' : 'right');
  };

  it('Grad-CAM peaks in the quadrant the class depends on', async () => {
    const model = quadrantModel();
    expect(lastConvLayerName(model)).toBe('feat');
    // Single-blob images: the class depends on one quadrant, Grad-CAM peaks there (at 16×16 and on the 8×8 pool).
    const img = new Float32Array(S * S * 3).fill(0.2);
    for (let y = 2; y <= 4; y++) for (let x = 2; x <= 4; x++) img[(y * S + x) * 3] = 1; // red, top-left
    for (let y = 11; y <= 13; y++) for (let x = 11; x <= 13; x++) img[(y * S + x) * 3 + 1] = 1; // green, bottom-right
    for (const layerName of ['feat', 'pool']) {
      const cam0 = await noLeak(() => gradCam(model, img, 0, layerName));
      const cam1 = await noLeak(() => gradCam(model, img, 1, layerName));
      expect(cam0.length).toBe(S * S);
      console.log(
        `Grad-CAM on ${layerName}: class 0 peak ${quadrant(argMax(cam0))}, class 1 peak ${quadrant(argMax(cam1))}`,
      );
      expect(quadrant(argMax(cam0))).toBe('top-left');
      expect(quadrant(argMax(cam1))).toBe('bottom-right');
      expect(Math.min(...cam0)).toBeGreaterThanOrEqual(0);
    }
    // And through saliencyMap with the default layer.
    const viaMap = await noLeak(() => saliencyMap(model, img, { method: 'gradcam', classIndex: 0 }));
    expect(quadrant(argMax(viaMap))).toBe('top-left');
    // Gradient-based maps on the same model put (almost) all mass in the class's quadrant.
    const g = await noLeak(() => saliencyMap(model, quadrantImage(), { method: 'gradient', classIndex: 1 }));
    let inQuad = 0;
    let total = 0;
    g.forEach((v, p) => {
      total += v;
      if (quadrant(p) === 'bottom-right') inQuad += v;
    });
    expect(inQuad / total).toBeGreaterThan(0.99);
    model.dispose();
  });

  it('saliencyMap returns one h×w map per method without leaking', async () => {
    const model = compactLike();
    const img = randomImage(7);
    for (const method of ['gradient', 'smoothgrad', 'gradcam', 'integrated-gradients'] as const) {
      const m = await noLeak(() => saliencyMap(model, img, { method, classIndex: 1, samples: 4, steps: 8 }));
      expect(m).toBeInstanceOf(Float32Array);
      expect(m.length).toBe(S * S);
      expect(m.every(Number.isFinite)).toBe(true);
      if (method !== 'integrated-gradients') expect(Math.min(...m)).toBeGreaterThanOrEqual(0);
    }
    model.dispose();
  });

  it('runs on the app’s 64×64 compact model with no synchronous readback', async () => {
    const model = buildModel({ ...DEFAULT_CONFIG, widthMultiplier: 0.25 });
    const face = generateFace(5, 1);
    const img = Float32Array.from(face.pixels, (v) => v / 255);
    const readSync = vi.spyOn(tf.engine(), 'readSync');
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const arraySync = vi.spyOn(tf.Tensor.prototype, 'arraySync');
    expect(lastConvLayerName(model)).toBe('conv4');
    const maps: Float32Array[] = [];
    for (const method of ['gradient', 'smoothgrad', 'gradcam', 'integrated-gradients'] as const) {
      const m = await noLeak(() =>
        saliencyMap(model, img, { method, classIndex: 1, samples: 2, steps: 4, baseline: 'blur' }),
      );
      expect(m.length).toBe(64 * 64);
      expect(m.every(Number.isFinite)).toBe(true);
      const shares = regionShares(m, face.mask);
      // An untrained model's Grad-CAM can be all zero after its ReLU (random weights): then every share is 0.
      const hasMass = m.some((v) => v !== 0);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(hasMass ? 1 : 0, 5);
      maps.push(m.map(Math.abs));
    }
    const game = pointingGame(
      maps,
      maps.map(() => face.mask),
      [2, 3, 4, 5, 6],
    );
    expect(game.total).toBe(4);
    const am = await noLeak(() => maximiseActivation(model, { layerName: 'conv2', filter: 0, steps: 3 }));
    expect(am.image.length).toBe(64 * 64 * 3);
    expect(readSync).not.toHaveBeenCalled();
    expect(dataSync).not.toHaveBeenCalled();
    expect(arraySync).not.toHaveBeenCalled();
    readSync.mockRestore();
    dataSync.mockRestore();
    arraySync.mockRestore();
    model.dispose();
  });
});
