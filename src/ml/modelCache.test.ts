/**
 * The worker's model cache under concurrent calls (issue 16 item 8: a Fool deep link asked for the gallery and
 * the fooled face at once, and one call's model was disposed under it). Real models in fake IndexedDB, on the
 * cpu backend: predictions are made with the leased models, and disposal is read from tf.memory().
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLabDb, type LabDatabase } from '../db/open';
import { kerasModelFiles } from '../test/kerasFixture';
import { generateDemoDataset } from '../features/data/worker/demoDataset';
import { acquireRunModel } from './modelCache';
import { importModelFiles } from '../features/share/worker/modelIo';
import { toInput } from './trainStep';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';

const image = Uint8Array.from({ length: PIXELS_PER_IMAGE }, (_, i) => (i * 31) % 256);

function predict(model: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((model.predict(toInput(image, 1)) as tf.Tensor).dataSync()));
}

let db: LabDatabase;
let runA: string;
let runB: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  db = await openLabDb('model-cache');
  const { datasetId } = await generateDemoDataset(db, { count: 16, seed: 5, name: 'cache' });
  runA = (await importModelFiles(db, { datasetId, name: 'a.json', ...kerasModelFiles(7) })).runId;
  runB = (await importModelFiles(db, { datasetId, name: 'b.json', ...kerasModelFiles(8) })).runId;
});

describe('run model cache', () => {
  it('loads a run once for concurrent calls and keeps it after they release it', async () => {
    const before = tf.memory().numTensors;
    const [x, y] = await Promise.all([acquireRunModel(db, runA), acquireRunModel(db, runA)]);
    expect(x.model).toBe(y.model);
    const perModel = tf.memory().numTensors - before;
    expect(perModel).toBe(4); // conv kernel + bias, dense kernel + bias: one model, not two
    x.release();
    y.release();
    const again = await acquireRunModel(db, runA);
    expect(again.model).toBe(x.model);
    expect(predict(again.model)).toHaveLength(2);
    again.release();
  });

  it('never disposes a model a call still holds when another run replaces it; disposes it on release', async () => {
    const a = await acquireRunModel(db, runA);
    const expected = predict(a.model);
    const withA = tf.memory().numTensors;
    // Another call loads run B meanwhile (the cache keeps one model): A's call keeps predicting.
    const b = await acquireRunModel(db, runB);
    expect(b.model).not.toBe(a.model);
    expect(predict(a.model)).toEqual(expected);
    expect(tf.memory().numTensors).toBe(withA + 4);
    a.release();
    a.release(); // idempotent
    expect(tf.memory().numTensors).toBe(withA);
    expect(() => predict(a.model)).toThrow(/disposed/);
    const pb = predict(b.model);
    expect(pb[0] + pb[1]).toBeCloseTo(1, 5);
    b.release();
  });

  it('two runs requested at once both answer, and only one model stays loaded after', async () => {
    const [a, b] = await Promise.all([acquireRunModel(db, runA), acquireRunModel(db, runB)]);
    const base = tf.memory().numTensors;
    for (const lease of [a, b]) {
      const p = predict(lease.model);
      expect(p[0] + p[1]).toBeCloseTo(1, 5);
    }
    a.release();
    b.release();
    expect(tf.memory().numTensors).toBe(base - 4);
  });
});
