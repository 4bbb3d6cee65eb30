/**
 * Keras files in and out (Node, cpu backend, h5wasm, fake IndexedDB): the lab's compact model written as `.keras`
 * and `.h5`, read back by h5wasm at the paths Keras uses, loaded as runs with the same predictions; models for
 * other input sizes fed resized faces; refusals that name the layer.
 */
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync, zipSync, strToU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLabDb } from '../../db/open';
import { listRuns } from '../../db/runs';
import { DEFAULT_CONFIG } from '../../shared/trainingConfig';
import { PIXELS_PER_IMAGE } from '../../shared/imageGeometry';
import { generateDemoDataset } from '../../features/data/worker/demoDataset';
import { loadRunModel } from '../core/loadRunModel';
import { buildModel } from '../models';
import {
  exportKerasModel,
  exportRunModel,
  importKerasModel,
  importModelFiles,
} from '../../features/share/worker/modelIo';
import { kerasModelFiles } from '../../test/kerasFixture';
import { toInput } from '../trainStep';
import { datasetAt, groupAt, readHdf5, stringListAttr, textOf, writeHdf5 } from './hdf5';
import { type KerasChain, keras3Config, parseKerasConfig } from './kerasConfig';
import { readKerasFile, writeKeras3, writeLegacyH5 } from './kerasFiles';
import { chainOfModel } from './kerasTfjs';
import { InputResize } from './inputResize';

const N = 6;
const images = Uint8Array.from({ length: N * PIXELS_PER_IMAGE }, (_, i) => (i * 97 + (i >> 9)) % 256);

async function predict(model: tf.LayersModel, x: tf.Tensor = toInput(images, N)): Promise<number[]> {
  const p = tf.tidy(() => model.predict(x) as tf.Tensor);
  const out = Array.from(await p.data());
  tf.dispose([p, x]);
  return out;
}

/** Seeded values for every weight (variances kept positive), so no layer is an identity by accident. */
function randomise(model: tf.LayersModel, seed: number): void {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5) * 0.4;
  const values = model.weights.map((w) => {
    const n = (w.shape as number[]).reduce((a, b) => a * b, 1);
    const v = Float32Array.from({ length: n }, () => next());
    if (w.originalName.includes('moving_variance')) v.forEach((x, i) => (v[i] = Math.abs(x) + 0.5));
    return tf.tensor(v, w.shape as number[]);
  });
  model.setWeights(values);
  tf.dispose(values);
}

const compact = () => {
  const model = buildModel(
    {
      ...DEFAULT_CONFIG,
      architecture: 'compact',
      widthMultiplier: 0.125,
      numClasses: 2,
      dropout: 0.25,
      batchNormLayers: 1,
    },
    1,
  );
  randomise(model, 5);
  return model;
};

async function dataset(name: string) {
  const db = await openLabDb(`keras-${name}`);
  const { datasetId } = await generateDemoDataset(db, { count: 16, seed: 4, name });
  return { db, datasetId };
}

