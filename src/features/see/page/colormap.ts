/**
 * The See page's heat colour scale, built here rather than copied: a ramp in CIELAB whose lightness L* rises
 * linearly from near black to near white (equal steps of attribution look equally different, and the map
 * still reads in greyscale), while the hue turns from violet through crimson and orange to pale yellow, the
 * look of matplotlib's inferno. Chroma is as high as sRGB allows at each lightness (reduced until in gamut,
 * never the lightness), so the luminance stays monotone. 256 entries, computed once. Pure.
 */

export type Rgb = [number, number, number];

/** Lightness at the two ends of the scale (CIELAB L*). */
export const HEAT_L0 = 4;
export const HEAT_L1 = 97;
/** Hue angle (degrees, CIELAB) at t = 0; it turns by HEAT_HUE_TURN to t = 1 (300° violet → 100° yellow). */
export const HEAT_HUE0 = 300;
export const HEAT_HUE_TURN = 160;

const D65 = [0.95047, 1, 1.08883];

/** CIELAB (D65) → linear sRGB, unclamped. */
function labToLinear(L: number, a: number, b: number): [number, number, number] {
  const fy = (L + 16) / 116;
  const fx = fy + a / 500;
  const fz = fy - b / 200;
  const inv = (f: number) => (f ** 3 > 0.008856 ? f ** 3 : (f - 16 / 116) / 7.787);
  const [X, Y, Z] = [inv(fx) * D65[0], inv(fy) * D65[1], inv(fz) * D65[2]];
  return [
    3.2404542 * X - 1.5371385 * Y - 0.4985314 * Z,
    -0.969266 * X + 1.8760108 * Y + 0.041556 * Z,
    0.0556434 * X - 0.2040259 * Y + 1.0572252 * Z,
  ];
}

const encode = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

/** The chroma asked for along the scale: low at both ends (black, pale yellow), highest in the reds. */
function wantedChroma(t: number): number {
  return 18 + 52 * Math.sin(Math.PI * Math.min(1, t * 1.1)) ** 0.6;
}

function colourAt(t: number): Rgb {
  const L = HEAT_L0 + (HEAT_L1 - HEAT_L0) * t;
  const h = ((HEAT_HUE0 + HEAT_HUE_TURN * t) * Math.PI) / 180;
  let lo = 0;
  let hi = wantedChroma(t);
  const inGamut = (C: number) => labToLinear(L, C * Math.cos(h), C * Math.sin(h)).every((c) => c >= 0 && c <= 1);
  if (inGamut(hi)) lo = hi;
  else for (let i = 0; i < 24; i++) [lo, hi] = inGamut((lo + hi) / 2) ? [(lo + hi) / 2, hi] : [lo, (lo + hi) / 2];
  const rgb = labToLinear(L, lo * Math.cos(h), lo * Math.sin(h));
  return rgb.map((c) => Math.round(255 * encode(Math.min(1, Math.max(0, c))))) as Rgb;
}

/** 256 RGB entries, index = round(255 t). */
export const HEAT_LUT: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(colourAt(i / 255), i * 3);
  return lut;
})();

/** The colour of t ∈ [0, 1] (clamped; NaN → 0). */
export function heatColor(t: number): Rgb {
  const i = Number.isFinite(t) ? Math.round(255 * Math.min(1, Math.max(0, t))) : 0;
  return [HEAT_LUT[i * 3], HEAT_LUT[i * 3 + 1], HEAT_LUT[i * 3 + 2]];
}
