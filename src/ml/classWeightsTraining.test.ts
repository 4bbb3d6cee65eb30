/**
 * Class weights in the real trainer (runTraining on wasm in Node, in-memory IndexedDB): on an imbalanced toy set
 * whose classes overlap, balanced weights raise the minority class's recall against an unweighted run with the
 * same seed; "automatic" resolves to balanced weights there and stores them in the run's config, and a resume
 * keeps them even after the split changed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ChunkWriter } from '../db/chunkWriter';
import { putDataset, putSplit } from '../db/datasets';
import { openLabDb, type LabDatabase } from '../db/open';
import { decide } from '../db/review';
import { getRun } from '../db/runs';
import { SPLIT_CODES } from '../db/schema';
import { balancedWeights } from '../features/train/shared/classWeights';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';
import { Rng } from '../shared/synthetic/rng';
import { DEFAULT_CONFIG, type TrainingConfig } from '../shared/trainingConfig';
import { evaluateModel } from '../features/train/worker/evaluate';
import { loadRunModel } from './core/loadRunModel';
import { TrainControl, runTraining } from '../features/train/worker/train';
import { setupWasmInNode } from './wasmNode';

/**
 * Plain grey images whose brightness is drawn from N(0.45, 0.08) for class 0 and N(0.55, 0.08) for class 1: the
 * classes overlap, so an unweighted loss buys majority accuracy with the minority's recall. (With per-pixel
 * noise on top the small conv net memorised the 192 training images within 10 epochs and the weights stopped
 * mattering; a uniform image cannot be memorised apart from its brightness.)
 */
async function toySet(
  db: LabDatabase,
  name: string,
  parts: Array<{ split: keyof typeof SPLIT_CODES; counts: [number, number] }>,
  seed: number,
) {
  const rng = new Rng(seed);
  const id = `toy-${name}`;
  const labels: number[] = [];
  const codes: number[] = [];
  const writer = new ChunkWriter(db, id);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  for (const part of parts) {
    for (const label of [0, 1]) {
      for (let k = 0; k < part.counts[label]; k++) {
        const mean = (label === 0 ? 0.45 : 0.55) + 0.08 * gauss();
        const pixels = new Uint8Array(PIXELS_PER_IMAGE);
        pixels.fill(Math.max(0, Math.min(255, Math.round(255 * mean))));
        await writer.add(pixels, label);
        labels.push(label);
        codes.push(SPLIT_CODES[part.split]);
      }
    }
  }
  await writer.flush();
  const count = labels.length;
  await putSplit(db, {
    datasetId: id,
    seed,
    codes: Uint8Array.from(codes),
    counts: { train: codes.filter((c) => c === 0).length, test: codes.filter((c) => c === 1).length, validation: 0 },
  });
  await putDataset(db, {
    id,
    name,
    kind: 'synthetic',
    classNames: ['major', 'minor'],
    createdAt: Date.now(),
    count,
    classCounts: [labels.filter((l) => l === 0).length, labels.filter((l) => l === 1).length],
    complete: true,
  });
  return id;
}

const config: TrainingConfig = {
  ...DEFAULT_CONFIG,
  widthMultiplier: 0.25,
  dropout: 0,
  augment: false,
  autoEpochs: false,
  epochs: 10,
  batchSize: 16,
  learningRate: 1e-3,
};

describe('class weights in training', () => {
  let db: LabDatabase;
  beforeAll(async () => {
    await setupWasmInNode();
    db = await openLabDb('class-weights-training-test');
  });

  const train = async (datasetId: string, c: TrainingConfig) => {
    const r = await runTraining(
      { datasetId, config: c },
      { db, backend: 'wasm', control: new TrainControl(), emit: () => {} },
    );
    const { model } = await loadRunModel(db, r.runId);
    const ev = await evaluateModel(db, model, r.runId, datasetId, 2, 'test');
    model.dispose();
    return { run: (await getRun(db, r.runId))!, recall: ev.perClassAccuracy };
  };

  // Measured (Adam 1e-3, 10 epochs, 160 vs 32 training images, 100 + 100 test, wasm), minority recall unweighted →
  // balanced. Until 2026-12-07, seed 1: 0.54 → 0.69, 2: 0.35 → 0.79, 3: 0.52 → 0.82, 4: 0.32 → 0.92, and seeds 1
  // and 2 were asserted one by one. Then the wasm MaxPoolGrad was corrected (tfjs' own dropped the gradient of
  // all-negative windows, src/ml/wasmMaxPoolGrad.ts), and with the right gradient: seed 1: 0.33 → 0.71, 2: 0.30 →
  // 0.19, 3: 0.59 → 0.86, 4: 0.20 → 0.59, 5: 0.62 → 0.76, 6: 0.58 → 0.78 (majority 0.82–0.98 → 0.48–0.98). So the
  // rise is not a law of every seed; what holds is the trend, and that is asserted over seeds 1–4 (deterministic
  // for a seed): a mean rise of at least 0.1 and a rise of at least 0.1 in three of the four. Weights that never
  // reach the loss rise by exactly 0 everywhere; the old per-seed floor of 0.6 is not kept (seed 4 reaches 0.59).
  it('automatic weighting picks balanced weights here, stores them, and raises the minority recall against the same run unweighted', async () => {
    let last = { id: '', runId: '' };
    const rises: number[] = [];
    for (const seed of [1, 2, 3, 4]) {
      const id = await toySet(
        db,
        `recall-${seed}`,
        [
          { split: 'train', counts: [160, 32] },
          { split: 'test', counts: [100, 100] },
        ],
        100 + seed,
      );
      const plain = await train(id, { ...config, seed, classWeighting: 'none' });
      const weighted = await train(id, { ...config, seed, classWeighting: 'auto' });
      console.log(
        `seed ${seed}: minority recall ${plain.recall[1].toFixed(2)} → ${weighted.recall[1].toFixed(2)}, majority ${plain.recall[0].toFixed(2)} → ${weighted.recall[0].toFixed(2)}`,
      );
      expect(plain.run.config.classWeights).toBeUndefined();
      expect(weighted.run.config.classWeights).toEqual(balancedWeights([160, 32]));
      rises.push(weighted.recall[1] - plain.recall[1]);
      last = { id, runId: weighted.run.id };
    }
    const meanRise = rises.reduce((a, b) => a + b, 0) / rises.length;
    expect(meanRise).toBeGreaterThanOrEqual(0.1);
    expect(rises.filter((r) => r >= 0.1).length).toBeGreaterThanOrEqual(3);
    // Review rejects 130 majority training faces (the split is now 30 vs 32): a resume keeps the run's weights.
    await decide(
      db,
      last.id,
      Array.from({ length: 130 }, (_, i) => i),
      'reject',
    );
    const resumed = await runTraining(
      { datasetId: last.id, config: { ...config, epochs: 11 }, resumeRunId: last.runId },
      { db, backend: 'wasm', control: new TrainControl(), emit: () => {} },
    );
    const run = (await getRun(db, resumed.runId))!;
    expect(run.epochsDone).toBe(11);
    expect(run.config.classWeights).toEqual(balancedWeights([160, 32]));
    // A new run on the changed split is within 20 %: automatic chooses none.
    expect((await train(last.id, { ...config, epochs: 1, seed: 1 })).run.config.classWeights).toBeUndefined();
  }, 600_000);
});
