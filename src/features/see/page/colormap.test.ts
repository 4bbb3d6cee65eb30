import { describe, expect, it } from 'vitest';
import { HEAT_HUE0, HEAT_HUE_TURN, HEAT_L0, HEAT_L1, heatColor, type Rgb } from './colormap';
import { attributionScale, heatmapImage, legendImage, normaliseAttribution, overlayImage } from './saliencyImages';

/** sRGB bytes → CIELAB (D65), the textbook forward conversion (colormap.ts only implements the inverse). */
function lab([r, g, b]: Rgb): { L: number; hue: number; chroma: number } {
  const lin = [r, g, b].map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
  const X = (0.4124564 * lin[0] + 0.3575761 * lin[1] + 0.1804375 * lin[2]) / 0.95047;
  const Y = 0.2126729 * lin[0] + 0.7151522 * lin[1] + 0.072175 * lin[2];
  const Z = (0.0193339 * lin[0] + 0.119192 * lin[1] + 0.9503041 * lin[2]) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const L = 116 * f(Y) - 16;
  const a = 500 * (f(X) - f(Y));
  const bb = 200 * (f(Y) - f(Z));
  return { L, hue: ((Math.atan2(bb, a) * 180) / Math.PI + 360) % 360, chroma: Math.hypot(a, bb) };
}
/** Relative luminance (WCAG) of sRGB bytes. */
const luminance = (c: Rgb) => {
  const [r, g, b] = c.map((v) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

describe('heat colour scale', () => {
  it('has the designed lightness and hue at 0, 0.5 and 1', () => {
    // Near black (a dark violet), a crimson in the middle, a pale yellow at the top, as inferno.
    const [lo, mid, hi] = [heatColor(0), heatColor(0.5), heatColor(1)].map(lab);
    expect(lo.L).toBeCloseTo(HEAT_L0, 0);
    expect(mid.L).toBeCloseTo((HEAT_L0 + HEAT_L1) / 2, 0);
    expect(hi.L).toBeCloseTo(HEAT_L1, 0);
    expect(Math.abs(mid.hue - ((HEAT_HUE0 + HEAT_HUE_TURN / 2) % 360))).toBeLessThan(4); // 20°: crimson
    expect(Math.abs(hi.hue - ((HEAT_HUE0 + HEAT_HUE_TURN) % 360))).toBeLessThan(6); // 100°: yellow
    expect(mid.chroma).toBeGreaterThan(45); // a colour, not a grey
    const [r, g, b] = heatColor(0.5);
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(120);
  });

  it('rises in luminance at every one of its 256 steps, and clamps outside [0, 1]', () => {
    let previous = -1;
    for (let i = 0; i < 256; i++) {
      const y = luminance(heatColor(i / 255));
      expect(y, `step ${i}`).toBeGreaterThan(previous);
      previous = y;
    }
    expect(heatColor(-3)).toEqual(heatColor(0));
    expect(heatColor(7)).toEqual(heatColor(1));
    expect(heatColor(NaN)).toEqual(heatColor(0));
  });
});

describe('saliency pictures', () => {
  const size = 64;
  const face = Uint8Array.from({ length: size * size * 3 }, (_, i) => (i * 37) % 251);
  const map = Float32Array.from({ length: size * size }, (_, i) => Math.sin(i / 50) * (i % 7));

  it('overlay at opacity 0 is the face, at 1 the heatmap, and in between a blend of the two', () => {
    const norm = normaliseAttribution(map);
    const heat = heatmapImage(norm, size).rgba;
    const none = overlayImage(face, norm, 0, size).rgba;
    const full = overlayImage(face, norm, 1, size).rgba;
    const half = overlayImage(face, norm, 0.5, size).rgba;
    for (let i = 0; i < size * size; i++) {
      for (let c = 0; c < 3; c++) {
        expect(none[i * 4 + c]).toBe(face[i * 3 + c]);
        expect(full[i * 4 + c]).toBe(heat[i * 4 + c]);
        expect(Math.abs(half[i * 4 + c] - (face[i * 3 + c] + heat[i * 4 + c]) / 2)).toBeLessThanOrEqual(0.5);
      }
      expect(full[i * 4 + 3]).toBe(255);
    }
  });

  it('scales |attribution| by its 99th percentile, so one outlier does not blacken the rest', () => {
    const m = Float32Array.from({ length: 1000 }, (_, i) => (i % 2 ? -1 : 1) * (i / 1000));
    m[3] = 1e6; // one outlier
    expect(attributionScale(m)).toBeCloseTo(0.988, 2);
    const norm = normaliseAttribution(m);
    expect(norm[3]).toBe(1); // clipped to the top of the scale
    expect(norm[501]).toBeCloseTo(0.501 / 0.988, 2); // sign dropped
    expect(Array.from(normaliseAttribution(new Float32Array(8)))).toEqual(new Array(8).fill(0)); // flat map: all 0
  });

  it('draws the legend from the bottom of the scale to the top', () => {
    const bar = legendImage(100, 2).rgba;
    expect(Array.from(bar.slice(0, 3))).toEqual(heatColor(0));
    expect(Array.from(bar.slice(99 * 4, 99 * 4 + 3))).toEqual(heatColor(1));
  });
});
