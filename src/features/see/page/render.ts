/**
 * Pure pixel helpers for the See page: filters and feature maps → RGBA tiles in one grid image, each tile
 * normalised on its own (as in the paper's figures 5–7) so weak and strong filters are both visible.
 */
import type { FeatureMapLayer, FilterLayer } from '../shared/protocol';

export interface GridImage {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  tiles: number;
  /** For a grid of tiles: tiles per row and the side of one tile (a 1-px gap around each). */
  cols?: number;
  tileSize?: number;
}

function normaliser(values: ArrayLike<number>): (v: number) => number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  const span = hi - lo || 1;
  return (v) => Math.round((255 * (v - lo)) / span);
}

/** Tiles of size×size pixels laid out `cols` per row with a 1-px gap; fill(tile, x, y) → [r,g,b]. */
function grid(
  count: number,
  size: number,
  cols: number,
  fill: (tile: number, x: number, y: number) => [number, number, number],
): GridImage {
  const rows = Math.ceil(count / cols);
  const width = cols * (size + 1) + 1;
  const height = rows * (size + 1) + 1;
  const rgba = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let t = 0; t < count; t++) {
    const ox = 1 + (t % cols) * (size + 1);
    const oy = 1 + Math.floor(t / cols) * (size + 1);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const [r, g, b] = fill(t, x, y);
        const o = ((oy + y) * width + ox + x) * 4;
        rgba[o] = r;
        rgba[o + 1] = g;
        rgba[o + 2] = b;
      }
  }
  return { width, height, rgba, tiles: count, cols, tileSize: size };
}

/**
 * One tile per filter: the first layer (3 input channels) in colour, deeper layers as the mean over input
 * channels — or, with `channel`, the weights that read that one input channel (grey). Each tile normalised on
 * its own. Kernel layout [kh, kw, cin, cout].
 */
export function filterGrid(layer: FilterLayer, cols = 32, channel?: number): GridImage {
  const [kh, kw, cin, cout] = layer.shape;
  const at = (y: number, x: number, c: number, f: number) => layer.weights[((y * kw + x) * cin + c) * cout + f];
  if (channel !== undefined) {
    const c = Math.max(0, Math.min(cin - 1, Math.floor(channel)));
    const channelNorms = Array.from({ length: cout }, (_, f) => {
      const vals: number[] = [];
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) vals.push(at(y, x, c, f));
      return normaliser(vals);
    });
    return grid(cout, kh, Math.min(cols, cout), (f, x, y) => {
      const v = channelNorms[f](at(y, x, c, f));
      return [v, v, v];
    });
  }
  const norms = Array.from({ length: cout }, (_, f) => {
    const vals: number[] = [];
    for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < cin; c++) vals.push(at(y, x, c, f));
    return normaliser(vals);
  });
  const meanNorms = Array.from({ length: cout }, (_, f) => {
    const vals: number[] = [];
    for (let y = 0; y < kh; y++)
      for (let x = 0; x < kw; x++) {
        let s = 0;
        for (let c = 0; c < cin; c++) s += at(y, x, c, f);
        vals.push(s / cin);
      }
    return normaliser(vals);
  });
  return grid(cout, kh, Math.min(cols, cout), (f, x, y) => {
    if (cin === 3) return [norms[f](at(y, x, 0, f)), norms[f](at(y, x, 1, f)), norms[f](at(y, x, 2, f))];
    let s = 0;
    for (let c = 0; c < cin; c++) s += at(y, x, c, f);
    const v = meanNorms[f](s / cin);
    return [v, v, v];
  });
}

/**
 * The tile under a point of a grid image, in the image's own pixels (a click on the canvas, scaled back), or
 * null off the tiles. A gap pixel belongs to the tile on its left/above, so a click never falls between two.
 */
export function tileAt(image: GridImage, x: number, y: number): number | null {
  if (!image.cols || !image.tileSize || x < 0 || y < 0 || x >= image.width || y >= image.height) return null;
  const col = Math.min(image.cols - 1, Math.floor(Math.max(0, x - 1) / (image.tileSize + 1)));
  const row = Math.floor(Math.max(0, y - 1) / (image.tileSize + 1));
  const tile = row * image.cols + col;
  return tile < image.tiles ? tile : null;
}

/** The `limit` most active channels of a layer (by mean activation), strongest first. */
export function strongestChannels(layer: FeatureMapLayer, limit: number): number[] {
  return layer.channelMeans
    .map((m, c) => [m, c] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, limit)
    .map(([, c]) => c);
}

export function featureMapGrid(layer: FeatureMapLayer, channels: number[], cols = 8): GridImage {
  const { height: h, width: w, channels: n } = layer;
  const size = Math.max(h, w);
  const norms = channels.map((c) => {
    const vals = new Float32Array(h * w);
    for (let p = 0; p < h * w; p++) vals[p] = layer.data[p * n + c];
    return normaliser(vals);
  });
  return grid(channels.length, size, Math.min(cols, channels.length), (t, x, y) => {
    if (x >= w || y >= h) return [255, 255, 255];
    const v = norms[t](layer.data[(y * w + x) * n + channels[t]]);
    return [v, v, v];
  });
}

/** Histogram of a layer's weights: `bins` equal-width bins from the smallest to the largest weight. */
export function weightHistogram(weights: Float32Array, bins = 40): { min: number; max: number; counts: number[] } {
  let min = Infinity;
  let max = -Infinity;
  for (const w of weights) {
    if (w < min) min = w;
    if (w > max) max = w;
  }
  const counts = new Array<number>(bins).fill(0);
  if (!(max > min)) {
    if (weights.length) counts[0] = weights.length;
    return { min: weights.length ? min : 0, max: weights.length ? max : 0, counts };
  }
  const width = (max - min) / bins;
  for (const w of weights) counts[Math.min(bins - 1, Math.floor((w - min) / width))]++;
  return { min, max, counts };
}
