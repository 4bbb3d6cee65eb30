/**
 * Issue #9 item 6 — no tensor leaks over long sessions, measured with tf.memory() (tensors and bytes) on the
 * wasm backend in Node (the backend the app picks on a GPU-less machine, with our training kernels):
 * - 1,000 training steps through the app's own trainer (runTraining: IndexedDB batches, augmentation, PGD
 *   adversarial share, dropout, per-epoch test evaluation and checkpoint), measured between batch events;
 * - 100 attacks through the Fool page's entry point (foolOneImage: attack + PNG save + re-classification),
 *   20 each of paper, FGSM, BIM, PGD and DeepFool, a few steps each;
 * - 50 activation maximisations through activationMax.ts's entry point, on a conv layer and on the logits.
 * Each must end within LEAK_BOUND of its start: a leak of one tensor per step, per attack or per maximisation
 * would be ≥ 50 tensors over the bound. The model is tiny (compact × 0.125, batch 4) so the whole file runs
 * in about a minute on 2 cores. The numbers printed here are docs/reliability.md's ("Leaks").
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImages } from '../db/datasets';
import { openLabDb } from '../db/open';
import { ATTACKS, DEFAULT_ATTACK, type AttackSettings } from '../features/fool/shared/attackSettings';
import { DEFAULT_CONFIG, type TrainingConfig } from '../shared/trainingConfig';
import { generateDemoDataset } from '../features/data/worker/demoDataset';
import { foolOneImage } from '../features/fool/worker/foolService';
import { maximiseActivation } from '../features/see/worker/activationMax';
import { TrainControl, runTraining } from '../features/train/worker/train';
import { setupWasmInNode } from './wasmNode';
import { nodePng } from '../test/nodePng';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';

/**
 * Allowed growth of tf.memory() over a whole loop. Measured growth is 0 tensors / 0 bytes for all three (see
 * docs/reliability.md); the slack of 2 tensors / 1 KiB only tolerates a lazily created constant, never a per-step leak.
 */
const LEAK_BOUND = { tensors: 2, bytes: 1024 };
const TRAIN_STEPS = 1000;
const ATTACK_RUNS = 100;
const ACTMAX_RUNS = 50;

const SIZE = PIXELS_PER_IMAGE;

interface Mem {
  numTensors: number;
  numBytes: number;
}
const mem = (): Mem => {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
};

function report(what: string, before: Mem, after: Mem, extra = ''): void {
  console.log(
    `[leaks] ${what}: tensors ${before.numTensors} → ${after.numTensors} (${after.numTensors - before.numTensors >= 0 ? '+' : ''}${after.numTensors - before.numTensors}), ` +
      `bytes ${before.numBytes} → ${after.numBytes} (${after.numBytes - before.numBytes >= 0 ? '+' : ''}${after.numBytes - before.numBytes})` +
      `; bound +${LEAK_BOUND.tensors} tensors / +${LEAK_BOUND.bytes} B${extra ? `; ${extra}` : ''}`,
  );
}

function expectWithinBound(before: Mem, after: Mem): void {
  expect(after.numTensors - before.numTensors).toBeLessThanOrEqual(LEAK_BOUND.tensors);
  expect(after.numBytes - before.numBytes).toBeLessThanOrEqual(LEAK_BOUND.bytes);
}

