import { describe, expect, it } from 'vitest';
import { clampExperiment, headLogits, pca2, unitChanges } from './lastLayerAnalysis';

describe('last-layer analysis', () => {
  it('PCA finds the direction of largest spread first', () => {
    // Points on the line y = 2x (plus a little spread along x − 2y... none): PC1 ∝ (1, 2)/√5, explains all.
    const n = 6;
    const rows = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) rows.set([i, 2 * i], i * 2);
    const { coords, explained } = pca2(rows, n, 2);
    expect(explained[0]).toBeCloseTo(1, 6);
    expect(explained[1]).toBeCloseTo(0, 6);
    // Projections are centred and spaced by √5.
    expect(Math.abs(coords[2] - coords[0])).toBeCloseTo(Math.sqrt(5), 4);
    expect(coords.filter((_, i) => i % 2 === 0).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 4);
  });

  it('ranks units by mean change and restores a flip by restoring the changed unit', () => {
    // Two units, two classes; the head reads class 1 from unit 0 and class 0 from unit 1.
    const kernel = Float32Array.from([0, 1, 1, 0]); // [u0→c0, u0→c1, u1→c0, u1→c1]
    const bias = Float32Array.from([0, 0]);
    const original = Float32Array.from([0, 1, 0, 2]); // both rows: class 0 (unit 1 high)
    const modified = Float32Array.from([3, 1, 4, 2]); // the attack raised unit 0 → class 1
    const labels = [0, 0];
    expect(Array.from(headLogits(modified.subarray(0, 2), kernel, bias))).toEqual([1, 3]);
    const changes = unitChanges(original, modified, 2, 2);
    expect(changes[0]).toMatchObject({ unit: 0, change: 3.5 });
    expect(changes[1].change).toBe(0);
    const [k0, k1] = clampExperiment(original, modified, labels, 2, kernel, bias, [0, 1], 'restore');
    expect(k0).toMatchObject({ k: 0, flippedBack: 0, correctBefore: 0 });
    expect(k1).toMatchObject({ k: 1, units: [0], flippedBack: 2 });
    expect(clampExperiment(original, modified, labels, 2, kernel, bias, [1], 'zero')[0].flippedBack).toBe(2);
  });
});
