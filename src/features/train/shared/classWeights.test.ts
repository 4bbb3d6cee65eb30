import { describe, expect, it } from 'vitest';
import { balancedWeights, classImbalance, resolveClassWeights } from './classWeights';

describe('class weights', () => {
  it("balanced = Keras' n / (classes × n per class): the paper's 18,000 vs 13,000", () => {
    const w = balancedWeights([18_000, 13_000]);
    expect(w[0]).toBeCloseTo(31_000 / 36_000, 12);
    expect(w[1]).toBeCloseTo(31_000 / 26_000, 12);
    // Averaged over the training images the weights are 1, so the loss keeps its scale.
    expect((18_000 * w[0] + 13_000 * w[1]) / 31_000).toBeCloseTo(1, 12);
    expect(resolveClassWeights('auto', [18_000, 13_000], ['AR', 'PC']).reason).toContain('AR 0.86 · PC 1.19');
  });

  it('automatic: balanced above a 20 % difference, none at or below it (19 % vs 21 %, and exactly 20 %)', () => {
    expect(classImbalance([100, 81])).toBeCloseTo(0.19, 12);
    expect(resolveClassWeights('auto', [100, 81]).weights).toBeNull();
    expect(resolveClassWeights('auto', [81, 100]).weights).toBeNull();
    expect(resolveClassWeights('auto', [100, 80]).weights).toBeNull();
    expect(resolveClassWeights('auto', [100, 79]).weights).toEqual(balancedWeights([100, 79]));
    expect(resolveClassWeights('auto', [79, 100]).weights).toEqual(balancedWeights([79, 100]));
    // Three classes: the smallest against the largest.
    expect(resolveClassWeights('auto', [100, 95, 81]).weights).toBeNull();
    expect(resolveClassWeights('auto', [100, 95, 79]).weights).not.toBeNull();
    expect(resolveClassWeights('auto', [100, 79]).reason).toMatch(/21 % fewer.*automatic chose balanced/);
    expect(resolveClassWeights('auto', [100, 81]).reason).toMatch(/19 % fewer.*automatic chose none/);
  });

  it('the user overrides either way; a class missing from training is not weighed', () => {
    expect(resolveClassWeights('balanced', [100, 90]).weights).toEqual([190 / 200, 190 / 180]);
    expect(resolveClassWeights('none', [100, 10]).weights).toBeNull();
    expect(resolveClassWeights(undefined, [100, 10]).weights).toBeNull(); // runs stored before class weights
    expect(resolveClassWeights('balanced', [50, 0]).weights).toBeNull();
    expect(resolveClassWeights('auto', [30, 0, 10]).weights).toEqual([40 / 60, 1, 40 / 20]);
  });
});
