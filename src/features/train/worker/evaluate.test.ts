import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getSplit, readImages, splitIndices } from '../../../db/datasets';
import { closeLabDb, openLabDb } from '../../../db/open';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { generateDemoDataset } from '../../data/worker/demoDataset';
import { evaluateModel } from './evaluate';

const DB = 'evaluate-test';
const SIZE = PIXELS_PER_IMAGE;

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(async () => {
  await closeLabDb(DB);
  indexedDB.deleteDatabase(DB);
});

/**
 * A model whose every answer is known without it: flatten → dense(2, softmax), class 1's logit the mean red
 * level minus a threshold, class 0's logit 0. So the test can say which faces it gets wrong before Evaluate runs.
 */
function redModel(threshold: number): { model: tf.LayersModel; predict: (rgb: Uint8Array) => number } {
  const input = tf.input({ shape: [64, 64, 3] });
  const dense = tf.layers.dense({ units: 2, activation: 'softmax' });
  const model = tf.model({
    inputs: input,
    outputs: dense.apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor,
  });
  const kernel = new Float32Array(SIZE * 2);
  for (let i = 0; i < SIZE; i += 3) kernel[i * 2 + 1] = 1 / (64 * 64); // input is levels / 255
  dense.setWeights([tf.tensor2d(kernel, [SIZE, 2]), tf.tensor1d([0, -threshold])]);
  const predict = (rgb: Uint8Array) => {
    let red = 0;
    for (let i = 0; i < SIZE; i += 3) red += rgb[i] / 255;
    return red / (64 * 64) - threshold > 0 ? 1 : 0;
  };
  return { model, predict };
}

describe('evaluateModel', () => {
  it('lists exactly the test faces whose prediction differs from their label, and the confusion matrix counts them', async () => {
    const db = await openLabDb(DB);
    const { datasetId } = await generateDemoDataset(db, { count: 120, seed: 8, name: 'd' }, () => {});
    const split = (await getSplit(db, datasetId))!;
    const test = splitIndices(split, 'test');
    const { pixels, labels } = await readImages(db, datasetId, test);
    // A threshold at the median red level of the test faces: some right, some wrong, in both classes.
    const reds = Array.from(
      test,
      (_, k) => pixels.subarray(k * SIZE, (k + 1) * SIZE).reduce((s, v, i) => (i % 3 ? s : s + v / 255), 0) / 4096,
    );
    const threshold = [...reds].sort((a, b) => a - b)[reds.length >> 1] + 1e-4;
    const { model, predict } = redModel(threshold);
    const expectedWrong = new Set<number>();
    const confusion = [
      [0, 0],
      [0, 0],
    ];
    test.forEach((index, k) => {
      const p = predict(pixels.subarray(k * SIZE, (k + 1) * SIZE));
      confusion[labels[k]][p]++;
      if (p !== labels[k]) expectedWrong.add(index);
    });
    expect(expectedWrong.size).toBeGreaterThan(0);
    expect(expectedWrong.size).toBeLessThan(test.length);

    const e = await evaluateModel(db, model, 'run', datasetId, 2, 'test');
    expect(e.count).toBe(test.length);
    expect(e.confusion).toEqual(confusion);
    expect(e.accuracy).toBeCloseTo(1 - expectedWrong.size / test.length, 12);
    expect(new Set(e.misclassified.map((m) => m.index))).toEqual(expectedWrong);
    for (const m of e.misclassified) {
      const k = test.indexOf(m.index);
      expect(m.label).toBe(labels[k]);
      expect(m.predicted).toBe(1 - labels[k]);
      expect(m.pixels).toEqual(pixels.slice(k * SIZE, (k + 1) * SIZE)); // the face shown is that face
    }
    // Most confident mistakes first.
    const conf = e.misclassified.map((m) => m.confidence);
    expect(conf).toEqual([...conf].sort((a, b) => b - a));
    model.dispose();
  });
});
