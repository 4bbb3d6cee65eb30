import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttackSettings } from '../shared/attackSettings';
import { DEFAULT_ATTACK } from '../shared/attackSettings';
import { stepRule } from '../shared/attackKinds';
import { allowedChange } from '../shared/bounds';
import { runAttack } from './attacks';
import { stepSizeAt } from './iterativeAttack';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import { argMax } from '../../../shared/argMax';

const S = 8;
const SIZE = S * S * 3;

/** A small random conv net with seeded weights: conv(4, relu) → conv(4, relu) → flatten → dense(k, softmax). */
function randomModel(seed: number, classes = 2): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed }),
    })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }),
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: classes,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

const images = (n: number) => fc.uint8Array({ minLength: n * SIZE, maxLength: n * SIZE });

describe('attacks keep their bounds (property-based)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('paper attack: every saved pixel within ±fraction·x (whole levels, no slack) and in [0, 255]', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e6 }),
        images(2),
        fc.double({ min: 0.005, max: 0.5, noNaN: true }),
        fc.constantFrom<'relative' | 'range'>('relative', 'range'),
        fc.double({ min: 0.1, max: 4, noNaN: true }),
        fc.constantFrom<'sign' | 'gradient'>('sign', 'gradient'),
        fc.constantFrom<'fixed' | 'decay'>('fixed', 'decay'),
        async (seed, pixels, fraction, rule, stepSize, update, schedule) => {
          const model = randomModel(seed);
          try {
            const settings: AttackSettings = {
              ...DEFAULT_ATTACK,
              rule,
              fraction,
              stepSize,
              maxSteps: 12,
              update,
              schedule,
            };
            const run = await runAttack(model, settings, { pixels, labels: [0, 1] });
            for (const [i, o] of run.outcomes.entries()) {
              for (let j = 0; j < SIZE; j++) {
                const x = pixels[i * SIZE + j];
                const v = o.adversarial[j];
                expect(Number.isInteger(v)).toBe(true);
                expect(v).toBeGreaterThanOrEqual(0);
                expect(v).toBeLessThanOrEqual(255);
                expect(Math.abs(v - x)).toBeLessThanOrEqual(allowedChange(x, rule, fraction) + 1e-9);
              }
            }
          } finally {
            model.dispose();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it("the step rule: sign or the paper's plain gradient ascent, fixed or decaying α", () => {
    expect(stepSizeAt(2, 0, 100, 'fixed')).toBe(2);
    expect(stepSizeAt(2, 99, 100, 'fixed')).toBe(2);
    expect([0, 39, 40, 59, 60, 80, 90, 99].map((s) => stepSizeAt(2, s, 100, 'decay'))).toEqual([
      2, 2, 1, 1, 0.5, 0.25, 0.125, 0.125,
    ]);
    expect(stepRule(DEFAULT_ATTACK)).toEqual({ update: DEFAULT_ATTACK.update, schedule: DEFAULT_ATTACK.schedule });
    // BIM and PGD keep their textbook fixed sign steps unless asked.
    expect(stepRule({ ...DEFAULT_ATTACK, attack: 'pgd', update: undefined, schedule: undefined })).toEqual({
      update: 'sign',
      schedule: 'fixed',
    });
    expect(stepRule({ ...DEFAULT_ATTACK, update: 'gradient' }).update).toBe('gradient');
  });

  it('paper attack in floats: exact bound; saved (rounded) within the bound + ½ level', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e6 }),
        images(1),
        fc.double({ min: 0.005, max: 0.2, noNaN: true }),
        async (seed, pixels, fraction) => {
          const model = randomModel(seed);
          try {
            const settings: AttackSettings = {
              ...DEFAULT_ATTACK,
              fraction,
              quantised: false,
              stepSize: 0.7,
              maxSteps: 10,
            };
            const [o] = (await runAttack(model, settings, { pixels, labels: [0] })).outcomes;
            for (let j = 0; j < SIZE; j++) {
              const d = allowedChange(pixels[j], 'relative', fraction);
              expect(Math.abs(o.adversarial[j] - pixels[j])).toBeLessThanOrEqual(d * (1 + 1e-6) + 1e-4);
              const saved = Math.round(o.adversarial[j]);
              expect(Math.abs(saved - pixels[j])).toBeLessThanOrEqual(d + 0.5 + 1e-4);
              expect(saved).toBeGreaterThanOrEqual(0);
              expect(saved).toBeLessThanOrEqual(255);
            }
          } finally {
            model.dispose();
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('FGSM, BIM and PGD never leave the ε ball or [0, 255], targeted or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e6 }),
        images(2),
        fc.constantFrom<AttackSettings['attack']>('fgsm', 'bim', 'pgd'),
        fc.integer({ min: 1, max: 32 }),
        fc.boolean(),
        fc.boolean(),
        async (seed, pixels, attack, epsilon, targeted, quantised) => {
          const model = randomModel(seed);
          try {
            const settings: AttackSettings = {
              ...DEFAULT_ATTACK,
              attack,
              epsilon,
              targeted,
              quantised,
              stepSize: epsilon / 4,
              maxSteps: 6,
              seed,
            };
            const run = await runAttack(model, settings, { pixels, labels: [1, 0] });
            for (const [i, o] of run.outcomes.entries()) {
              for (let j = 0; j < SIZE; j++) {
                const v = o.adversarial[j];
                expect(Math.abs(v - pixels[i * SIZE + j])).toBeLessThanOrEqual(epsilon + 1e-4);
                expect(v).toBeGreaterThanOrEqual(0);
                expect(v).toBeLessThanOrEqual(255);
              }
            }
          } finally {
            model.dispose();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a targeted attack that reports success has the target as arg max of the returned image', async () => {
    let successes = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1e6 }),
        images(3),
        fc.constantFrom<AttackSettings['attack']>('paper', 'fgsm', 'bim', 'pgd'),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        fc.constantFrom(2, 3),
        async (seed, pixels, attack, stopConfidence, classes) => {
          const model = randomModel(seed, classes);
          try {
            // Generous bounds so that many runs succeed and the property is exercised.
            const settings: AttackSettings = {
              ...DEFAULT_ATTACK,
              attack,
              rule: 'range',
              fraction: 0.3,
              epsilon: 48,
              stepSize: 6,
              maxSteps: 20,
              stopConfidence,
              targeted: true,
            };
            const run = await runAttack(model, settings, { pixels, labels: [0, 1, 0] });
            for (const [i, o] of run.outcomes.entries()) {
              if (!o.success) continue;
              successes++;
              const probs = Array.from(await probabilitiesOf(model, o.adversarial, 1));
              expect(argMax(probs)).toBe(run.targets[i]);
              if (attack === 'paper') expect(probs[run.targets[i]]).toBeGreaterThanOrEqual(stopConfidence - 1e-5);
            }
          } finally {
            model.dispose();
          }
        },
      ),
      { numRuns: 25 },
    );
    expect(successes).toBeGreaterThan(10);
  });

  it('leaves no tensor behind and records replay frames of the first image', async () => {
    const model = randomModel(7);
    const pixels = Uint8Array.from({ length: SIZE }, (_, i) => (i * 37) % 256);
    await runAttack(model, DEFAULT_ATTACK, { pixels, labels: [0] }); // warm-up
    const before = tf.memory().numTensors;
    const run = await runAttack(
      model,
      { ...DEFAULT_ATTACK, rule: 'range', maxSteps: 30 },
      { pixels, labels: [0], recordFrames: 10 },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(run.history.length).toBe(run.outcomes[0].steps + 1);
    expect(run.frames[0].step).toBe(0);
    expect(Array.from(run.frames[0].pixels)).toEqual(Array.from(pixels));
    expect(run.frames[run.frames.length - 1].step).toBe(run.history.length - 1);
    model.dispose();
  });
});

