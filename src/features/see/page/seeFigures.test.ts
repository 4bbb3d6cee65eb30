/** The See panels' figures: the sanity-check grid (a row per method, a column per stage) and the region table. */
import { describe, expect, it } from 'vitest';
import type { ActivationMaxLayerRow, SanityChecks, WhereItLooks } from '../shared/protocol';
import { activationMaxLayersFigure, regionFigure, sanityFigure, stageLabel } from './seeFigures';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const map = () => Float32Array.from({ length: 4096 }, (_, i) => i % 7);

describe('sanityFigure', () => {
  const r: SanityChecks = {
    imageIndices: [5, 9],
    pixels: new Uint8Array(2 * PIXELS_PER_IMAGE),
    labels: [1, 0],
    classNames: ['Asha', 'Bela'],
    methods: ['gradient', 'gradcam'],
    stages: [
      { name: 'original', kind: 'original', randomised: [] },
      { name: 'predictions', kind: 'cascade', randomised: ['predictions'] },
      { name: 'labels shuffled', kind: 'labels', randomised: [], trainAccuracy: 1 },
    ],
    maps: [0, 1, 2].map(() => [0, 1].map(() => [map(), map()])),
    perImage: [
      [
        [1, 1],
        [1, 1],
      ],
      [
        [0.3, 0.5],
        [NaN, 0.1],
      ],
      [
        [0.2, 0.2],
        [0.1, 0.1],
      ],
    ],
    spearman: [
      [1, 1],
      [0.4, 0.05],
      [0.2, 0.1],
    ],
    constant: [
      [0, 0],
      [0, 1],
      [0, 0],
    ],
    ms: 1,
  };

  it('lays out the face and each stage per method, with this face’s ρ and the mean-ρ table', () => {
    const fig = sanityFigure(r, 1);
    expect(fig.columns).toBe(4);
    expect(fig.cells).toHaveLength(8);
    expect(fig.cells[0].caption).toBe('Gradient\n(test face 9, Asha)');
    expect(fig.cells[2].caption).toBe('↓\u00a0predictions\nρ 0.50');
    expect(fig.cells[6].caption).toBe('↓\u00a0predictions\nρ 0.10');
    expect(fig.table).toEqual([
      ['mean ρ', 'original', '↓\u00a0predictions', 'labels shuffled'],
      ['Gradient', '1.00', '0.40', '0.20'],
      ['Grad-CAM', '1.00', '0.05', '0.10'],
    ]);
    expect(fig.footer).toEqual([
      'labels shuffled: a re-initialised copy trained on shuffled labels (100 % of them memorised).',
    ]);
    expect(stageLabel(r.stages[0])).toBe('original');
  });
});

describe('regionFigure', () => {
  it('is the page’s table: header, one row per region, the pointing game', () => {
    const w: WhereItLooks = {
      images: 3,
      regions: ['background', 'eyes'],
      targets: ['eyes'],
      approximate: false,
      skipped: 0,
      rows: [
        {
          method: 'smoothgrad',
          attribution: [0.9, 0.1],
          area: [0.98, 0.02],
          ratio: [0.9 / 0.98, 5],
          pointing: { hits: 2, total: 3, rate: 2 / 3, chance: 0.02 },
          msPerImage: 1,
        },
      ],
    };
    expect(regionFigure(w).table).toEqual([
      ['Region', 'Area', 'SmoothGrad'],
      ['background', '98.0 %', '90.0 % (0.92×)'],
      ['eyes *', '2.0 %', '10.0 % (5.00×)'],
      ['Pointing game on eyes', '', '66.7 % (2.0 %)'],
    ]);
  });
});

describe('activationMaxLayersFigure', () => {
  const row = (layerName: string, filters: number[]): ActivationMaxLayerRow => ({
    layerName,
    channels: 16,
    ms: 1,
    results: filters.map((filter) => ({
      filter,
      pixels: new Uint8Array(PIXELS_PER_IMAGE).fill(filter),
      startActivation: 0,
      finalActivation: 1,
      gain: filter ? 2 : NaN,
      steps: 4,
      ms: 1,
    })),
  });

  it('puts one row of N captioned tiles per finished layer, the filter pixels in each tile', () => {
    const fig = activationMaxLayersFigure({
      rows: [row('conv1', [0, 8]), row('conv2', [0, 8])],
      layersTotal: 4,
      baselineImages: 64,
      steps: 4,
    });
    expect(fig.title).toBe('Activation maximisation, every conv layer: 2 of 4 layers');
    expect(fig.columns).toBe(2);
    expect(fig.cells.map((c) => c.caption)).toEqual([
      'conv1 · filter 0\ngain n/a',
      'conv1 · filter 8\ngain 2.0×',
      'conv2 · filter 0\ngain n/a',
      'conv2 · filter 8\ngain 2.0×',
    ]);
    expect(fig.cells[1].image.rgba[0]).toBe(8);
    expect(fig.subtitle?.[0]).toMatch(/^2 evenly spaced filters per layer, 4 steps/);
  });
});
