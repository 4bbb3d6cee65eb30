/**
 * `npm run train:demo`: trains the demo's compact model on the seeded synthetic lookalikes, in Node on the
 * wasm backend (the same kernels as the browser's wasm backend), and writes public/demo/model.json +
 * weights.bin. Seeded data, split, augmentation and initial weights, no dropout (DEMO.config), single-threaded
 * wasm: a rerun should write the same weights; the script prints a checksum of them to compare.
 *
 * Usage: npm run train:demo [-- --out public/demo]
 */
import 'fake-indexeddb/auto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openLabDb } from '../src/db/open';
import { readModelWeights } from '../src/ml/checkpoint';
import { generateDemoDataset } from '../src/features/data/worker/demoDataset';
import { evaluateModel } from '../src/features/train/worker/evaluate';
import { loadRunModel } from '../src/ml/core/loadRunModel';
import { TrainControl, runTraining } from '../src/features/train/worker/train';
import { setupWasmInNode } from '../src/ml/wasmNode';
import { DEMO, DEMO_FORMAT, type DemoModelFile } from '../src/shared/demo';
import type { EpochMetric } from '../src/features/train/shared/protocol';

const outIndex = process.argv.indexOf('--out');
const outDir = outIndex > 0 ? process.argv[outIndex + 1] : 'public/demo';

await setupWasmInNode();
const db = await openLabDb('train-demo');
const t0 = performance.now();
const { datasetId } = await generateDemoDataset(db, { count: DEMO.count, seed: DEMO.seed, name: DEMO.datasetName });
const epochs: EpochMetric[] = [];
const result = await runTraining(
  { datasetId, config: DEMO.config },
  {
    db,
    backend: 'wasm',
    control: new TrainControl(),
    emit: (e) => {
      if (e.type !== 'epoch') return;
      epochs.push(e.metric);
      console.log(
        `epoch ${e.metric.epoch}: train acc ${e.metric.trainAccuracy.toFixed(3)}, test acc ${e.metric.testAccuracy.toFixed(3)}, ${e.metric.seconds.toFixed(1)} s`,
      );
    },
  },
);
const trainSeconds = (performance.now() - t0) / 1000;
const { model } = await loadRunModel(db, result.runId);
const test = await evaluateModel(db, model, result.runId, datasetId, DEMO.config.numClasses, 'test');
const validation = await evaluateModel(db, model, result.runId, datasetId, DEMO.config.numClasses, 'validation');
const stored = await readModelWeights(model);
let offset = 0;
const weights = stored.map((w) => {
  const entry = { name: w.name, shape: w.shape, offset, length: w.data.length };
  offset += w.data.length;
  return entry;
});
const bin = new Float32Array(offset);
stored.forEach((w, i) => bin.set(w.data, weights[i].offset));
const meta: DemoModelFile = {
  format: DEMO_FORMAT,
  config: DEMO.config,
  dataset: { count: DEMO.count, seed: DEMO.seed },
  weights,
  epochs,
  testAccuracy: test.accuracy,
  validationAccuracy: validation.accuracy,
  trainSeconds,
  backend: 'wasm (Node)',
  createdAt: new Date().toISOString(),
};
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'model.json'), JSON.stringify(meta, null, 1) + '\n');
await writeFile(join(outDir, 'weights.bin'), new Uint8Array(bin.buffer));
let checksum = 0x811c9dc5;
for (const byte of new Uint8Array(bin.buffer)) checksum = Math.imul(checksum ^ byte, 0x01000193) >>> 0;
console.log(
  `demo model: weights FNV-1a ${checksum.toString(16)}, test accuracy ${test.accuracy.toFixed(4)} (${test.count} images), validation ${validation.accuracy.toFixed(4)} (${validation.count}), ` +
    `${trainSeconds.toFixed(0)} s, ${bin.byteLength} bytes of weights → ${outDir}`,
);
model.dispose();
