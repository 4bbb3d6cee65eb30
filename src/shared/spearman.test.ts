/** Spearman rank correlation: average ranks for ties, known values from textbook examples, invariances. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageRanks, pearson, spearman } from './spearman';

describe('averageRanks', () => {
  it('ranks from 1 and gives ties the mean of their positions', () => {
    expect(Array.from(averageRanks([10, 30, 20]))).toEqual([1, 3, 2]);
    expect(Array.from(averageRanks([1, 2, 2, 3]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(averageRanks([0, 0, 0, 5, 0]))).toEqual([2.5, 2.5, 2.5, 5, 2.5]);
    expect(Array.from(averageRanks([]))).toEqual([]);
  });
  it('refuses NaN (it has no place in an order)', () => {
    expect(() => averageRanks([1, NaN])).toThrow(/NaN/);
  });
});

describe('spearman', () => {
  it('is ±1 for monotone relations, whatever their shape', () => {
    const x = [0.1, 0.5, 2, 3, 10];
    expect(
      spearman(
        x,
        x.map((v) => Math.exp(v)),
      ),
    ).toBeCloseTo(1, 12);
    expect(
      spearman(
        x,
        x.map((v) => -v * v * v),
      ),
    ).toBeCloseTo(-1, 12);
  });
  it('matches scipy.stats.spearmanr on tied data', () => {
    // scipy.stats.spearmanr([1,2,2,3,4], [2,1,3,3,5]).statistic = 0.7631578947368421
    expect(spearman([1, 2, 2, 3, 4], [2, 1, 3, 3, 5])).toBeCloseTo(0.7631578947368421, 12);
    // spearmanr([1,2,3,4,5,6], [6,5,4,3,2,1]) = -1; spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233
    expect(spearman([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
  });
  it('is NaN for a constant sample and rejects samples of different lengths', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(pearson([1], [2])).toBeNaN();
    expect(() => spearman([1, 2], [1, 2, 3])).toThrow(/samples/);
  });
  it('is symmetric, within [-1, 1], and unchanged by strictly increasing transforms', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -5, max: 5 })), {
          minLength: 3,
          maxLength: 40,
        }),
        (pairs) => {
          const a = pairs.map((p) => p[0]);
          const b = pairs.map((p) => p[1]);
          const r = spearman(a, b);
          if (Number.isNaN(r)) return new Set(a).size === 1 || new Set(b).size === 1;
          expect(r).toBeGreaterThanOrEqual(-1);
          expect(r).toBeLessThanOrEqual(1);
          expect(spearman(b, a)).toBeCloseTo(r, 12);
          expect(
            spearman(
              a.map((v) => v * 3 + 100),
              b.map((v) => Math.exp(v)),
            ),
          ).toBeCloseTo(r, 12);
          return true;
        },
      ),
    );
  });
});
