import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AttackSettings } from '../../shared/fool/attackSettings';
import { DEFAULT_ATTACK, stepRule } from '../../shared/fool/attackSettings';
import { allowedChange } from '../../shared/fool/bounds';
import { runAttack } from './attacks';
import { probabilitiesOf, stepSizeAt } from './iterativeAttack';
import { argMax } from '../../shared/argMax';

const S = 8;
const SIZE = S * S * 3;

/** A small random conv net with seeded weights: conv(4, relu) → conv(4, relu) → flatten → dense(k, softmax). */
function randomModel(seed: number, classes = 2): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  let x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed }) })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }) })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({ units: classes, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }) })
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
            const settings: AttackSettings = { ...DEFAULT_ATTACK, rule, fraction, stepSize, maxSteps: 12, update, schedule };
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

  it('the step rule: sign or the paper\'s plain gradient ascent, fixed or decaying α', () => {
    expect(stepSizeAt(2, 0, 100, 'fixed')).toBe(2);
    expect(stepSizeAt(2, 99, 100, 'fixed')).toBe(2);
    expect([0, 39, 40, 59, 60, 80, 90, 99].map((s) => stepSizeAt(2, s, 100, 'decay'))).toEqual([2, 2, 1, 1, 0.5, 0.25, 0.125, 0.125]);
    expect(stepRule(DEFAULT_ATTACK)).toEqual({ update: DEFAULT_ATTACK.update, schedule: DEFAULT_ATTACK.schedule });
    // BIM and PGD keep their textbook fixed sign steps unless asked.
    expect(stepRule({ ...DEFAULT_ATTACK, attack: 'pgd', update: undefined, schedule: undefined })).toEqual({ update: 'sign', schedule: 'fixed' });
    expect(stepRule({ ...DEFAULT_ATTACK, update: 'gradient' }).update).toBe('gradient');
  });

  it('paper attack in floats: exact bound; saved (rounded) within the bound + ½ level', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1e6 }), images(1), fc.double({ min: 0.005, max: 0.2, noNaN: true }), async (seed, pixels, fraction) => {
        const model = randomModel(seed);
        try {
          const settings: AttackSettings = { ...DEFAULT_ATTACK, fraction, quantised: false, stepSize: 0.7, maxSteps: 10 };
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
      }),
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
            const settings: AttackSettings = { ...DEFAULT_ATTACK, attack, epsilon, targeted, quantised, stepSize: epsilon / 4, maxSteps: 6, seed };
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
            const settings: AttackSettings = { ...DEFAULT_ATTACK, attack, rule: 'range', fraction: 0.3, epsilon: 48, stepSize: 6, maxSteps: 20, stopConfidence, targeted: true };
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
    const run = await runAttack(model, { ...DEFAULT_ATTACK, rule: 'range', maxSteps: 30 }, { pixels, labels: [0], recordFrames: 10 });
    expect(tf.memory().numTensors).toBe(before);
    expect(run.history.length).toBe(run.outcomes[0].steps + 1);
    expect(run.frames[0].step).toBe(0);
    expect(Array.from(run.frames[0].pixels)).toEqual(Array.from(pixels));
    expect(run.frames[run.frames.length - 1].step).toBe(run.history.length - 1);
    model.dispose();
  });
});
