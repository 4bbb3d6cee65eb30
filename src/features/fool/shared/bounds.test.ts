import { describe, expect, it } from 'vitest';
import { firstOutOfBounds, linfBounds, perturbationNorms, ruleBounds } from './bounds';

/** Worked examples of the bounds every attack projects onto and every report checks, by hand. */
describe('perturbation bounds', () => {
  it("the paper's literal rule in whole levels: 200 may move ±5, 20 not at all, 255 only down", () => {
    const { lo, hi } = ruleBounds([200, 20, 255, 0, 41], 'relative', 0.025, true);
    expect(Array.from(lo)).toEqual([195, 20, 249, 0, 40]); // 41 ± 1.025 → [39.975, 42.025] → whole levels [40, 42]
    expect(Array.from(hi)).toEqual([205, 20, 255, 0, 42]);
    const floats = ruleBounds([200, 20], 'relative', 0.025, false);
    expect(Array.from(floats.lo)).toEqual([195, 19.5]);
    expect(Array.from(floats.hi)).toEqual([205, 20.5]);
    const range = ruleBounds([200, 20, 3], 'range', 0.025, true); // ±6.375 levels → ±6
    expect(Array.from(range.lo)).toEqual([194, 14, 0]);
    expect(Array.from(range.hi)).toEqual([206, 26, 9]);
  });

  it('the ε ball: a fractional ε keeps whole levels inside it, clipped to [0, 255]', () => {
    const q = linfBounds([100, 1, 254], 2.5, true);
    expect(Array.from(q.lo)).toEqual([98, 0, 252]);
    expect(Array.from(q.hi)).toEqual([102, 3, 255]);
    const f = linfBounds([100], 2.5, false);
    expect([f.lo[0], f.hi[0]]).toEqual([97.5, 102.5]);
  });

  it('firstOutOfBounds finds the first pixel outside, one level over is outside, slack forgives', () => {
    const b = { lo: Float32Array.from([10, 10, 10]), hi: Float32Array.from([20, 20, 20]) };
    expect(firstOutOfBounds([10, 20, 15], b)).toBe(-1);
    expect(firstOutOfBounds([10, 21, 15], b)).toBe(1);
    expect(firstOutOfBounds([10, 15, 9], b)).toBe(2);
    expect(firstOutOfBounds([10, 20.5, 9.5], b, 0.5)).toBe(-1);
  });

  it('norms of a known change', () => {
    const n = perturbationNorms([100, 200, 0, 50], [102, 195, 0, 50]);
    expect(n.linf).toBe(5);
    expect(n.changed).toBe(2);
    expect(n.meanAbs).toBe(7 / 4);
    expect(n.l2).toBeCloseTo(Math.sqrt(4 + 25) / 255, 12);
    expect(n.maxRelative).toBeCloseTo(0.025, 12);
    expect(perturbationNorms([0], [1]).maxRelative).toBe(Infinity);
  });
});
