/**
 * Saliency maps as pictures, page-side from the worker's Float32Array (no tfjs here): |attribution| scaled so
 * that the map's 99th percentile is the top of the colour scale (a few extreme pixels would otherwise push
 * every other value to black: the "faint speckle" of a max-normalised gradient map), then drawn with the heat
 * colour scale (colormap.ts) on its own, laid over the face at a chosen opacity, and as a legend bar. Pure.
 */
import { HEAT_LUT } from './colormap';
import type { GridImage } from './render';

/** The top of the colour scale for this map: its `quantile` of |attribution| (its maximum if that is 0). */
export function attributionScale(map: Float32Array, quantile = 0.99): number {
  const abs = Float32Array.from(map, (v) => (Number.isFinite(v) ? Math.abs(v) : 0)).sort();
  if (abs.length === 0) return 0;
  const q = abs[Math.min(abs.length - 1, Math.floor(quantile * (abs.length - 1)))];
  return q > 0 ? q : abs[abs.length - 1];
}

/** |attribution| ÷ scale, clipped to [0, 1]; all 0 when the scale is 0 (a flat map). */
export function normaliseAttribution(map: Float32Array, scale = attributionScale(map)): Float32Array {
  return Float32Array.from(map, (v) => (scale > 0 && Number.isFinite(v) ? Math.min(1, Math.abs(v) / scale) : 0));
}

const lutIndex = (t: number) => Math.round(255 * t) * 3;

/** The normalised map alone, in the heat colours. */
export function heatmapImage(norm: Float32Array, size = 64): GridImage {
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const k = lutIndex(norm[i]);
    rgba.set([HEAT_LUT[k], HEAT_LUT[k + 1], HEAT_LUT[k + 2], 255], i * 4);
  }
  return { width: size, height: size, rgba, tiles: 1 };
}

/** face × (1 − opacity) + heat colour × opacity, per pixel: opacity 0 is the face, 1 the heatmap. */
export function overlayImage(face: Uint8Array, norm: Float32Array, opacity: number, size = 64): GridImage {
  const a = Math.min(1, Math.max(0, opacity));
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const k = lutIndex(norm[i]);
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Math.round(face[i * 3 + c] * (1 - a) + HEAT_LUT[k + c] * a);
    rgba[i * 4 + 3] = 255;
  }
  return { width: size, height: size, rgba, tiles: 1 };
}

/** The colour scale as a horizontal bar, 0 on the left. */
export function legendImage(width = 256, height = 12): GridImage {
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let x = 0; x < width; x++) {
    const k = lutIndex(x / (width - 1));
    for (let y = 0; y < height; y++)
      rgba.set([HEAT_LUT[k], HEAT_LUT[k + 1], HEAT_LUT[k + 2], 255], (y * width + x) * 4);
  }
  return { width, height, rgba, tiles: 1 };
}
