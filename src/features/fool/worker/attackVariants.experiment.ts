/**
 * Experiment, not a test (issue #16 item 5; docs/attack-comparison.md): why does the paper attack plateau on
 * models trained on real photos, and which variant of it fools them within the same bound? Trains a compact
 * model in Node (wasm) on a small two-person photo set and attacks the same correctly classified test faces
 * with every variant, printing one markdown row per variant:
 *   EXPERIMENT=1 npx vitest run src/features/fool/worker/attackVariants.experiment.ts
 * Environment:
 *   PEOPLE=astronaut-cameraman  the first proxy (astronaut.png vs camera.png); default: Collins vs Hopper (below).
 *   FACES=dir     a real-photo folder (one sub-folder of 64×64 PNG crops per person: dir/<person>/*.png, or
 *                 photos the script centre-crops); without it, photo crops of astronaut.png (Eileen Collins)
 *                 and camera.png (the cameraman) from Debian's python3-skimage, jittered (see realPairs()).
 *   TRAIN=25 TEST_PER=20   faces per person; EPOCHS=8; MSEED=1 (weights); VARIANTS=name,name (default all).
 *   OUT=file.json      also write the rows as JSON (bench/attack-variants.mjs reads it).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decode } from 'fast-png';
import { it } from 'vitest';
import { ruleBounds } from '../shared/bounds';
import type { BoundRule } from '../shared/bounds';
import { Rng } from '../../../shared/synthetic/rng';
import { DEFAULT_CONFIG } from '../../../shared/trainingConfig';
import { buildModel } from '../../../ml/models';
import { makeOptimizer, toInput, trainStep } from '../../../ml/trainStep';
import { setupWasmInNode } from '../../../ml/wasmNode';
import { classifyOutcome } from '../shared/outcome';
import type { IterativeAttackSpec } from './iterativeAttack';
import { iterativeAttack } from './iterativeAttack';
import { logitsOf, probabilitiesOf } from '../../../ml/core/probabilities';
import { collinsHopper, cropFace, type Rgb } from '../../../test/realPhotoFaces';
import { IMAGE_SIDE, PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const SIDE = IMAGE_SIDE;
const SIZE = PIXELS_PER_IMAGE;

function loadPng(file: string): Rgb {
  const p = decode(readFileSync(file));
  if (p.depth !== 8) throw new Error(`${file}: expected 8-bit`);
  return { width: p.width, height: p.height, channels: p.channels, data: Uint8Array.from(p.data as Uint8Array) };
}

/** One "photo" of a person: a jittered crop (pose, framing, exposure, white balance, sensor noise). */
function photo(img: Rgb, box: [number, number, number], tint: [number, number, number], rng: Rng): Uint8Array {
  const [cx, cy, s] = box;
  const j = (a: number) => (rng.next() * 2 - 1) * a;
  const f = cropFace(img, cx + j(0.08 * s), cy + j(0.08 * s), s * (1 + j(0.12)), j(0.12), rng.next() < 0.5);
  const gain = 1 + j(0.25);
  const offset = j(20);
  const wb = [1 + j(0.08), 1 + j(0.08), 1 + j(0.08)];
  const sat = 0.6 + 0.4 * rng.next();
  const px = new Uint8Array(SIZE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const grey = (f[i * 3] + f[i * 3 + 1] + f[i * 3 + 2]) / 3;
    for (let c = 0; c < 3; c++) {
      const v = (grey + sat * (f[i * 3 + c] - grey)) * tint[c] * wb[c] * gain + offset + j(4);
      px[i * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
  return px;
}

const SKIMAGE = [
  'e2e/.cache/python3-skimage/usr/lib/python3/dist-packages/skimage/data',
  '/tmp/rp/x/usr/lib/python3/dist-packages/skimage/data',
].find((d) => existsSync(join(d, 'astronaut.png')));

/** Two people from real photos: Eileen Collins (astronaut.png) and the cameraman (camera.png, warmed to skin tones). */
function realPairs(perPerson: number, seed: number): { pixels: Uint8Array[]; labels: number[] } {
  if (!SKIMAGE)
    throw new Error(
      'astronaut.png not found: run an ingest e2e once (e2e/fixtures/faces.ts unpacks python3-skimage) or set FACES',
    );
  const people: Array<[Rgb, [number, number, number], [number, number, number]]> = [
    [loadPng(join(SKIMAGE, 'astronaut.png')), [232, 112, 140], [1, 1, 1]],
    [loadPng(join(SKIMAGE, 'camera.png')), [212, 128, 120], [1.08, 0.9, 0.78]],
  ];
  const rng = new Rng(seed);
  const pixels: Uint8Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < perPerson; i++) {
    for (const [label, [img, box, tint]] of people.entries()) {
      pixels.push(photo(img, box, tint, rng));
      labels.push(label);
    }
  }
  return { pixels, labels };
}

/** A folder of people: FACES/<person>/*.png (any size: centre square, resized to 64×64). */
function folderPairs(dir: string): {
  train: { pixels: Uint8Array[]; labels: number[] };
  test: { pixels: Uint8Array[]; labels: number[] };
} {
  const people = readdirSync(dir)
    .filter((d) => statSync(join(dir, d)).isDirectory())
    .sort()
    .slice(0, 2);
  const train = { pixels: [] as Uint8Array[], labels: [] as number[] };
  const test = { pixels: [] as Uint8Array[], labels: [] as number[] };
  const trainPer = Number(process.env.TRAIN ?? 25);
  people.forEach((person, label) => {
    const files = readdirSync(join(dir, person))
      .filter((f) => /\.png$/i.test(f))
      .sort();
    files.forEach((f, i) => {
      const img = loadPng(join(dir, person, f));
      const s = Math.min(img.width, img.height);
      const px = Uint8Array.from(cropFace(img, img.width / 2, img.height / 2, s, 0, false), (v) => Math.round(v));
      const into = i < trainPer ? train : test;
      into.pixels.push(px);
      into.labels.push(label);
    });
  });
  return { train, test };
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.length * SIZE);
  parts.forEach((p, i) => out.set(p, i * SIZE));
  return out;
};

interface Variant {
  name: string;
  rule: BoundRule;
  fraction?: number;
  spec: Partial<IterativeAttackSpec> & { stepSize: number; maxSteps: number };
}

const V = (name: string, rule: BoundRule, spec: Variant['spec'], fraction = 0.025): Variant => ({
  name,
  rule,
  spec,
  fraction,
});
const VARIANTS: Variant[] = [
  V('paper as shipped: 8-bit, sign, α 0.5, 100 steps', 'range', { stepSize: 0.5, maxSteps: 100, quantised: true }),
  V('same, 400 steps', 'range', { stepSize: 0.5, maxSteps: 400, quantised: true }),
  V('float (saved rounded to nearest)', 'range', { stepSize: 0.5, maxSteps: 100, quantised: false }),
  V('plain gradient ascent (∇/max|∇|), α 0.5', 'range', {
    stepSize: 0.5,
    maxSteps: 100,
    quantised: true,
    update: 'gradient',
  }),
  V('plain gradient ascent, α 2, decaying', 'range', {
    stepSize: 2,
    maxSteps: 100,
    quantised: true,
    update: 'gradient',
    schedule: 'decay',
  }),
  V('margin objective (z_t − z_o)', 'range', { stepSize: 0.5, maxSteps: 100, quantised: true, objective: 'margin' }),
  V('sign, α 2, fixed', 'range', { stepSize: 2, maxSteps: 100, quantised: true }),
  V('sign, α 2, decaying', 'range', { stepSize: 2, maxSteps: 100, quantised: true, schedule: 'decay' }),
  V('sign, α 2, decaying, keep best', 'range', {
    stepSize: 2,
    maxSteps: 100,
    quantised: true,
    schedule: 'decay',
    keepBest: true,
  }),
  V('PGD ε 6: random start, α 1, 100 steps, no early stop', 'range', {
    stepSize: 1,
    maxSteps: 100,
    quantised: true,
    earlyStop: false,
    randomStartSeed: 1,
  }),
  V(
    'sign, α 2, decaying, keep best, ±5 % of the range (2× the bound)',
    'range',
    { stepSize: 2, maxSteps: 100, quantised: true, schedule: 'decay', keepBest: true },
    0.05,
  ),
  V('sign, α 1, decaying, keep best', 'range', {
    stepSize: 1,
    maxSteps: 100,
    quantised: true,
    schedule: 'decay',
    keepBest: true,
  }),
  V('sign, α 2, decaying, keep best, 300 steps', 'range', {
    stepSize: 2,
    maxSteps: 300,
    quantised: true,
    schedule: 'decay',
    keepBest: true,
  }),
  V('sign, α 6, decaying, keep best', 'range', {
    stepSize: 6,
    maxSteps: 100,
    quantised: true,
    schedule: 'decay',
    keepBest: true,
  }),
  V('sign, α 2, decaying, keep best, no early stop', 'range', {
    stepSize: 2,
    maxSteps: 100,
    quantised: true,
    schedule: 'decay',
    keepBest: true,
    earlyStop: false,
  }),
  V('paper as shipped (literal reading)', 'relative', { stepSize: 0.5, maxSteps: 100, quantised: true }),
  V('sign, α 2, decaying, keep best (literal)', 'relative', {
    stepSize: 2,
    maxSteps: 100,
    quantised: true,
    schedule: 'decay',
    keepBest: true,
  }),
];

it('attack variants on a real-photo model', async () => {
  await setupWasmInNode();
  const per = Number(process.env.TRAIN ?? 25);
  const testPer = Number(process.env.TEST_PER ?? 20);
  const data = process.env.FACES
    ? folderPairs(process.env.FACES)
    : process.env.PEOPLE === 'astronaut-cameraman'
      ? { train: realPairs(per, 11), test: realPairs(testPer, 12) }
      : { train: await collinsHopper(per, 11), test: await collinsHopper(testPer, 12) };
  if (process.env.DUMP) {
    const { encode } = await import('fast-png');
    data.train.pixels
      .slice(0, 6)
      .forEach((p, i) =>
        writeFileSync(
          `${process.env.DUMP}-${i}.png`,
          encode({ width: SIDE, height: SIDE, data: p, channels: 3, depth: 8 }),
        ),
      );
  }
  const config = {
    ...DEFAULT_CONFIG,
    epochs: Number(process.env.EPOCHS ?? 8),
    dropout: Number(process.env.DROPOUT ?? DEFAULT_CONFIG.dropout),
  };
  const model = buildModel(config, Number(process.env.MSEED ?? 1));
  const optimizer = makeOptimizer(config.optimizer, config.learningRate);
  const n = data.train.labels.length;
  const rng = new Rng(5);
  const t0 = Date.now();
  for (let e = 0; e < config.epochs; e++) {
    const order = Array.from({ length: n }, (_, i) => i).sort(() => rng.next() - 0.5);
    for (let s = 0; s < n; s += config.batchSize) {
      const ix = order.slice(s, s + config.batchSize);
      const x = toInput(concat(ix.map((i) => data.train.pixels[i])), ix.length);
      const y = tf.tensor1d(
        ix.map((i) => data.train.labels[i]),
        'int32',
      );
      const { loss, correct } = trainStep(model, optimizer, x, y, 2);
      tf.dispose([x, y, loss, correct]);
    }
  }
  optimizer.dispose();
  // The correctly classified test faces (the paper attacks only those).
  const testPx = concat(data.test.pixels);
  const probs = await probabilitiesOf(model, testPx, data.test.labels.length);
  const keep = data.test.labels.map((l, i) => (probs[i * 2 + l] > 0.5 ? i : -1)).filter((i) => i >= 0);
  const acc = keep.length / data.test.labels.length;
  const pixels = concat(keep.map((i) => data.test.pixels[i]));
  const labels = keep.map((i) => data.test.labels[i]);
  const targets = labels.map((l) => 1 - l);
  const meanConf = keep.reduce((s, i) => s + probs[i * 2 + data.test.labels[i]], 0) / keep.length;
  console.log(
    `trained ${config.epochs} epochs on ${n} faces in ${((Date.now() - t0) / 1000).toFixed(0)} s; test accuracy ${(acc * 100).toFixed(1)} % ` +
      `(${keep.length}/${data.test.labels.length}), mean confidence of the correct ones ${(meanConf * 100).toFixed(1)} %`,
  );
  // First-order reachability: the margin m = z_true − z_target must drop by m + ln 9 for p(target) ≥ 90 %
  // (two classes). Linearised at the original, the most the bound allows is Σ |∂m/∂x_i| · d_i (d_i = allowed
  // change of value i). A face whose needed drop exceeds that is out of reach unless the model is far from linear.
  {
    const n2 = labels.length;
    const x = tf.tensor4d(Float32Array.from(pixels), [n2, SIDE, SIDE, 3]);
    const sign = tf.tensor2d(
      labels.flatMap((l) => (l === 0 ? [1, -1] : [-1, 1])),
      [n2, 2],
    );
    const { m, g } = tf.tidy(() => {
      const f = (xi: tf.Tensor) => tf.sum(tf.mul(logitsOf(model, xi.div(255)), sign), 1);
      const m = f(x);
      const g = tf.grad((xi: tf.Tensor) => tf.sum(f(xi)))(x);
      return { m, g };
    });
    const mv = await m.data();
    const gv = await g.data();
    tf.dispose([x, sign, m, g]);
    for (const rule of ['range', 'relative'] as const) {
      const b = ruleBounds(pixels, rule, 0.025, true);
      let reachable = 0;
      const ratios: number[] = [];
      for (let i = 0; i < n2; i++) {
        let gain = 0;
        for (let j = i * SIZE; j < (i + 1) * SIZE; j++)
          gain += Math.abs(gv[j]) * (gv[j] > 0 ? pixels[j] - b.lo[j] : b.hi[j] - pixels[j]);
        const need = mv[i] + Math.log(9);
        ratios.push(gain / need);
        if (gain >= need) reachable++;
      }
      ratios.sort((a, b2) => a - b2);
      console.log(
        `first-order, ${rule}: ${reachable}/${n2} faces reachable; gain/need median ${ratios[Math.floor(n2 / 2)].toFixed(2)}, ` +
          `min ${ratios[0].toFixed(2)}, max ${ratios[n2 - 1].toFixed(2)}; mean margin ${(Array.from(mv).reduce((a, c) => a + c, 0) / n2).toFixed(2)}`,
      );
    }
  }
  const rows = [];
  const wanted = process.env.VARIANTS?.split(',');
  console.log(
    '| variant | reading | fooled (≥ 90 %) | flipped only | not flipped | mean steps (fooled) | mean p(target) | max L∞ (levels) | s |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [vi, v] of VARIANTS.entries()) {
    if (wanted && !wanted.includes(String(vi))) continue;
    const t1 = Date.now();
    const quantised = v.spec.quantised ?? true;
    const spec: IterativeAttackSpec = {
      classes: targets,
      targeted: true,
      bounds: ruleBounds(pixels, v.rule, v.fraction ?? 0.025, quantised),
      earlyStop: true,
      stopConfidence: 0.9,
      quantised,
      ...v.spec,
    };
    const run = await iterativeAttack(model, pixels, spec);
    // Judge the saved 8-bit image, as the app does: rounded, classified again.
    const saved = new Uint8Array(labels.length * SIZE);
    run.outcomes.forEach((o, i) =>
      saved.set(
        Uint8Array.from(o.adversarial, (x) => Math.round(x)),
        i * SIZE,
      ),
    );
    const after = await probabilitiesOf(model, saved, labels.length);
    const kinds = labels.map((_, i) => classifyOutcome(after.subarray(i * 2, i * 2 + 2), targets[i], 0.9));
    let linf = 0;
    for (let i = 0; i < saved.length; i++) linf = Math.max(linf, Math.abs(saved[i] - pixels[i]));
    const fooledSteps = run.outcomes.filter((_, i) => kinds[i] === 'fooled').map((o) => o.steps);
    const row = {
      variant: v.name,
      reading:
        v.rule === 'range' ? `range (±${+((v.fraction ?? 0.025) * 255).toFixed(3)})` : 'literal (±2.5 % of value)',
      images: labels.length,
      fooled: kinds.filter((k) => k === 'fooled').length / labels.length,
      flipped: kinds.filter((k) => k === 'flipped').length / labels.length,
      notFlipped: kinds.filter((k) => k === 'not-flipped').length / labels.length,
      meanSteps: fooledSteps.length ? fooledSteps.reduce((a, b) => a + b, 0) / fooledSteps.length : NaN,
      meanTarget: targets.reduce((s, t, i) => s + after[i * 2 + t], 0) / labels.length,
      linf,
      seconds: (Date.now() - t1) / 1000,
    };
    rows.push(row);
    const pc = (x: number) => `${(x * 100).toFixed(0)} %`;
    console.log(
      `| ${row.variant} | ${row.reading} | ${pc(row.fooled)} | ${pc(row.flipped)} | ${pc(row.notFlipped)} | ${row.meanSteps.toFixed(1)} | ${pc(row.meanTarget)} | ${row.linf} | ${row.seconds.toFixed(0)} |`,
    );
  }
  if (process.env.OUT)
    writeFileSync(
      process.env.OUT,
      JSON.stringify({ accuracy: acc, images: labels.length, meanConfidence: meanConf, rows }, null, 2),
    );
  model.dispose();
}, 7_200_000);
