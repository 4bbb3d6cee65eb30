import { describe, expect, it } from 'vitest';
import { modelLayers } from './modelZoo';
import { ARCHITECTURES, DEFAULT_CONFIG, PAPER_CONFIG } from './trainingConfig';

describe('modelLayers (the zoo as data)', () => {
  it('gives every layer of a preset a distinct name (kernel seeds and checkpoints go by name)', () => {
    for (const architecture of ARCHITECTURES) {
      const names = modelLayers({ ...PAPER_CONFIG, architecture }).map((l) => l.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('ends every preset with dropout (when its rate is above 0) and the softmax', () => {
    for (const architecture of ARCHITECTURES) {
      const withDropout = modelLayers({ ...DEFAULT_CONFIG, architecture, dropout: 0.35, numClasses: 3 });
      expect(withDropout.slice(-2)).toEqual([
        { kind: 'dropout', name: 'dropout', rate: 0.35 },
        { kind: 'dense', name: 'predictions', units: 3, activation: 'softmax' },
      ]);
      const without = modelLayers({ ...DEFAULT_CONFIG, architecture, dropout: 0 });
      expect(without.some((l) => l.kind === 'dropout')).toBe(false);
    }
  });

  it("paper: 13 convs, the last 'valid', and as many head batch norms as asked", () => {
    const layers = modelLayers({ ...PAPER_CONFIG, batchNormLayers: 2 });
    const convs = layers.filter((l) => l.kind === 'conv');
    expect(convs).toHaveLength(13);
    expect(convs.map((c) => c.padding)).toEqual([...Array(12).fill('same'), 'valid']);
    expect(layers.filter((l) => l.kind === 'batchNorm').map((l) => l.name)).toEqual(['batchnorm128', 'batchnorm512']);
    expect(modelLayers({ ...PAPER_CONFIG, batchNormLayers: 0 }).some((l) => l.kind === 'batchNorm')).toBe(false);
  });

  it('compact: batch norms at momentum 0.9, channels scaled by the width multiplier', () => {
    const layers = modelLayers({ ...DEFAULT_CONFIG, widthMultiplier: 0.5, batchNormLayers: 1 });
    expect(layers.filter((l) => l.kind === 'batchNorm').every((l) => l.momentum === 0.9)).toBe(true);
    expect(layers.filter((l) => l.kind === 'conv').map((l) => l.filters)).toEqual([8, 16, 32, 32]);
  });
});
