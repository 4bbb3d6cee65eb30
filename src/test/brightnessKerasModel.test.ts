/**
 * The known-answer Keras model the "bring your own model" e2e attacks (brightnessKerasModel.ts), checked in Node
 * through the same import path: its predictions are the formula's, and the paper's attack under the default
 * literal rule fools it to ≥ 90 %, as the formula says it can.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getSplit, readImages, splitIndices } from '../db/datasets';
import { openLabDb } from '../db/open';
import { DEFAULT_ATTACK } from '../features/fool/shared/attackSettings';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';
import { generateDemoDataset } from '../features/data/worker/demoDataset';
import { loadRunModel } from '../ml/core/loadRunModel';
import { foolOneImage } from '../features/fool/worker/foolService';
import { probabilitiesOf } from '../ml/core/probabilities';
import { importModelFiles } from '../features/share/worker/modelIo';
import {
  bestWithinLiteralRule,
  brightnessKerasFiles,
  brightnessModelFor,
  brightnessProbabilities,
} from './brightnessKerasModel';
import { nodePng } from './nodePng';

describe('the known-answer Keras model', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('predicts what its formula says, and the paper attack (literal rule) fools it to ≥ 90 %', async () => {
    const db = await openLabDb('brightness-keras');
    const { datasetId } = await generateDemoDataset(db, { count: 32, seed: 4, name: 'known' });
    const test = splitIndices((await getSplit(db, datasetId))!, 'test');
    const faces = await readImages(db, datasetId, Array.from(test.subarray(0, 4)));
    const face = faces.pixels.slice(0, PIXELS_PER_IMAGE);
    const label = faces.labels[0] as 0 | 1;
    const known = brightnessModelFor(face, label, 0.8, 1000);
    const r = await importModelFiles(db, { datasetId, name: 'known-model.json', ...brightnessKerasFiles(known) });
    expect(r).toMatchObject({ layers: 5, params: 7802 });
    const { model } = await loadRunModel(db, r.runId);

    // Every face, not only the tuned one: a wrong weight order or layout would leave only the formula's face right.
    const got = await probabilitiesOf(model, faces.pixels, 4);
    for (let i = 0; i < 4; i++) {
      const want = brightnessProbabilities(
        faces.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
        known,
      );
      expect(got[i * 2 + 1]).toBeCloseTo(want[1], 4);
    }
    expect(got[label]).toBeCloseTo(0.8, 4);

    const target = (1 - label) as 0 | 1;
    const reach = bestWithinLiteralRule(face, target, known);
    expect(reach).toBeGreaterThan(0.999);
    const out = await foolOneImage(model, nodePng, { index: test[0], pixels: face, label }, DEFAULT_ATTACK);
    console.log(
      `known-answer model: p(target) ${out.probsBefore[target].toFixed(4)} → ${out.probsAfter[target].toFixed(4)} in ${out.steps} steps (reach ${reach.toFixed(6)})`,
    );
    expect(out.target).toBe(target);
    expect(out.withinBound).toBe(true);
    expect(out.success).toBe(true);
    expect(out.probsAfter[target]).toBeGreaterThanOrEqual(0.9);
    expect(out.probsAfter[target]).toBeCloseTo(brightnessProbabilities(out.modified, known)[target], 4);
    model.dispose();
  });
});
