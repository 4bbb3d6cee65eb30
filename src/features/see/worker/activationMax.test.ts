import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { activationGain, maximiseActivation, meanActivation } from './activationMax';

const S = 16;

/**
 * Hand-built 'edges' conv (3×3, ReLU, bias 0.01): filter 0 = vertical edge detector on red (−1 | 0 | +1
 * columns), filter 1 = horizontal edge detector on green; a flat grey image barely excites them. Then a seeded
 * random head: max-pool → conv(4, ReLU) → flatten → dense(2, softmax) 'out'.
 */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  const edges = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', name: 'edges' });
  let x = edges.apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'c2',
      kernelInitializer: tf.initializers.heNormal({ seed: 12 }),
      biasInitializer: tf.initializers.constant({ value: 0.01 }),
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: 2,
      activation: 'softmax',
      name: 'out',
      kernelInitializer: tf.initializers.glorotNormal({ seed: 13 }),
    })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  const kernel = new Float32Array(3 * 3 * 3 * 2); // [kh, kw, cin, cout]
  for (let i = 0; i < 3; i++) {
    kernel[((i * 3 + 0) * 3 + 0) * 2 + 0] = -1; // red, left column
    kernel[((i * 3 + 2) * 3 + 0) * 2 + 0] = 1; // red, right column
    kernel[((0 * 3 + i) * 3 + 1) * 2 + 1] = -1; // green, top row
    kernel[((2 * 3 + i) * 3 + 1) * 2 + 1] = 1; // green, bottom row
  }
  const ws = [tf.tensor4d(kernel, [3, 3, 3, 2]), tf.fill([2], 0.01)];
  edges.setWeights(ws);
  tf.dispose(ws);
  return model;
}

describe('activation maximisation', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('raises a hand-built edge filter’s mean activation ≥ 5× over the placeholder, seeded, in [0,1], leak-free', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const opts = { layerName: 'edges', filter: 0, steps: 60, seed: 3 };
    const r = await maximiseActivation(model, opts, (step) => progress.push(step));
    expect(tf.memory().numTensors).toBe(before);
    console.log(
      `activation max, edges filter 0 (defaults, 60 steps): start ${r.startActivation.toFixed(4)} → final ${r.finalActivation.toFixed(4)} (${(r.finalActivation / r.startActivation).toFixed(1)}×)`,
    );
    expect(r.startActivation).toBeGreaterThan(0);
    expect(r.finalActivation).toBeGreaterThanOrEqual(5 * r.startActivation);
    expect(r.image.length).toBe(S * S * 3);
    expect(r.image.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(r.history.length).toBe(60);
    expect(progress).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(r.aborted).toBe(false);
    expect(await meanActivation(model, r.image, 'edges', 0)).toBeCloseTo(r.finalActivation, 6);
    // Same seed, same image; another seed, another image.
    expect((await maximiseActivation(model, opts)).image).toEqual(r.image);
    expect((await maximiseActivation(model, { ...opts, seed: 4 })).image).not.toEqual(r.image);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('raises a class logit (output layer), stops on abort, and checks its arguments', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const r = await maximiseActivation(model, { layerName: 'out', filter: 0, steps: 40, seed: 1 });
    console.log(
      `activation max, class 0 logit: start ${r.startActivation.toFixed(4)} → final ${r.finalActivation.toFixed(4)}`,
    );
    expect(r.finalActivation).toBeGreaterThan(2 * r.startActivation);
    const controller = new AbortController();
    const partial = await maximiseActivation(
      model,
      { layerName: 'c2', filter: 0, steps: 50 },
      (step) => {
        if (step === 5) controller.abort();
      },
      controller.signal,
    );
    expect(partial.aborted).toBe(true);
    expect(partial.history.length).toBe(5);
    await expect(maximiseActivation(model, { layerName: 'edges', filter: 2 })).rejects.toThrow(RangeError);
    await expect(maximiseActivation(model, { layerName: 'nope', filter: 0 })).rejects.toThrow(/no layer/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('the regularisers do what they are for: L2 keeps the image nearer grey, TV smoother, blur smoother', async () => {
    const model = tinyModel();
    // Same seed and steps; only one regulariser changes at a time (jitter off so the runs differ in that alone).
    const base = { layerName: 'edges', filter: 0, steps: 40, seed: 5, jitter: 0, l2: 0, tv: 0, blurEvery: 0 };
    const distanceFromGrey = (img: Float32Array) => Math.sqrt(img.reduce((s, v) => s + (v - 0.5) ** 2, 0));
    const roughness = (img: Float32Array) => {
      let sum = 0;
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          for (let c = 0; c < 3; c++) {
            const v = img[(y * S + x) * 3 + c];
            if (x + 1 < S) sum += (img[(y * S + x + 1) * 3 + c] - v) ** 2;
            if (y + 1 < S) sum += (img[((y + 1) * S + x) * 3 + c] - v) ** 2;
          }
        }
      }
      return sum;
    };
    const plain = (await maximiseActivation(model, base)).image;
    const withL2 = (await maximiseActivation(model, { ...base, l2: 5 })).image;
    const withTv = (await maximiseActivation(model, { ...base, tv: 0.5 })).image;
    const withBlur = (await maximiseActivation(model, { ...base, blurEvery: 2, blurSigma: 1 })).image;
    console.log(
      `activation max regularisers: distance from grey ${distanceFromGrey(plain).toFixed(3)} → ${distanceFromGrey(withL2).toFixed(3)} with L2; ` +
        `roughness ${roughness(plain).toFixed(3)} → ${roughness(withTv).toFixed(3)} with TV, ${roughness(withBlur).toFixed(3)} with blur`,
    );
    expect(distanceFromGrey(withL2)).toBeLessThan(0.9 * distanceFromGrey(plain));
    expect(roughness(withTv)).toBeLessThan(0.9 * roughness(plain));
    expect(roughness(withBlur)).toBeLessThan(0.9 * roughness(plain));
    model.dispose();
  });

  it('computes the activation gain', () => {
    expect(activationGain(3, 0.5)).toBe(6);
    expect(activationGain(3, 0)).toBeNaN();
    expect(activationGain(3, Number.NaN)).toBeNaN();
  });
});
