import { describe, expect, it } from 'vitest';
import { featureMapGrid, filterGrid, strongestChannels, tileAt, weightHistogram } from './render';

describe('See page rendering helpers', () => {
  it('draws first-layer filters in colour, each normalised on its own', () => {
    // Two 3×3×3 filters: filter 0 is red-only ramp, filter 1 constant except one blue pixel.
    const weights = new Float32Array(3 * 3 * 3 * 2);
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) weights[((y * 3 + x) * 3 + 0) * 2 + 0] = y * 3 + x;
    weights[((1 * 3 + 1) * 3 + 2) * 2 + 1] = 0.001;
    const g = filterGrid({ name: 'conv1', shape: [3, 3, 3, 2], weights });
    expect(g.tiles).toBe(2);
    expect(g.width).toBe(2 * 4 + 1);
    const px = (tile: number, x: number, y: number) => {
      const o = ((1 + y) * g.width + 1 + tile * 4 + x) * 4;
      return Array.from(g.rgba.slice(o, o + 3));
    };
    expect(px(0, 2, 2)).toEqual([255, 0, 0]); // max of filter 0: red
    expect(px(0, 0, 0)).toEqual([0, 0, 0]);
    expect(px(1, 1, 1)).toEqual([0, 0, 255]); // tiny weight still full scale after per-filter normalisation
  });

  it('sorts channels by mean activation and tiles feature maps', () => {
    const layer = {
      name: 'c',
      height: 2,
      width: 2,
      channels: 3,
      data: new Float32Array(12),
      channelMeans: [0.1, 0.9, 0.5],
    };
    expect(strongestChannels(layer, 2)).toEqual([1, 2]);
    const g = featureMapGrid(layer, [1, 2]);
    expect(g.tiles).toBe(2);
    expect(g.rgba.length).toBe(g.width * g.height * 4);
  });
});

describe('filter views and weight histogram', () => {
  it('shows one input channel of a deeper layer, normalised per filter', () => {
    // 3×3 kernels, 2 input channels, 1 filter: channel 0 is a ramp, channel 1 is constant.
    const weights = new Float32Array(3 * 3 * 2);
    for (let k = 0; k < 9; k++) {
      weights[k * 2] = k;
      weights[k * 2 + 1] = 5;
    }
    const layer = { name: 'conv2', shape: [3, 3, 2, 1] as [number, number, number, number], weights };
    const ramp = filterGrid(layer, 32, 0);
    const flat = filterGrid(layer, 32, 1);
    const px = (g: ReturnType<typeof filterGrid>, x: number, y: number) => g.rgba[((1 + y) * g.width + 1 + x) * 4]; // 1-px gutter
    expect(px(ramp, 0, 0)).toBeLessThan(px(ramp, 2, 2)); // the ramp rises left to right, top to bottom
    expect(px(flat, 0, 0)).toBe(px(flat, 2, 2)); // a constant channel is one grey
    expect(filterGrid(layer, 32)).not.toEqual(flat); // the mean view is not channel 1's
  });

  it('bins every weight between the smallest and the largest', () => {
    const h = weightHistogram(Float32Array.from([-1, -0.5, 0, 0.5, 1, 1]), 4);
    expect(h).toEqual({ min: -1, max: 1, counts: [1, 1, 1, 3] });
    expect(weightHistogram(new Float32Array([2, 2]), 3).counts).toEqual([2, 0, 0]);
  });
});

describe('the tile under a point', () => {
  it('finds each filter of a grid from a pixel inside its tile, and none off the tiles', () => {
    // 40 filters of 3×3 at 32 per row: two rows, the second holding 8; tiles start at 1 + 4k.
    const layer = {
      name: 'conv2',
      shape: [3, 3, 1, 40] as [number, number, number, number],
      weights: new Float32Array(9 * 40),
    };
    const g = filterGrid(layer, 32);
    expect([g.cols, g.tileSize]).toEqual([32, 3]);
    for (let f = 0; f < 40; f++) {
      const x = 1 + (f % 32) * 4 + 2;
      const y = 1 + Math.floor(f / 32) * 4 + 1;
      expect(tileAt(g, x, y)).toBe(f);
    }
    expect(tileAt(g, 1 + 9 * 4 + 3, 2)).toBe(9); // the gap right of filter 9
    expect(tileAt(g, 1 + 8 * 4 + 1, 6)).toBeNull(); // row 2 past its 8 filters
    expect(tileAt(g, -1, 2)).toBeNull();
    expect(tileAt(g, g.width, 2)).toBeNull();
  });
});
