/** The small-set recipe's plan (planTraining): what the Train page shows and what the worker then runs. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONFIG,
  DEFAULT_MIN_STEPS,
  MAX_AUTO_EPOCHS,
  PAPER_CONFIG,
  planTraining,
  plannedConfig,
} from './trainingConfig';

describe('planTraining', () => {
  it('raises epochs on a small set to reach the minimum number of steps, and says why', () => {
    const p = planTraining(DEFAULT_CONFIG, 41); // the real-photo set: 41 training faces, batch 16 → 3 batches
    expect(DEFAULT_CONFIG.autoEpochs).toBe(true);
    expect(p.batchesPerEpoch).toBe(3);
    expect(p.epochs).toBe(Math.ceil(DEFAULT_MIN_STEPS / 3));
    expect(p.steps).toBeGreaterThanOrEqual(DEFAULT_MIN_STEPS);
    expect(p.checkpointEvery).toBe(Math.floor(p.epochs / DEFAULT_CONFIG.epochs));
    expect(p.note).toContain(`${p.epochs} epochs, not 8`);
  });

  it('balances batches when the last one would be under half a batch', () => {
    const p = planTraining(DEFAULT_CONFIG, 33); // 16 + 16 + 1
    expect(p.batchSize).toBe(11);
    expect(p.batchesPerEpoch).toBe(3);
    expect(p.note).toContain('batches of 11, not 16');
    expect(planTraining(DEFAULT_CONFIG, 41).batchSize).toBe(16); // 16 + 16 + 9: left as it is
    expect(planTraining(DEFAULT_CONFIG, 5).batchSize).toBe(5);
  });

  it('leaves large sets, typed epochs and the paper preset exactly as set', () => {
    const big = planTraining(DEFAULT_CONFIG, 410); // 26 batches × 8 epochs = 208 steps ≥ the minimum
    expect([big.epochs, big.batchSize, big.checkpointEvery, big.note]).toEqual([8, 16, 1, null]);
    const typed = { ...DEFAULT_CONFIG, epochs: 1, autoEpochs: false };
    expect(plannedConfig(typed, 3)).toEqual({ ...typed, checkpointEvery: 1 });
    expect(planTraining(PAPER_CONFIG, 40).epochs).toBe(PAPER_CONFIG.epochs);
  });

  it('caps the epochs of a one-batch set', () => {
    expect(planTraining({ ...DEFAULT_CONFIG, minSteps: 1000 }, 10).epochs).toBe(MAX_AUTO_EPOCHS);
  });
});
