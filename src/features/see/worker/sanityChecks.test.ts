/**
 * Sanity checks (Adebayo et al. 2018) in Node on the wasm backend: the cascade's groups, re-initialisation
 * and copying on a tiny model; then the done-when of issue #4 on the shipped demo model (compact, trained on
 * the seeded synthetic lookalikes; its test accuracy ≥ 0.9 is re-measured here on the regenerated test split):
 * under full randomisation Grad-CAM's and the gradient's Spearman correlation with the trained model's maps
 * falls below 0.5. Prints every method's ρ at every stage (docs/see.md).
 * SANITY_IMAGES=16 npx vitest run src/features/see/worker/sanityChecks.test.ts averages over 16 test faces instead of 4.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../../shared/demo';
import type { SaliencyMethodName } from '../shared/protocol';
import { Rng } from '../../../shared/synthetic/rng';
import { accuracy, demoSplits, loadDemoModel, type DemoFace } from '../../../test/demoModel';
import { buildModel } from '../../../ml/models';
import { setupWasmInNode } from '../../../ml/wasmNode';
import {
  cascadeGroups,
  cloneModel,
  initialValue,
  meanCorrelation,
  reinitialiseLayers,
  sanityChecks,
} from './sanityChecks';
import { trainOnShuffledLabels } from './shuffledLabels';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const S = 16;
const METHODS: SaliencyMethodName[] = ['gradient', 'smoothgrad', 'gradcam', 'integrated-gradients'];

/** conv → bn → pool → conv → dense → softmax, 16×16: the compact model's layer kinds, small. */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  let x = tf.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'conv1',
      kernelInitializer: tf.initializers.heNormal({ seed: 1 }),
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
      kernelInitializer: tf.initializers.heNormal({ seed: 2 }),
    })
    .apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({
      units: 8,
      activation: 'relu',
      name: 'dense',
      kernelInitializer: tf.initializers.heNormal({ seed: 3 }),
      biasInitializer: tf.initializers.constant({ value: 0.1 }),
    })
    .apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: 2,
      activation: 'softmax',
      name: 'predictions',
      kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }),
    })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  // Non-trivial batch-norm statistics, so that re-initialising them is visible.
  const bn = model.getLayer('bn1');
  const values = [tf.fill([4], 1.5), tf.fill([4], 0.2), tf.fill([4], 0.3), tf.fill([4], 2)];
  bn.setWeights(values);
  tf.dispose(values);
  return model;
}

function randomImage(seed: number, n = S * S * 3): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.next());
}

async function weightsOf(model: tf.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.getWeights().map(async (w) => Float32Array.from(await w.data())));
}

async function predict(model: tf.LayersModel, image: Float32Array): Promise<Float32Array> {
  const y = tf.tidy(() => model.predict(tf.tensor4d(image, [1, S, S, 3])) as tf.Tensor);
  const out = Float32Array.from(await y.data());
  y.dispose();
  return out;
}

