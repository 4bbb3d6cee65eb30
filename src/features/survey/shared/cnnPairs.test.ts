/** Tests for scoring the CNN on the survey's own same/different pairs. */
import { describe, expect, it } from 'vitest';
import { cnnOnPairs } from './cnnPairs';
import type { SurveyKit } from './types';

function kit(pairs: SurveyKit['pairs'], cnnPredictions: Record<string, number>): SurveyKit {
  return {
    format: 'lookalike-lab-survey/1',
    id: 'k',
    name: 'k',
    createdAt: '',
    classNames: ['A', 'B'],
    displayMs: 450,
    condition: 'post',
    seed: 1,
    training: [],
    images: [],
    pairs,
    cnnPredictions,
  };
}

describe('cnnOnPairs', () => {
  // True labels: a0,a1 → 0; b0,b1 → 1. The CNN wrongly calls b1 class 0.
  const preds = { a0: 0, a1: 0, b0: 1, b1: 0 };
  const pairs = [
    { a: 'a0', b: 'a1', same: true }, // says same → correct
    { a: 'b0', b: 'b1', same: true }, // says different → wrong
    { a: 'a0', b: 'b0', same: false }, // says different → correct
    { a: 'b0', b: 'a1', same: false }, // says different → correct
  ];

  it('answers same iff predicted classes match, scored against the truth', () => {
    const r = cnnOnPairs(kit(pairs, preds));
    expect([r.trials, r.correct, r.accuracy]).toEqual([4, 3, 0.75]);
    expect(r.ci.lo).toBeCloseTo(0.300642, 5);
    expect(r.ci.hi).toBeCloseTo(0.954413, 5);
  });

  it('a fooled pair (b1 looks like a0) counts as wrong when they are different people', () => {
    const r = cnnOnPairs(kit([{ a: 'a0', b: 'b1', same: false }], preds));
    expect([r.correct, r.accuracy]).toEqual([0, 0]);
  });

  it('throws when a prediction is missing, and gives NaN with no pairs', () => {
    expect(() => cnnOnPairs(kit([{ a: 'a0', b: 'zz', same: false }], preds))).toThrow(/no prediction for image "zz"/);
    expect(cnnOnPairs(kit([], preds)).accuracy).toBeNaN();
  });
});
