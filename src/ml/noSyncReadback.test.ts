/**
 * The training loop never reads a tensor synchronously (dataSync / arraySync / engine.readSync): on WebGPU a
 * synchronous read stalls the pipeline, and on SwiftShader it returns zeros. Spies on the engine over 20 batches.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { openLabDb } from '../db/open';
import { DEFAULT_CONFIG } from '../shared/trainingConfig';
import { generateDemoDataset } from '../features/data/worker/demoDataset';
import { TrainControl, runTraining } from '../features/train/worker/train';

describe('no synchronous readback in training', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs 20 batches with zero engine.readSync calls', async () => {
    const db = await openLabDb('sync-readback-test');
    // 60 images → 48 train → 24 batches of 2 in one epoch; we stop after 20.
    const { datasetId } = await generateDemoDataset(db, { count: 60, seed: 2, name: 'sync' });
    const readSync = vi.spyOn(tf.engine(), 'readSync');
    const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const control = new TrainControl();
    let batches = 0;
    await runTraining(
      { datasetId, config: { ...DEFAULT_CONFIG, widthMultiplier: 0.125, batchSize: 2, epochs: 1, augment: true } },
      {
        db,
        backend: 'cpu',
        control,
        emit: (e) => {
          if (e.type === 'batch' && ++batches === 20) control.stop();
        },
      },
    );
    expect(batches).toBe(20);
    expect(dataSync).not.toHaveBeenCalled();
    expect(readSync).not.toHaveBeenCalled();
    readSync.mockRestore();
    dataSync.mockRestore();
  });
});
