/**
 * The Fool service end to end in Node (wasm backend): train a compact model on 512 synthetic lookalikes, then
 * fool its correctly classified test faces with the paper's attack, save each as PNG (fast-png stands in for
 * the browser's codec here), decode and re-classify. Asserts the paper's outcome on real outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { decode } from 'fast-png';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLabDb } from '../../../db/open';
import { getSplit, readImages, splitIndices } from '../../../db/datasets';
import { DEFAULT_ATTACK } from '../shared/attackSettings';
import { allowedChange } from '../shared/bounds';
import { DEFAULT_CONFIG } from '../../../shared/trainingConfig';
import { generateDemoDataset } from '../../data/worker/demoDataset';
import { loadRunModel } from '../../../ml/core/loadRunModel';
import { TrainControl, runTraining } from '../../train/worker/train';
import { setupWasmInNode } from '../../../ml/wasmNode';
import { adversarialZip, foolBatch, foolOneImage, pickCorrectlyClassified } from './foolService';
import { nodePng } from '../../../test/nodePng';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

describe('fooling a trained compact model (paper §5)', () => {
  let model: tf.LayersModel;
  let picked: Awaited<ReturnType<typeof pickCorrectlyClassified>>;

  beforeAll(async () => {
    await setupWasmInNode();
    const db = await openLabDb('fool-service-test');
    const { datasetId } = await generateDemoDataset(db, { count: 512, seed: 11, name: 'fool' });
    const result = await runTraining(
      // No dropout: the run is then deterministic (seeded data, split, augmentation, initial weights), so the
      // thresholds below are checked on the same model every time.
      { datasetId, config: { ...DEFAULT_CONFIG, epochs: 3, batchSize: 16, dropout: 0 } },
      { db, backend: 'wasm', control: new TrainControl(), emit: () => {} },
    );
    model = (await loadRunModel(db, result.runId)).model;
    const split = (await getSplit(db, datasetId))!;
    picked = await pickCorrectlyClassified(
      model,
      splitIndices(split, 'test'),
      (ix) => readImages(db, datasetId, ix),
      10,
      2,
    );
  }, 300_000);

  it('fools one face to ≥ 90 % for the other class (range reading), within the rule, and the saved PNG still fools', async () => {
    const pixels = picked.pixels.slice(0, PIXELS_PER_IMAGE);
    const settings = { ...DEFAULT_ATTACK, rule: 'range' as const };
    const r = await foolOneImage(
      model,
      nodePng,
      { index: picked.indices[0], pixels, label: picked.labels[0] },
      settings,
    );
    expect(r.probsBefore[r.label]).toBeGreaterThan(0.5);
    expect(r.success).toBe(true);
    expect(r.probsAfter[r.target]).toBeGreaterThanOrEqual(0.9);
    expect(r.withinBound).toBe(true);
    for (let i = 0; i < pixels.length; i++)
      expect(Math.abs(r.modified[i] - pixels[i])).toBeLessThanOrEqual(allowedChange(pixels[i], 'range', 0.025));
    const decoded = decode(r.saved.png);
    expect(Array.from(decoded.data as Uint8Array)).toEqual(Array.from(r.modified));
    expect(r.saved.identical).toBe(true);
    expect(r.saved.fooled).toBe(true);
    expect(r.history.length).toBe(r.steps + 1);
    console.log(
      `one image: ${r.steps} steps, ${r.ms.toFixed(0)} ms, p(target) ${r.probsBefore[r.target].toFixed(4)} → ${r.probsAfter[r.target].toFixed(4)}, L∞ ${r.norms.linf}`,
    );
  }, 120_000);

  it('fools a batch of 10 per class (range reading): ≥ 95 % success, accuracy 100 % → ≤ 5 %, zip holds every file', async () => {
    expect(picked.labels.length).toBe(20);
    const before = tf.memory().numTensors;
    const settings = { ...DEFAULT_ATTACK, rule: 'range' as const };
    const { report, modified, pngs } = await foolBatch(model, nodePng, picked, settings, { keepImages: true });
    expect(tf.memory().numTensors).toBe(before);
    console.log(`range reading, ${summary(report)}`);
    expect(report.successRate).toBeGreaterThanOrEqual(0.95);
    expect(report.savedSuccessRate).toBe(report.successRate);
    expect(report.accuracyBefore).toBe(1);
    expect(report.accuracyAfter).toBeLessThanOrEqual(0.05);
    expect(report.allWithinBound).toBe(true);
    expect(report.maxLinf).toBeLessThanOrEqual(6);
    const zip = unzipSync(
      await adversarialZip(
        nodePng,
        { ...report, classNames: ['Asha', 'Bela'], split: 'test', examined: 0, modelAccuracy: 1 },
        picked.pixels,
        modified,
        pngs,
      ),
    );
    expect(Object.keys(zip).filter((f) => f.endsWith('.png')).length).toBe(60);
    const csv = strFromU8(zip['attack.csv']).trim().split('\n');
    expect(csv.length).toBe(21);
    expect(csv[0]).toContain('p_after_Bela');
  }, 300_000);

  it('the literal reading (±2.5 % of each value): ≥ 75 % fooled to 90 %, every face flipped, every saved pixel within the rule', async () => {
    const { report } = await foolBatch(model, nodePng, picked, DEFAULT_ATTACK);
    // Not ≥ 95 % as under the range reading: on this pooled, batch-normalised model some faces cannot reach 90 %
    // inside the literal bound (docs/fool.md). Measured on this fixed set: 17 of 20 (0.85) reach 90 %, and all 20
    // are flipped (accuracy 1 → 0); asserted with a margin of two faces. ("Accuracy after < before" passed with
    // one face flipped.)
    console.log(`literal reading, ${summary(report)}`);
    expect(report.allWithinBound).toBe(true);
    expect(report.maxRelative).toBeLessThanOrEqual(0.025 + 1e-12);
    expect(report.savedSuccessRate).toBe(report.successRate);
    expect(report.successRate).toBeGreaterThanOrEqual(0.75);
    expect(report.accuracyBefore).toBe(1);
    expect(report.accuracyAfter).toBeLessThanOrEqual(0.1);
  }, 300_000);
});

function summary(report: Awaited<ReturnType<typeof foolBatch>>['report']): string {
  return (
    `batch of ${report.images}: success ${report.successRate}, saved ${report.savedSuccessRate}, accuracy ${report.accuracyBefore} → ` +
    `${report.accuracyAfter} (saved ${report.accuracyAfterSaved}), median steps ${report.medianSteps}, max ${report.maxSteps}, ` +
    `mean L∞ ${report.meanLinf.toFixed(2)}, ${report.msPerImage.toFixed(0)} ms/image, ${report.msPerStep.toFixed(1)} ms/image-step`
  );
}