describe('tf.memory() stays flat over long sessions (wasm backend)', () => {
  // Shared between the three parts: the trained model is what the Fool and See pages work on.
  let model: tf.LayersModel | null = null;
  let images: { pixels: Uint8Array; labels: number[] } | null = null;
  let start: Mem;

  beforeAll(async () => {
    await setupWasmInNode();
    start = mem();
  });

  it(`${TRAIN_STEPS} training steps (augmentation, PGD share, dropout, evaluation, checkpoints)`, async () => {
    const db = await openLabDb('leaks-test');
    // 250 images → 200 for training → 50 batches of 4 per epoch → 20 epochs for 1,000 steps.
    const { datasetId } = await generateDemoDataset(db, { count: 250, seed: 9, name: 'leaks' });
    const config: TrainingConfig = {
      ...DEFAULT_CONFIG,
      widthMultiplier: 0.125,
      batchSize: 4,
      dropout: 0.35,
      augment: true,
      epochs: 1000, // stopped after TRAIN_STEPS below
      // One PGD step on half of each batch: the adversarial path runs every step at a quarter of the cost of 3.
      adversarial: { epsilon: 8, ratio: 0.5, steps: 1, stepSize: 8 },
    };
    const control = new TrainControl();
    const atStep: Mem[] = [];
    let checkpoints = 0;
    const beforeRun = mem();
    const t0 = performance.now();
    const result = await runTraining(
      { datasetId, config },
      {
        db,
        backend: 'wasm',
        control,
        emit: (e) => {
          // Batch events come after the step's tensors are disposed: what remains is the model and the
          // optimizer's slots, which must not grow.
          if (e.type === 'batch') {
            atStep[e.metric.step] = mem();
            if (e.metric.step >= TRAIN_STEPS) control.stop();
          }
          if (e.type === 'checkpoint') checkpoints++;
        },
        keepModel: (_runId, m) => (model = m),
      },
    );
    const seconds = (performance.now() - t0) / 1000;
    expect(result.status).toBe('stopped');
    expect(atStep.length - 1).toBe(TRAIN_STEPS);
    expect(checkpoints).toBe(TRAIN_STEPS / 50);
    // Step 1 creates Adam's slot variables; from the end of step 2 on nothing may accumulate.
    const warm = atStep[2];
    const last = atStep[TRAIN_STEPS];
    const peak = Math.max(...atStep.slice(2).map((m) => m.numTensors));
    report(
      `training, step 2 → step ${TRAIN_STEPS}`,
      warm,
      last,
      `peak ${peak} tensors at a batch boundary; ${seconds.toFixed(1)} s`,
    );
    expectWithinBound(warm, last);
    expect(peak - warm.numTensors).toBeLessThanOrEqual(LEAK_BOUND.tensors);
    // A stopped run disposes its model and optimizer: back to where it started, exactly.
    report('training, before the run → after it stopped', beforeRun, mem());
    expect(mem()).toEqual(beforeRun);

    // The model the next two parts use: a completed run hands its model over (keepModel), as in the worker.
    const done = await runTraining(
      { datasetId, config: { ...config, epochs: 1, adversarial: undefined } },
      { db, backend: 'wasm', control: new TrainControl(), emit: () => {}, keepModel: (_runId, m) => (model = m) },
    );
    expect(done.status).toBe('completed');
    expect(model).not.toBeNull();
    const picked = await readImages(db, datasetId, [0, 1, 2, 3]);
    images = { pixels: picked.pixels, labels: Array.from(picked.labels) };
  }, 600_000);

  it(`${ATTACK_RUNS} attacks (paper, FGSM, BIM, PGD, DeepFool; saved as PNG and re-classified)`, async () => {
    expect(model).not.toBeNull();
    const m = model!;
    const { pixels, labels } = images!;
    const settingsFor = (attack: AttackSettings['attack'], i: number): AttackSettings => ({
      ...DEFAULT_ATTACK,
      attack,
      maxSteps: 4,
      stepSize: 2,
      seed: i,
      // The paper attack stops at 90 %: a low bar makes some images stop early, the other path to cover.
      stopConfidence: i % 2 ? 0.9 : 0.5,
    });
    const attackOnce = async (i: number) => {
      const k = i % 4;
      const r = await foolOneImage(
        m,
        nodePng,
        { index: k, pixels: pixels.slice(k * SIZE, (k + 1) * SIZE), label: Number(labels[k]) },
        settingsFor(ATTACKS[i % ATTACKS.length], i),
      );
      // Real outputs, so the loop cannot pass by doing nothing.
      expect(r.modified.length).toBe(SIZE);
      expect(r.saved.identical).toBe(true);
      return r;
    };
    // Warm-up: one of each kind (first calls may create cached constants).
    for (let i = 0; i < ATTACKS.length; i++) await attackOnce(i);
    const before = mem();
    const t0 = performance.now();
    let steps = 0;
    let succeeded = 0;
    for (let i = 0; i < ATTACK_RUNS; i++) {
      const r = await attackOnce(i);
      steps += r.steps;
      if (r.success) succeeded++;
    }
    const after = mem();
    report(
      `${ATTACK_RUNS} attacks`,
      before,
      after,
      `${steps} attack steps in all, ${succeeded} succeeded; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(steps).toBeGreaterThan(ATTACK_RUNS);
    expectWithinBound(before, after);
  }, 300_000);

  it(`${ACTMAX_RUNS} activation maximisations (conv channel and class logit)`, async () => {
    expect(model).not.toBeNull();
    const m = model!;
    const run = (i: number) =>
      // blurEvery 2 puts the blur in the loop too; a conv channel and the logit take different branches.
      maximiseActivation(m, {
        layerName: i % 2 ? 'conv2' : 'predictions',
        filter: i % 2,
        steps: 6,
        blurEvery: 2,
        seed: i,
      });
    await run(0);
    await run(1);
    const before = mem();
    const t0 = performance.now();
    let rose = 0;
    for (let i = 0; i < ACTMAX_RUNS; i++) {
      const r = await run(i);
      expect(r.history.length).toBe(6);
      expect(r.image.length).toBe(SIZE);
      if (r.finalActivation > r.startActivation) rose++;
    }
    const after = mem();
    report(
      `${ACTMAX_RUNS} activation maximisations`,
      before,
      after,
      `activation rose in ${rose}; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(rose).toBeGreaterThan(ACTMAX_RUNS / 2);
    expectWithinBound(before, after);

    m.dispose();
    model = null;
    report('whole file, backend ready → model disposed', start, mem());
    expect(mem()).toEqual(start);
  }, 300_000);
});