describe('Keras files', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('a model saved as .keras and .h5 loads back as runs with the same predictions, and saves again with the same config and weights', async () => {
    const { db, datasetId } = await dataset('roundtrip');
    const original = compact();
    const expected = await predict(original);
    const { chain, weights } = await chainOfModel(original);
    original.dispose();
    const keras = await writeKeras3(chain, weights, new Date(0));
    const fromKeras = await importKerasModel(db, { datasetId, name: 'model.keras', bytes: keras });
    expect(fromKeras).toMatchObject({ format: 'keras', layers: chain.layers.length, inputShape: [64, 64, 3] });
    const h5 = await exportKerasModel(db, fromKeras.runId, 'h5');
    const fromH5 = await importKerasModel(db, { datasetId, name: 'model.h5', bytes: h5 });
    expect(fromH5.format).toBe('h5');
    for (const runId of [fromKeras.runId, fromH5.runId]) {
      const { model } = await loadRunModel(db, runId);
      const got = await predict(model);
      model.dispose();
      got.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
    }
    // Saving the loaded run again gives the same config and weights: nothing is lost or reordered on the way.
    // (Not the same bytes: HDF5 stamps each object with its creation time, to the second.)
    const first = await readKerasFile(h5, 'model.h5');
    const second = await readKerasFile(await exportKerasModel(db, fromH5.runId, 'h5'), 'again.h5');
    expect(second.chain).toEqual(first.chain);
    expect(second.weights).toEqual(first.weights);
    const again = unzipSync(await exportKerasModel(db, fromKeras.runId, 'keras'));
    expect(strFromU8(again['config.json'])).toBe(strFromU8(unzipSync(keras)['config.json']));
  });

  it('writes the paths, names and order Keras uses (read back with h5wasm)', async () => {
    const model = compact();
    const { chain, weights } = await chainOfModel(model);
    const bn1 = model.getLayer('bn1').getWeights();
    const conv1 = model.getLayer('conv1').getWeights();
    const [gamma, beta, mean, variance, kernel, bias] = await Promise.all(
      [...bn1, ...conv1].map(async (t) => Array.from(await t.data())),
    );
    model.dispose();

    const h5 = await writeLegacyH5(chain, weights);
    await readHdf5(h5, 'model.h5', (file) => {
      expect(textOf(file.attrs.keras_version.value)).toBe('2.15.0');
      expect(textOf(file.attrs.backend.value)).toBe('tensorflow');
      const config = JSON.parse(textOf(file.attrs.model_config.value)!);
      expect(config.class_name).toBe('Sequential');
      expect(config.config.layers[0].config.batch_input_shape).toEqual([null, 64, 64, 3]);
      const root = groupAt(file, 'model_weights')!;
      expect(stringListAttr(root, 'layer_names')).toEqual(chain.layers.map((l) => l.name));
      expect(stringListAttr(groupAt(root, 'bn1')!, 'weight_names')).toEqual([
        'bn1/gamma:0',
        'bn1/beta:0',
        'bn1/moving_mean:0',
        'bn1/moving_variance:0',
      ]);
      expect(stringListAttr(groupAt(root, 'pool1')!, 'weight_names')).toEqual([]);
      const read = (path: string) => Array.from(datasetAt(file, path)!.value as Float32Array);
      expect(read('model_weights/bn1/bn1/gamma:0')).toEqual(gamma);
      expect(read('model_weights/bn1/bn1/beta:0')).toEqual(beta);
      expect(read('model_weights/bn1/bn1/moving_mean:0')).toEqual(mean);
      expect(read('model_weights/bn1/bn1/moving_variance:0')).toEqual(variance);
      expect(read('model_weights/conv1/conv1/kernel:0')).toEqual(kernel);
      expect(datasetAt(file, 'model_weights/conv1/conv1/kernel:0')!.shape).toEqual([3, 3, 3, 2]);
      expect(read('model_weights/conv1/conv1/bias:0')).toEqual(bias);
    });

    const zip = unzipSync(await writeKeras3(chain, weights));
    expect(Object.keys(zip).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
    const config = JSON.parse(strFromU8(zip['config.json']));
    expect(config.config.layers.map((l: { class_name: string }) => l.class_name).slice(0, 4)).toEqual([
      'InputLayer',
      'Conv2D',
      'BatchNormalization',
      'MaxPooling2D',
    ]);
    await readHdf5(zip['model.weights.h5'], 'model.weights.h5', (file) => {
      // Keyed by class (conv2d, conv2d_1, …), not by the layers' own names.
      expect(groupAt(file, 'layers')!.keys().sort()).toEqual([
        'batch_normalization',
        'batch_normalization_1',
        'batch_normalization_2',
        'batch_normalization_3',
        'batch_normalization_4',
        'conv2d',
        'conv2d_1',
        'conv2d_2',
        'conv2d_3',
        'dense',
        'dense_1',
        'dropout',
        'flatten',
        'max_pooling2d',
        'max_pooling2d_1',
        'max_pooling2d_2',
        'max_pooling2d_3',
      ]);
      const vars = (key: string) => groupAt(file, `layers/${key}/vars`)!;
      expect(vars('batch_normalization').keys().sort()).toEqual(['0', '1', '2', '3']);
      expect(Array.from(datasetAt(vars('batch_normalization'), '0')!.value as Float32Array)).toEqual(gamma);
      expect(Array.from(datasetAt(vars('batch_normalization'), '3')!.value as Float32Array)).toEqual(variance);
      expect(Array.from(datasetAt(vars('conv2d'), '0')!.value as Float32Array)).toEqual(kernel);
      expect(vars('flatten').keys()).toEqual([]);
    });
  });

  it('a model for 32×32 input is fed the faces resized (half-pixel bilinear); InputResize equals tf.image.resizeBilinear', async () => {
    const x = toInput(images, N);
    for (const [h, w] of [
      [32, 32],
      [48, 100],
    ]) {
      const reference = tf.image.resizeBilinear(x as tf.Tensor4D, [h, w], false, true);
      const ours = new InputResize({ height: h, width: w }).apply(x) as tf.Tensor;
      expect(ours.shape).toEqual([N, h, w, 3]);
      expect(tf.max(tf.abs(tf.sub(ours, reference))).dataSync()[0]).toBeLessThan(1e-6);
      ours.dispose();
      const chain: KerasChain = {
        name: 'small',
        inputName: 'input_layer',
        inputShape: [h, w, 3],
        layers: [
          { kind: 'flatten', name: 'flatten' },
          { kind: 'dense', name: 'dense', units: 2, activation: 'softmax', useBias: true },
        ],
      };
      const small = tf.sequential({
        layers: [tf.layers.flatten({ inputShape: [h, w, 3] }), tf.layers.dense({ units: 2, activation: 'softmax' })],
      });
      randomise(small, 9);
      const weights = [
        [],
        await Promise.all(small.layers[1].getWeights().map(async (t) => Float32Array.from(await t.data()))),
      ];
      const expected = await predict(small, reference);
      small.dispose();
      const { db, datasetId } = await dataset(`resize-${h}x${w}`);
      const r = await importKerasModel(db, {
        datasetId,
        name: 'small.keras',
        bytes: await writeKeras3(chain, weights),
      });
      expect(r.inputShape).toEqual([h, w, 3]);
      const { model } = await loadRunModel(db, r.runId);
      const got = await predict(model);
      await expect(exportRunModel(db, r.runId)).rejects.toThrow(
        `This model takes ${h}×${w} images (the faces are resized for it): save it as .keras or .h5`,
      );
      // Saved back, the model keeps its own input size (the resize layer is the lab's, not the model's).
      expect(
        JSON.parse(strFromU8(unzipSync(await exportKerasModel(db, r.runId, 'keras'))['config.json'])).config
          .build_input_shape,
      ).toEqual([null, h, w, 3]);
      model.dispose();
      got.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 5));
    }
    x.dispose();
  });

  it('refuses unsupported layers by name and class, broken chains, wrong weights and non-Keras files, storing nothing', async () => {
    const { db, datasetId } = await dataset('refusals');
    const model = compact();
    const { chain, weights } = await chainOfModel(model);
    model.dispose();
    const good = await writeKeras3(chain, weights);
    const files = unzipSync(good);
    const config = JSON.parse(strFromU8(files['config.json']));
    const withConfig = (edit: (c: typeof config) => void) => {
      const c = structuredClone(config);
      edit(c);
      return zipSync({ ...files, 'config.json': strToU8(JSON.stringify(c)) });
    };
    const cases: Array<[Uint8Array, RegExp]> = [
      [
        withConfig((c) => c.config.layers.splice(3, 0, { class_name: 'Lambda', config: { name: 'my_lambda' } })),
        /^Layer "my_lambda" \(Lambda\) is not supported\. Supported layers: Conv2D, /,
      ],
      [
        withConfig((c) => (c.config.layers[1].config.activation = 'gelu')),
        /^Layer "conv1" \(Conv2D\) uses the activation "gelu"/,
      ],
      [
        withConfig((c) => (c.config.layers[1].config.filters = 3)),
        /layer "bn1" \(layers\/batch_normalization\/vars in model.weights.h5\): the weight 0 is 2; the config implies 3\.|the weight 0 is 3×3×3×2; the config implies 3×3×3×3/,
      ],
      [
        withConfig((c) => (c.config.layers[0].config.batch_shape = [null, 64, 64, 1])),
        /input must be RGB images .* it is 64×64×1/,
      ],
      [withConfig((c) => (c.config.layers[c.config.layers.length - 1].config.units = 3)), /the config implies/],
      [
        zipSync({ 'config.json': files['config.json'], 'model.weights.h5': strToU8('not hdf5') }),
        /model.weights.h5 is not an HDF5 file/,
      ],
      [strToU8('{"just": "json"}'), /model.h5 is not an HDF5 file/],
    ];
    for (const [bytes, message] of cases) {
      await expect(importKerasModel(db, { datasetId, name: 'model.h5', bytes })).rejects.toThrow(message);
    }
    expect(await listRuns(db)).toEqual([]);
  });

  it('reads a functional Keras 3 config with a separate softmax layer as one chain', () => {
    const tensor = (from: string) => [
      {
        args: [
          {
            class_name: '__keras_tensor__',
            config: { shape: [null, 8], dtype: 'float32', keras_history: [from, 0, 0] },
          },
        ],
        kwargs: {},
      },
    ];
    const chain = parseKerasConfig({
      module: 'keras',
      class_name: 'Functional',
      config: {
        name: 'functional',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'input_layer',
            config: { batch_shape: [null, 16, 16, 3], name: 'input_layer' },
            inbound_nodes: [],
          },
          { class_name: 'Flatten', name: 'flatten', config: { name: 'flatten' }, inbound_nodes: tensor('input_layer') },
          {
            class_name: 'Dense',
            name: 'dense',
            config: { name: 'dense', units: 2, activation: 'linear' },
            inbound_nodes: tensor('flatten'),
          },
          {
            class_name: 'Softmax',
            name: 'softmax',
            config: { name: 'softmax', axis: -1 },
            inbound_nodes: tensor('dense'),
          },
        ],
        input_layers: [['input_layer', 0, 0]],
        output_layers: [['softmax', 0, 0]],
      },
    });
    expect(chain.inputShape).toEqual([16, 16, 3]);
    expect(chain.layers.map((l) => l.kind)).toEqual(['flatten', 'dense']);
    expect(chain.layers[1]).toMatchObject({ activation: 'softmax' });
    expect(() => parseKerasConfig({ ...keras3Config(chain), class_name: 'Functional' })).toThrow(
      /does not take its input from the layer before it/,
    );
  });

  it('reads a Keras 2 functional config, refuses a branch, and reads layer_names split into layer_names0, layer_names1', async () => {
    const layer = (cls: string, name: string, config: object, from: string | null) => ({
      class_name: cls,
      name,
      config: { name, ...config },
      inbound_nodes: from ? [[[from, 0, 0, {}]]] : [],
    });
    const config = (denseFrom: string) => ({
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          layer('InputLayer', 'input_1', { batch_input_shape: [null, 64, 64, 3] }, null),
          layer('Flatten', 'flatten', {}, 'input_1'),
          layer('Dense', 'dense', { units: 2, activation: 'softmax' }, denseFrom),
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['dense', 0, 0]],
      },
    });
    expect(parseKerasConfig(config('flatten')).layers.map((l) => l.kind)).toEqual(['flatten', 'dense']);
    expect(() => parseKerasConfig(config('input_1'))).toThrow(
      /^Layer "dense" \(Dense\) does not take its input from the layer before it/,
    );

    const kernel = Float32Array.from({ length: 64 * 64 * 3 * 2 }, (_, i) => ((i * 7) % 13) / 13 - 0.5);
    const bias = Float32Array.from([0.25, -0.25]);
    const bytes = await writeHdf5((file) => {
      file.create_attribute('model_config', JSON.stringify(config('flatten')));
      const root = file.create_group('model_weights');
      // Keras splits a long list attribute into numbered chunks (save_attributes_to_hdf5_group).
      root.create_attribute('layer_names0', ['flatten'], [1], 'A7');
      root.create_attribute('layer_names1', ['dense'], [1], 'A5');
      root.create_group('flatten').create_attribute('weight_names', new Float64Array(0), [0]);
      const dense = root.create_group('dense');
      dense.create_attribute('weight_names', ['dense/kernel:0', 'dense/bias:0'], [2], 'A14');
      const inner = dense.create_group('dense');
      inner.create_dataset({ name: 'kernel:0', data: kernel, shape: [12288, 2], dtype: '<f4' });
      inner.create_dataset({ name: 'bias:0', data: bias, shape: [2], dtype: '<f4' });
    });
    const read = await readKerasFile(bytes, 'chunked.h5');
    expect(read.format).toBe('h5');
    expect(read.weights[1][0]).toEqual(kernel);
    expect(read.weights[1][1]).toEqual(bias);
  });

  it('a model imported in TensorFlow.js format as a Sequential saves as Keras files with the same predictions', async () => {
    const { db, datasetId } = await dataset('sequential');
    const imported = await importModelFiles(db, { datasetId, name: 'model.json', ...kerasModelFiles() });
    const { model } = await loadRunModel(db, imported.runId);
    const expected = await predict(model);
    model.dispose();
    for (const format of ['keras', 'h5'] as const) {
      const r = await importKerasModel(db, {
        datasetId,
        name: `model.${format}`,
        bytes: await exportKerasModel(db, imported.runId, format),
      });
      expect(r.layers).toBe(4);
      const back = await loadRunModel(db, r.runId);
      const got = await predict(back.model);
      back.model.dispose();
      got.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 6));
    }
  });

  it('a .keras file read by name of format: metadata and config survive', async () => {
    const model = compact();
    const { chain, weights } = await chainOfModel(model);
    model.dispose();
    const file = await readKerasFile(await writeKeras3(chain, weights), 'x.keras');
    expect(file.chain).toEqual(chain);
    expect(file.weights.map((w) => w.length)).toEqual(weights.map((w) => w.length));
  });
});
