import { describe, expect, it } from 'vitest';
import { featureMapGrid, filterGrid, strongestChannels, weightHistogram } from './render';
import { PIXELS_PER_IMAGE } from '../../shared/imageGeometry';

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
    const layer = { name: 'c', height: 2, width: 2, channels: 3, data: new Float32Array(12), channelMeans: [0.1, 0.9, 0.5] };
    expect(strongestChannels(layer, 2)).toEqual([1, 2]);
    const g = featureMapGrid(layer, [1, 2]);
    expect(g.tiles).toBe(2);
    expect(g.rgba.length).toBe(g.width * g.height * 4);
  });
});

describe('saliency overlay', () => {
  it('leaves zero-attribution pixels as they are and paints the peak in heat colour', async () => {
    const { saliencyOverlay } = await import('./render');
    const pixels = new Uint8Array(PIXELS_PER_IMAGE).fill(100);
    const map = new Float32Array(64 * 64);
    map[5] = -2; // signed maps use |value|
    const img = saliencyOverlay(pixels, map);
    expect(Array.from(img.rgba.slice(0, 4))).toEqual([100, 100, 100, 255]);
    expect(Array.from(img.rgba.slice(20, 24))).toEqual([216, 216, 25, 255]);
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
