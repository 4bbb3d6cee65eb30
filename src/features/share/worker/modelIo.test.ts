/** Model export / import (tfjs layers format), in Node on the cpu backend with fake IndexedDB. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLabDb } from '../../../db/open';
import { listRuns } from '../../../db/runs';
import { kerasModelFiles } from '../../../test/kerasFixture';
import { DEFAULT_CONFIG } from '../../../shared/trainingConfig';
import { generateDemoDataset } from '../../data/worker/demoDataset';
import { loadRunModel } from '../../../ml/core/loadRunModel';
import { exportRunModel, importModelFiles } from './modelIo';
import { TrainControl, runTraining } from '../../train/worker/train';
import { toInput } from '../../../ml/trainStep';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const images = Uint8Array.from({ length: 20 * PIXELS_PER_IMAGE }, (_, i) => (i * 97 + (i >> 9)) % 256);

async function predict(model: tf.LayersModel): Promise<Float32Array> {
  const p = tf.tidy(() => model.predict(toInput(images, 20)) as tf.Tensor);
  const out = Float32Array.from(await p.data());
  p.dispose();
  return out;
}

describe('model files', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('exports a trained run and imports it back with identical predictions on 20 images', async () => {
    const db = await openLabDb('model-io');
    const { datasetId } = await generateDemoDataset(db, { count: 64, seed: 3, name: 'io' });
    const trained = await runTraining(
      { datasetId, config: { ...DEFAULT_CONFIG, widthMultiplier: 0.125, epochs: 1, batchSize: 16 } },
      { db, backend: 'cpu', control: new TrainControl(), emit: () => {} },
    );
    const files = await exportRunModel(db, trained.runId);
    expect(JSON.parse(files.modelJson).format).toBe('layers-model');
    const imported = await importModelFiles(db, { datasetId, name: 'model.json', ...files });
    const a = await loadRunModel(db, trained.runId);
    const b = await loadRunModel(db, imported.runId);
    expect(Array.from(await predict(b.model))).toEqual(Array.from(await predict(a.model)));
    a.model.dispose();
    b.model.dispose();
  }, 120_000);

  it('imports a hand-written Keras-converter model.json and rebuilds it from the stored topology', async () => {
    const db = await openLabDb('model-io-keras');
    const { datasetId } = await generateDemoDataset(db, { count: 16, seed: 4, name: 'keras' });
    const files = kerasModelFiles();
    const r = await importModelFiles(db, { datasetId, name: 'keras-model.json', ...files });
    expect(r).toMatchObject({ layers: 5, params: 3 * 3 * 3 * 4 + 4 + 31 * 31 * 4 * 2 + 2 });
    const { model } = await loadRunModel(db, r.runId);
    const direct = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: JSON.parse(files.modelJson).modelTopology,
        weightSpecs: JSON.parse(files.modelJson).weightsManifest[0].weights,
        weightData: files.weights.buffer as ArrayBuffer,
      }),
    );
    expect(Array.from(await predict(model))).toEqual(Array.from(await predict(direct)));
    model.dispose();
    direct.dispose();
  });

  it('refuses malformed, truncated, oversized and unknown-layer files with a clear message and stores nothing', async () => {
    const db = await openLabDb('model-io-bad');
    const { datasetId } = await generateDemoDataset(db, { count: 16, seed: 5, name: 'bad' });
    const good = kerasModelFiles();
    const json = JSON.parse(good.modelJson);
    const unknown = structuredClone(json);
    unknown.modelTopology.model_config.config.layers[3] = { class_name: 'Lambda', config: { name: 'evil' } };
    const cases: Array<[string, { modelJson: string; weights: Uint8Array }, RegExp]> = [
      ['malformed', { modelJson: good.modelJson.slice(0, 200), weights: good.weights }, /not valid JSON/],
      [
        'truncated',
        { modelJson: good.modelJson, weights: good.weights.slice(0, good.weights.length - 10) },
        /truncated or the wrong file/,
      ],
      [
        'oversized',
        { modelJson: good.modelJson + ' '.repeat(5 * 1024 * 1024), weights: good.weights },
        /^model.json is [\d,]+ bytes; the largest we accept is 5,242,880 bytes \(/,
      ],
      [
        'unknown layer',
        { modelJson: JSON.stringify(unknown), weights: good.weights },
        /Layer class "Lambda" is not allowed/,
      ],
    ];
    for (const [, files, message] of cases) {
      await expect(importModelFiles(db, { datasetId, name: 'bad.json', ...files })).rejects.toThrow(message);
    }
    expect(await listRuns(db)).toEqual([]);
  });
});
