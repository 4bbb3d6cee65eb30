/**
 * benchTraining (the worker's timing call) in Node on a tiny compact model: real timed steps with finite losses,
 * inference, a profile with kernels, no leaked tensors; and "does not fit" reported, not thrown.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchTraining } from './benchTraining';
import { setupWasmInNode } from '../wasmNode';

describe('benchTraining', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('times warm-up, training steps, inference and one profiled step on the cpu backend', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const r = await benchTraining({
      preset: 'compact',
      widthMultiplier: 0.25,
      batchSize: 2,
      steps: 3,
      warmup: 1,
      inferenceRuns: 2,
      profile: true,
    });
    expect(r.fits).toBe(true);
    expect(r.error).toBeUndefined();
    expect(r.backend).toBe('cpu');
    expect(r.warmupMs).toHaveLength(1);
    expect(r.stepMs).toHaveLength(3);
    expect(r.stepMs.every((ms) => ms > 0)).toBe(true);
    expect(r.losses).toHaveLength(3);
    // Two classes: cross-entropy starts near ln 2 and must be finite.
    expect(r.losses.every((l) => Number.isFinite(l) && l > 0 && l < 5)).toBe(true);
    expect(r.inferenceMs).toHaveLength(2);
    expect(r.params).toBeGreaterThan(1000);
    expect(r.forwardFlopsPerImage).toBeGreaterThan(0);
    expect(r.trainFlopsPerImage).toBe(3 * r.forwardFlopsPerImage);
    expect(r.peakBytes).toBeGreaterThan(2 * 64 * 64 * 3 * 4); // at least the float input batch
    const names = r.kernels!.map((k) => k.name);
    expect(names).toContain('Conv2D');
    expect(names).toContain('Conv2DBackpropFilter');
    expect(r.kernels!.every((k) => k.count > 0 && k.ms >= 0)).toBe(true);
    expect(r.tensorsLeaked).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops early within its budget and says so', async () => {
    await tf.setBackend('cpu');
    const r = await benchTraining({
      preset: 'compact',
      widthMultiplier: 0.125,
      batchSize: 2,
      steps: 50,
      warmup: 0,
      inferenceRuns: 0,
      budgetMs: 1,
    });
    expect(r.budgetCut).toBe(true);
    expect(r.stepMs.length).toBeGreaterThanOrEqual(1);
    expect(r.stepMs.length).toBeLessThan(50);
  });

  it('reports a failure as "does not fit" instead of throwing', async () => {
    await tf.setBackend('cpu');
    const r = await benchTraining({
      preset: 'compact',
      widthMultiplier: 0.25,
      numClasses: 0,
      batchSize: 2,
      steps: 1,
      warmup: 0,
    });
    expect(r.fits).toBe(false);
    expect(r.stage).toBe('build');
    expect(r.error).toMatch(/\w/);
  });

  describe('on wasm with our conv-gradient kernels', () => {
    beforeAll(async () => {
      await setupWasmInNode();
    });
    it('times steps and reports the wasm heap', async () => {
      const r = await benchTraining({
        preset: 'compact',
        widthMultiplier: 0.25,
        batchSize: 4,
        steps: 2,
        warmup: 1,
        inferenceRuns: 1,
        profile: true,
      });
      expect(r.backend).toBe('wasm');
      expect(r.fits).toBe(true);
      expect(r.stepMs).toHaveLength(2);
      expect(r.losses.every(Number.isFinite)).toBe(true);
      expect(r.wasmHeapBytes).toBeGreaterThan(1 << 20);
      expect(r.kernels!.some((k) => k.name === 'Conv2DBackpropFilter')).toBe(true);
      expect(r.tensorsLeaked).toBe(0);
    });
    it('the training step changes the loss (the optimizer really updates the weights)', async () => {
      const r = await benchTraining({
        preset: 'compact',
        widthMultiplier: 0.25,
        batchSize: 8,
        steps: 4,
        warmup: 0,
        inferenceRuns: 0,
      });
      expect(new Set(r.losses).size).toBeGreaterThan(1);
      expect(r.inferenceMs).toEqual([]);
      expect(r.kernels).toBeNull();
    });
  });
});