describe('cascading randomisation, parts', () => {
  beforeAll(async () => {
    await setupWasmInNode();
  });

  it('groups each conv / dense layer with its batch norm, output first', () => {
    const model = tinyModel();
    expect(cascadeGroups(model)).toEqual([
      { name: 'predictions', layers: ['predictions'] },
      { name: 'dense', layers: ['dense'] },
      { name: 'conv2', layers: ['conv2'] },
      { name: 'conv1', layers: ['conv1', 'bn1'] },
    ]);
    const compact = buildModel({ ...DEMO.config });
    expect(cascadeGroups(compact).map((g) => g.layers.join('+'))).toEqual([
      'predictions',
      'dense64+batchnorm',
      'conv4+bn4',
      'conv3+bn3',
      'conv2+bn2',
      'conv1+bn1',
    ]);
    model.dispose();
    compact.dispose();
  });

  it('copies a model into variables of its own and re-initialises the copy to construction-time values, seeded', async () => {
    const model = tinyModel();
    const image = randomImage(5);
    const before = tf.memory().numTensors;
    const original = await weightsOf(model);
    const copy = await cloneModel(model);
    expect(Array.from(await predict(copy, image))).toEqual(Array.from(await predict(model, image)));
    reinitialiseLayers(copy, ['conv1', 'bn1', 'dense'], 7);
    const bn = await Promise.all(
      copy
        .getLayer('bn1')
        .getWeights()
        .map(async (w) => Array.from(await w.data())),
    );
    expect(bn).toEqual([
      [1, 1, 1, 1],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1, 1, 1],
    ]);
    const kernel = await copy.getLayer('conv1').getWeights()[0].data();
    const limit = Math.sqrt(6 / (3 * 9 + 4 * 9)); // Glorot uniform: fan in 3·3·3, fan out 3·3·4
    expect(Math.max(...Array.from(kernel, Math.abs))).toBeLessThanOrEqual(limit);
    expect(Array.from(await copy.getLayer('dense').getWeights()[1].data())).toEqual(new Array(8).fill(0));
    expect(Array.from(kernel)).not.toEqual(Array.from(original[0]));
    // The original is untouched; the same seed gives the same weights again.
    expect(await weightsOf(model)).toEqual(original);
    const again = await cloneModel(model);
    reinitialiseLayers(again, ['conv1', 'bn1', 'dense'], 7);
    expect(await weightsOf(again)).toEqual(await weightsOf(copy));
    copy.dispose();
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => initialValue('layer/mystery', [2], 0)).toThrow(/re-initialise/);
    model.dispose();
  });

  it('averages ρ over the images, a constant map counting as 0 and a constant reference left out', () => {
    expect(meanCorrelation([0.5, NaN, 0.1], [false, false, false])).toBeCloseTo(0.2, 12);
    expect(meanCorrelation([0.5, NaN, 0.1], [false, true, false])).toBeCloseTo(0.3, 12);
    expect(meanCorrelation([NaN], [true])).toBeNaN();
  });

  it('runs every stage and method, leaves the model and the tensor count as they were, and stops on abort', async () => {
    const model = tinyModel();
    const input = { images: [randomImage(1), randomImage(2)], classIndices: [0, 1] };
    const original = await weightsOf(model);
    const before = tf.memory().numTensors;
    const seen: string[] = [];
    const r = await sanityChecks(model, input, {
      methods: METHODS,
      saliency: { samples: 4, steps: 4 },
      progress: (_d, _t, stage) => (seen.at(-1) === stage ? undefined : seen.push(stage)),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(await weightsOf(model)).toEqual(original);
    expect(seen).toEqual(['original', 'predictions', 'dense', 'conv2', 'conv1']);
    expect(r.stages.map((s) => s.randomised.length)).toEqual([0, 1, 2, 3, 5]);
    expect(r.maps).toHaveLength(5);
    expect(r.maps[0]).toHaveLength(4);
    expect(r.maps[0][0][0]).toHaveLength(S * S);
    expect(r.spearman[0].filter((v) => !Number.isNaN(v)).every((v) => Math.abs(v - 1) < 1e-9)).toBe(true);
    for (const row of r.spearman) for (const v of row) if (!Number.isNaN(v)) expect(Math.abs(v)).toBeLessThanOrEqual(1);

    const controller = new AbortController();
    const aborted = sanityChecks(model, input, {
      methods: ['gradient'],
      maxStages: 2,
      progress: (done) => done === 2 && controller.abort(),
      signal: controller.signal,
    });
    await expect(aborted).rejects.toThrow(/abort/i);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('sanity checks on the shipped demo model', () => {
  let model: tf.LayersModel;
  let test: DemoFace[];
  let train: DemoFace[];

  beforeAll(async () => {
    await setupWasmInNode();
    model = await loadDemoModel();
    ({ test, train } = demoSplits(64));
  });

  it('is the ≥ 90 % model: test accuracy re-measured on the regenerated test split', async () => {
    const acc = await accuracy(model, test);
    console.log(`demo model: test accuracy ${acc.toFixed(4)} on ${test.length} regenerated test faces`);
    expect(acc).toBeGreaterThanOrEqual(0.9);
  });

  it(
    'full randomisation drops Grad-CAM and gradient below ρ = 0.5; prints every method at every stage',
    async () => {
      const n = Number(process.env.SANITY_IMAGES ?? 4);
      const faces = test.slice(0, n);
      const before = tf.memory().numTensors;
      const t0 = performance.now();
      const trainPixels = new Uint8Array(train.length * PIXELS_PER_IMAGE);
      train.forEach((f, k) => trainPixels.set(f.pixels, k * PIXELS_PER_IMAGE));
      const shuffled = await trainOnShuffledLabels(
        model,
        { pixels: trainPixels, labels: train.map((f) => f.label), numClasses: 2 },
        { epochs: 8, batchSize: 8, seed: 1 },
      );
      const trainMs = performance.now() - t0;
      const r = await sanityChecks(
        model,
        {
          images: faces.map((f) => Float32Array.from(f.pixels, (v) => v / 255)),
          classIndices: faces.map((f) => f.label),
        },
        { methods: METHODS, shuffledLabels: shuffled },
      );
      shuffled.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
      const rows = r.stages.map(
        (s, k) =>
          `| ${s.kind === 'cascade' ? `↓ ${s.name}` : s.name} | ${r.spearman[k].map((v) => v.toFixed(2)).join(' | ')} |`,
      );
      console.log(
        [
          `sanity checks, demo model, ${n} test faces, mean Spearman ρ of |attribution| with the trained model's maps ` +
            `(shuffled labels: ${train.length} faces × 8 epochs at batch 8, ${(shuffled.trainAccuracy * 100).toFixed(1)} % of them memorised, ${(trainMs / 1000).toFixed(1)} s; ` +
            `maps ${(r.ms / 1000).toFixed(1)} s):`,
          `| stage | ${METHODS.join(' | ')} |`,
          ...rows,
          `constant maps per stage: ${r.constant.map((c) => c.join('/')).join(', ')}`,
        ].join('\n'),
      );
      const full = r.stages.findIndex((s) => s.kind === 'cascade' && s.name === 'conv1');
      expect(full).toBe(r.stages.length - 2);
      expect(r.spearman[full][METHODS.indexOf('gradcam')]).toBeLessThan(0.5);
      expect(r.spearman[full][METHODS.indexOf('gradient')]).toBeLessThan(0.5);
      expect(r.spearman[0]).toEqual([1, 1, 1, 1]);
      expect(shuffled.trainAccuracy).toBeGreaterThan(0.9);
    },
    60_000 + Number(process.env.SANITY_IMAGES ?? 4) * 20_000,
  );
});