/**
 * The paper attack under its literal default rule (±2.5 % of each pixel's own value, whole levels, stop at 90 %)
 * on a model whose answer is known exactly: flatten → dense(2, softmax), logit margin m(x) = Σ aᵢ·xᵢ/255 + b.
 * The most any allowed change can move the margin towards the other class is Σ |aᵢ|·δᵢ/255 with δᵢ the
 * whole-level bound of pixel i (capped at 255), so whether an image CAN be fooled to ≥ 90 % (a margin of ln 9 the other way) is
 * known before the attack runs. The attack must fool the foolable ones and cannot fool the others; an attack
 * that does nothing fools none, one that leaves the bounds "fools" the unfoolable.
 */
describe('the literal-rule paper attack fools what can be fooled (a linear model, known answer)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  function linearModel(a: Float32Array, bias: number): tf.LayersModel {
    const input = tf.input({ shape: [S, S, 3] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ units: 2, activation: 'softmax' });
    const out = dense.apply(flat) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    // Class 0's logit is 0; class 1's is the margin.
    const kernel = new Float32Array(SIZE * 2);
    for (let i = 0; i < SIZE; i++) kernel[i * 2 + 1] = a[i];
    dense.setWeights([tf.tensor2d(kernel, [SIZE, 2]), tf.tensor1d([0, bias])]);
    return model;
  }

  it('fools every image within reach to ≥ 90 % and none beyond it', async () => {
    // Fixed weights and images (an LCG, no Math.random): aᵢ = ±1.5, 24 images.
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const a = Float32Array.from({ length: SIZE }, () => (next() < 0.5 ? -1.5 : 1.5));
    const n = 24;
    // Bright pixels (128–255): their 2.5 % is 3–6 levels, enough to bring many but not all images within reach.
    const pixels = Uint8Array.from({ length: n * SIZE }, () => 128 + Math.floor(next() * 128));
    const margin = (img: ArrayLike<number>) => a.reduce((s, ai, i) => s + (ai * img[i]) / 255, 0);
    // Centre the set's margins on 0 so that some images are near the boundary and some far from it.
    const margins = Array.from({ length: n }, (_, k) => margin(pixels.subarray(k * SIZE, (k + 1) * SIZE)));
    const bias = -[...margins].sort((p, q) => p - q)[n >> 1];
    const model = linearModel(a, bias);
    try {
      const labels = margins.map((m) => (m + bias > 0 ? 1 : 0));
      // Each pixel moves to the end of its allowed range that pushes the margin towards the other class: up
      // (capped at 255) where that raises the other class's logit, else down.
      const reach = Array.from({ length: n }, (_, k) => {
        let gain = 0;
        for (let i = 0; i < SIZE; i++) {
          const x = pixels[k * SIZE + i];
          const d = Math.floor(0.025 * x + 1e-9);
          const up = a[i] > 0 === (labels[k] === 0);
          gain += (Math.abs(a[i]) * (up ? Math.min(255, x + d) - x : d)) / 255;
        }
        return gain;
      });
      const need = Math.log(9) + 1e-3; // p ≥ 0.9 for the other class, with a hair of slack for float32
      const foolable = margins.map((m, k) => Math.abs(m + bias) + need <= reach[k] - 1e-3);
      const unfoolable = margins.map((m, k) => Math.abs(m + bias) + Math.log(9) - 1e-3 > reach[k]);
      const run = await runAttack(model, DEFAULT_ATTACK, { pixels, labels });
      let fooled = 0;
      for (const [k, o] of run.outcomes.entries()) {
        const p = await probabilitiesOf(model, o.adversarial, 1);
        const reallyFooled = p[1 - labels[k]] >= 0.9;
        expect(o.success).toBe(reallyFooled); // the report agrees with a re-classification of the saved image
        if (foolable[k]) expect(reallyFooled).toBe(true);
        if (unfoolable[k]) expect(reallyFooled).toBe(false);
        if (reallyFooled) {
          fooled++;
          // It stopped at the step that reached 90 %, not at the step limit.
          expect(o.steps).toBeLessThan(DEFAULT_ATTACK.maxSteps);
        }
        for (let i = 0; i < SIZE; i++) {
          const x = pixels[k * SIZE + i];
          expect(Math.abs(o.adversarial[i] - x)).toBeLessThanOrEqual(
            allowedChange(x, 'relative', DEFAULT_ATTACK.fraction) + 1e-9,
          );
        }
      }
      // The set has both kinds (measured: see the log line), so the assertions above can fail either way.
      const nFoolable = foolable.filter(Boolean).length;
      const nUnfoolable = unfoolable.filter(Boolean).length;
      console.log(
        `[literal attack] ${fooled} of ${n} fooled; ${nFoolable} foolable, ${nUnfoolable} beyond reach; reach ${Math.min(...reach).toFixed(2)}–${Math.max(...reach).toFixed(2)} logits`,
      );
      expect(nFoolable).toBeGreaterThanOrEqual(6);
      expect(nUnfoolable).toBeGreaterThanOrEqual(6);
    } finally {
      model.dispose();
    }
  });
});
