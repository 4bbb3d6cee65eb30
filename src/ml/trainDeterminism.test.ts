/**
 * Same seed, same backend, same data → the same run, epoch by epoch and batch by batch (issue 16: "the same seed
 * gave different results"). Two runs of the trainer (wasm backend in Node, in-memory IndexedDB) with dropout,
 * augmentation and shuffling all on must give bit-identical batch losses and epoch metrics; a third run with
 * another seed must differ (so the comparison can fail). The cause found: tfjs' Dropout layer draws its mask
 * from Math.random unless seeded (trainStep.ts, seedDropout).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { getSplit } from '../db/datasets';
import { openLabDb } from '../db/open';
import { getRun } from '../db/runs';
import { DEFAULT_CONFIG, plannedConfig, type TrainingConfig } from '../shared/trainingConfig';
import { generateDemoDataset } from '../features/data/worker/demoDataset';
import { TrainControl, runTraining } from '../features/train/worker/train';
import { setupWasmInNode } from './wasmNode';

describe('training is repeatable', () => {
  beforeAll(async () => {
    await setupWasmInNode();
  });

  it('same seed → identical metrics epoch by epoch; another seed → different', async () => {
    const db = await openLabDb('train-determinism-test');
    const { datasetId } = await generateDemoDataset(db, { count: 60, seed: 11, name: 'determinism' });
    // The defaults (dropout 0.35, augmentation, shuffling), narrower and shorter to keep the test quick.
    const config: TrainingConfig = { ...DEFAULT_CONFIG, widthMultiplier: 0.25, epochs: 3, autoEpochs: false, seed: 4 };
    expect(config.dropout).toBeGreaterThan(0);
    expect(config.augment).toBe(true);
    const train = async (c: TrainingConfig) => {
      const r = await runTraining(
        { datasetId, config: c },
        { db, backend: 'wasm', control: new TrainControl(), emit: () => {} },
      );
      expect(r.status).toBe('completed');
      const run = (await getRun(db, r.runId))!;
      return {
        epochs: run.epochs.map(({ epoch, trainLoss, trainAccuracy, testLoss, testAccuracy }) => ({
          epoch,
          trainLoss,
          trainAccuracy,
          testLoss,
          testAccuracy,
        })),
        batchLog: run.batchLog,
      };
    };
    const a = await train(config);
    const b = await train(config);
    expect(a.epochs).toHaveLength(3);
    expect(b.epochs).toEqual(a.epochs);
    expect(b.batchLog).toEqual(a.batchLog);
    const other = await train({ ...config, seed: 5 });
    expect(other.batchLog).not.toEqual(a.batchLog);
  }, 300_000);

  it('the small-set recipe repeats too (planned epochs, balanced batches, sparse checkpoints)', async () => {
    const db = await openLabDb('train-determinism-plan-test');
    const { datasetId } = await generateDemoDataset(db, { count: 24, seed: 12, name: 'small' });
    // 24 images → ~19 train (80/20 by class): batches of 16 + 3 would leave a tiny last batch, so 2 balanced batches.
    const n = (await getSplit(db, datasetId))!.counts.train;
    expect(n).toBeGreaterThan(16);
    expect(n).toBeLessThan(24);
    const c = plannedConfig({ ...DEFAULT_CONFIG, widthMultiplier: 0.25, epochs: 2, minSteps: 8, seed: 2 }, n);
    expect([c.epochs, c.batchSize, c.checkpointEvery]).toEqual([4, Math.ceil(n / 2), 2]);
    const run = async () => {
      const r = await runTraining(
        { datasetId, config: c },
        { db, backend: 'wasm', control: new TrainControl(), emit: () => {} },
      );
      return (await getRun(db, r.runId))!;
    };
    const a = await run();
    const b = await run();
    expect(a.epochs.length).toBe(4);
    expect(a.checkpointEpoch).toBe(4);
    expect(b.epochs.map((e) => [e.trainLoss, e.testLoss, e.testAccuracy])).toEqual(
      a.epochs.map((e) => [e.trainLoss, e.testLoss, e.testAccuracy]),
    );
  }, 300_000);
});
