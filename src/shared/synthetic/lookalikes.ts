/**
 * "Lookalikes": a deterministic synthetic data set of 64×64 faces of two made-up people, Asha and
 * Bela, who share every nuisance distribution (pose, skin, hair, background, light, expression,
 * noise) and differ only in eye shape, nose width and lip thickness (CLASS_FEATURES). The mask says
 * which region is on top at each pixel, so explanations can be scored against the true evidence.
 *
 * Plain arithmetic only (see rng.ts): Node and every browser produce byte-identical images.
 */
import { Rng, detCos, detSin, hashSeed } from './rng';

export const FACE_SIZE = 64;
export const REGION_NAMES = ['background', 'hair', 'face', 'brows', 'eyes', 'nose', 'mouth'] as const; // region id = index
export type RegionName = (typeof REGION_NAMES)[number];
export const CLASS_NAMES = ['Asha', 'Bela'] as const; // two made-up people who look alike

const HAIR = 1,
  FACE = 2,
  BROWS = 3,
  EYES = 4,
  NOSE = 5,
  MOUTH = 6;
/** Face ellipse vertical radius in head units; all shape parameters below are in these units (px at scale 1). */
const FACE_RY = 21;

export interface ClassFeature {
  region: RegionName;
  /** Per-class mean, indexed by label (0 = Asha, 1 = Bela). */
  mean: readonly [number, number];
  /** Within-class standard deviation (same for both classes); z is clipped to ±2.5. */
  sd: number;
  /** Hard limits: the floor keeps the region from vanishing, the ceiling keeps it off its neighbours. */
  min: number;
  max: number;
}

/**
 * The ONLY class-dependent parameters: value = mean[label] + sd·z, z ~ N(0,1) clipped to ±2.5, then to [min, max].
 * Each feature separates the classes by ~2 sd (alone ≈ 84 % separable); all three together give a
 * Bayes rate of ≈ 95 %, never 100 %; the differences span several pixels, so a small CNN can see them at 64×64.
 */
export const CLASS_FEATURES = {
  /** Eye height / eye width: Asha has narrow almond eyes, Bela rounder ones. */
  eyeAspect: { region: 'eyes', mean: [0.34, 0.76], sd: 0.22, min: 0.2, max: 0.95 },
  /** Half-width of the nose tip (px): Bela's nose is ~4 px wider on average. */
  noseWidth: { region: 'nose', mean: [1.6, 3.6], sd: 1.05, min: 0.9, max: 5 },
  /** Upper-lip thickness at the centre (px); the lower lip is 1.25× that. */
  lipThickness: { region: 'mouth', mean: [0.9, 2.6], sd: 0.88, min: 0.6, max: 3.8 },
} as const satisfies Record<string, ClassFeature>;

/** Regions whose shape differs between the two people (used later by a "pointing game"). */
export const DISCRIMINATIVE_REGIONS: readonly RegionName[] = ['eyes', 'nose', 'mouth'];

/**
 * Every sampled parameter. Positions/sizes of parts are in head units: a frame centred on the face
 * ellipse, rotated by `tilt`, multiplied by `scale` to get image pixels, v pointing down.
 * Colours are packed 0xRRGGBB. Only eyeAspect, noseWidth and lipThickness depend on the label.
 */
export interface FaceParams {
  /** Seed of this image's PRNG stream (pixels are a pure function of seed and label). */
  seed: number;
  /** Head centre in image pixels; size multiplier (1 → face ellipse 21 px tall radius); roll in radians (|tilt| ≤ 0.14 ≈ 8°). */
  centerX: number;
  centerY: number;
  scale: number;
  tilt: number;
  /** Face ellipse width / height. */
  faceAspect: number;
  skinRgb: number;
  hairRgb: number;
  irisRgb: number;
  backgroundRgb: number;
  /** Background: linear gradient direction (radians) and peak amplitude (0–255 units); value-noise amplitude. */
  backgroundGradientAngle: number;
  backgroundGradient: number;
  backgroundTexture: number;
  /** Hair mass beyond the face ellipse; lowest v the back hair reaches (≈ 0 short, ≈ 24 shoulder length). */
  hairVolume: number;
  hairLength: number;
  /** Fringe line: v = -21 + fringeDepth + fringeSlope·u (a side parting when the slope is non-zero). */
  fringeDepth: number;
  fringeSlope: number;
  /** Light direction (radians, head frame) and strength of the linear shading term. */
  lightAngle: number;
  lightStrength: number;
  /** Brow centre line, half-length, thickness; browArch: how much lower the ends sit than the middle. */
  browY: number;
  browLength: number;
  browThickness: number;
  browArch: number;
  /** Eye centre v, distance of each eye from the face axis, half-width (half-height = eyeWidth · eyeAspect). */
  eyeY: number;
  eyeSpacing: number;
  eyeWidth: number;
  eyeAspect: number;
  /** Horizontal iris offset (both eyes look the same way). */
  gazeX: number;
  /** v of the nose tip centre; the bridge starts noseLength above it; noseWidth is the tip's half-width. */
  noseY: number;
  noseLength: number;
  noseWidth: number;
  /** Mouth centre v and half-width; mouthCurve > 0 smile (corners up by that much), < 0 frown; upper-lip thickness. */
  mouthY: number;
  mouthWidth: number;
  mouthCurve: number;
  lipThickness: number;
  /** Peak amplitude of the triangular per-pixel luminance noise. */
  noiseAmp: number;
}

export interface SyntheticFace {
  label: 0 | 1;
  pixels: Uint8Array; // 64*64*3 RGB, row-major, HWC
  mask: Uint8Array; // 64*64 region id per pixel (the region visible on top at that pixel)
  params: FaceParams;
}

const SKIN = [
  [241, 208, 184],
  [224, 172, 140],
  [198, 134, 98],
  [150, 98, 68],
  [98, 64, 46],
];
const HAIR_COLOURS = [
  [28, 24, 22],
  [62, 40, 28],
  [110, 72, 44],
  [140, 62, 34],
  [206, 170, 108],
  [160, 156, 150],
];
const IRIS = [
  [92, 56, 30],
  [45, 30, 20],
  [70, 110, 160],
  [80, 120, 70],
  [120, 100, 50],
];

function pack(r: number, g: number, b: number): number {
  const c = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
  return (c(r) << 16) | (c(g) << 8) | c(b);
}

function jitterColour(rng: Rng, base: readonly number[], jitter: number, gain: number): number {
  return pack(
    base[0] * gain + rng.range(-jitter, jitter),
    base[1] * gain + rng.range(-jitter, jitter),
    base[2] * gain + rng.range(-jitter, jitter),
  );
}

function sampleParams(rng: Rng, seed: number, label: 0 | 1): FaceParams {
  // Skin: a random point on a light→dark palette polyline.
  const t = rng.next() * (SKIN.length - 1);
  const k = Math.min(Math.floor(t), SKIN.length - 2);
  const f = t - k;
  const skin = [0, 1, 2].map((c) => SKIN[k][c] + (SKIN[k + 1][c] - SKIN[k][c]) * f);
  // Object literal properties are evaluated in source order, so the draw sequence is fixed.
  const p: Omit<FaceParams, keyof typeof CLASS_FEATURES> = {
    seed,
    centerX: 32 + rng.range(-1.5, 1.5),
    centerY: 33 + rng.range(-1.5, 1.5),
    scale: rng.range(0.94, 1.06),
    tilt: rng.range(-0.14, 0.14),
    faceAspect: rng.range(0.72, 0.82),
    skinRgb: jitterColour(rng, skin, 6, 1),
    hairRgb: jitterColour(rng, HAIR_COLOURS[rng.int(0, HAIR_COLOURS.length - 1)], 10, rng.range(0.85, 1.15)),
    irisRgb: jitterColour(rng, IRIS[rng.int(0, IRIS.length - 1)], 10, 1),
    backgroundRgb: pack(rng.int(50, 210), rng.int(50, 210), rng.int(50, 210)),
    backgroundGradientAngle: rng.range(0, 6.283185307179586),
    backgroundGradient: rng.range(0, 40),
    backgroundTexture: rng.range(0, 14),
    hairVolume: rng.range(1.5, 5),
    hairLength: rng.range(-2, 24),
    fringeDepth: rng.range(3.5, 7),
    fringeSlope: rng.range(-0.15, 0.15),
    lightAngle: rng.range(0, 6.283185307179586),
    lightStrength: rng.range(0.05, 0.3),
    browY: 0, // set below (relative to the eyes)
    browLength: rng.range(3.2, 4.3),
    browThickness: rng.range(0.7, 1.2),
    browArch: rng.range(-0.5, 1.5),
    eyeY: rng.range(-5, -3),
    eyeSpacing: rng.range(6.3, 7.6),
    eyeWidth: rng.range(4.0, 4.8),
    gazeX: rng.range(-0.7, 0.7),
    noseY: rng.range(2.5, 4.5),
    noseLength: rng.range(6, 9),
    mouthY: rng.range(10, 12.5),
    mouthWidth: rng.range(4.8, 6.6),
    mouthCurve: rng.range(-1.5, 2),
    noiseAmp: rng.range(2, 7),
  };
  p.browY = p.eyeY - 5.2 + rng.range(-0.8, 0.8);
  // Class features last. z is drawn whatever the label, so generateFace(s, 0) and generateFace(s, 1)
  // are "counterfactual twins": the same everything, except the three class features.
  const draw = (c: ClassFeature) =>
    Math.min(c.max, Math.max(c.min, c.mean[label] + c.sd * Math.max(-2.5, Math.min(2.5, rng.normal()))));
  return {
    ...p,
    eyeAspect: draw(CLASS_FEATURES.eyeAspect),
    noseWidth: draw(CLASS_FEATURES.noseWidth),
    lipThickness: draw(CLASS_FEATURES.lipThickness),
  };
}

// Scratch buffers reused across calls (generation is synchronous, so sharing them is safe).
const N = FACE_SIZE * FACE_SIZE;
const U = new Float64Array(N); // head-frame u of each pixel centre
const V = new Float64Array(N); // head-frame v of each pixel centre
const COL = new Float64Array(N * 3); // unquantised RGB
const GRID = new Float64Array(81); // 9×9 value-noise lattice, 8 px apart
let fcx = 0,
  fcy = 0,
  fsc = 1,
  fcos = 1,
  fsin = 0; // head frame → image transform
let x0 = 0,
  x1 = 0,
  y0 = 0,
  y1 = 0; // current pixel bounding box (inclusive)

/** Set x0..y1 to the image-pixel box covering the head-frame rectangle [u0,u1]×[v0,v1]. */
function box(u0: number, u1: number, v0: number, v1: number): void {
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (let c = 0; c < 4; c++) {
    const u = c & 1 ? u1 : u0;
    const v = c & 2 ? v1 : v0;
    const x = fcx + fsc * (u * fcos - v * fsin);
    const y = fcy + fsc * (u * fsin + v * fcos);
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  x0 = Math.max(0, Math.floor(minX) - 1);
  x1 = Math.min(FACE_SIZE - 1, Math.ceil(maxX));
  y0 = Math.max(0, Math.floor(minY) - 1);
  y1 = Math.min(FACE_SIZE - 1, Math.ceil(maxY));
}

function paint(mask: Uint8Array, i: number, region: number, rgb: number, gain: number): void {
  mask[i] = region;
  COL[i * 3] = ((rgb >> 16) & 255) * gain;
  COL[i * 3 + 1] = ((rgb >> 8) & 255) * gain;
  COL[i * 3 + 2] = (rgb & 255) * gain;
}

function render(p: FaceParams, rng: Rng, pixels: Uint8Array, mask: Uint8Array): void {
  fcx = p.centerX;
  fcy = p.centerY;
  fsc = p.scale;
  fcos = detCos(p.tilt);
  fsin = detSin(p.tilt);
  const rx = FACE_RY * p.faceAspect,
    ry = FACE_RY;
  const gx = detCos(p.backgroundGradientAngle),
    gy = detSin(p.backgroundGradientAngle);
  for (let j = 0; j < 81; j++) GRID[j] = rng.next() - 0.5;
  const bg = p.backgroundRgb,
    br = (bg >> 16) & 255,
    bgg = (bg >> 8) & 255,
    bb = bg & 255;
  // Hot loops read locals only: property and module-variable loads per pixel cost measurable time.
  const cx = fcx,
    cy = fcy,
    inv = 1 / fsc,
    co = fcos * inv,
    si = fsin * inv;
  const gAmp = p.backgroundGradient / 32,
    tAmp = 2 * p.backgroundTexture;
  // Background (region 0) everywhere, plus each pixel's head-frame coordinates.
  for (let y = 0, i = 0; y < FACE_SIZE; y++) {
    const gyi = y >> 3,
      fy = (y & 7) / 8,
      sy = fy * fy * (3 - 2 * fy),
      py = y + 0.5 - cy;
    for (let x = 0; x < FACE_SIZE; x++, i++) {
      const px = x + 0.5 - cx;
      U[i] = px * co + py * si;
      V[i] = py * co - px * si;
      const fx = (x & 7) / 8,
        sx = fx * fx * (3 - 2 * fx),
        g = gyi * 9 + (x >> 3);
      const top = GRID[g] + (GRID[g + 1] - GRID[g]) * sx;
      const bot = GRID[g + 9] + (GRID[g + 10] - GRID[g + 9]) * sx;
      const off = gAmp * ((x - 31.5) * gx + (y - 31.5) * gy) + tAmp * (top + (bot - top) * sy);
      mask[i] = 0;
      COL[i * 3] = br + off;
      COL[i * 3 + 1] = bgg + off;
      COL[i * 3 + 2] = bb + off;
    }
  }
  // Hair behind the head: an ellipse a bit larger than the face, raised 2 units, cut at hairLength.
  const hx = rx + p.hairVolume,
    hy = ry + p.hairVolume;
  box(-hx, hx, -2 - hy, Math.min(p.hairLength, hy - 2));
  for (let y = y0; y <= y1; y++)
    for (let x = x0, i = y * FACE_SIZE + x0; x <= x1; x++, i++) {
      const u = U[i],
        v = V[i],
        a = u / hx,
        b = (v + 2) / hy;
      if (a * a + b * b > 1 || v > p.hairLength) continue;
      const s = u * 0.6 + v * 0.15; // strand texture: a triangle wave across the hair
      paint(mask, i, HAIR, p.hairRgb, 0.85 + 0.15 * Math.abs(2 * (s - Math.floor(s)) - 1));
    }
  // Face ellipse; its top above the fringe line is painted as hair (the fringe sits on the face).
  box(-rx, rx, -ry, ry);
  for (let y = y0; y <= y1; y++)
    for (let x = x0, i = y * FACE_SIZE + x0; x <= x1; x++, i++) {
      const u = U[i],
        v = V[i],
        a = u / rx,
        b = v / ry;
      if (a * a + b * b > 1) continue;
      if (v < -ry + p.fringeDepth + p.fringeSlope * u) {
        const s = u * 0.6 + v * 0.15;
        paint(mask, i, HAIR, p.hairRgb, 0.85 + 0.15 * Math.abs(2 * (s - Math.floor(s)) - 1));
      } else paint(mask, i, FACE, p.skinRgb, 1);
    }
  // Brows: arcs mirrored through |u|, thickest in the middle.
  const bw = p.eyeSpacing + p.browLength;
  box(-bw, bw, p.browY - 3.5, p.browY + 3.5);
  for (let y = y0; y <= y1; y++)
    for (let x = x0, i = y * FACE_SIZE + x0; x <= x1; x++, i++) {
      const t = (Math.abs(U[i]) - p.eyeSpacing) / p.browLength;
      if (t < -1 || t > 1) continue;
      const w = 1 - t * t;
      if (Math.abs(V[i] - (p.browY + p.browArch * t * t)) <= p.browThickness * Math.sqrt(w) + 0.35)
        paint(mask, i, BROWS, p.hairRgb, 0.7);
    }
  // Eyes: white ellipse, dark upper lid rim, iris and pupil (clipped to the white).
  const ew = p.eyeWidth,
    eh = p.eyeWidth * p.eyeAspect,
    ir = Math.min(eh * 0.95, ew * 0.55);
  box(-p.eyeSpacing - ew, p.eyeSpacing + ew, p.eyeY - eh, p.eyeY + eh);
  for (let y = y0; y <= y1; y++)
    for (let x = x0, i = y * FACE_SIZE + x0; x <= x1; x++, i++) {
      const u = U[i],
        du = Math.abs(u) - p.eyeSpacing,
        dv = V[i] - p.eyeY,
        a = du / ew,
        b = dv / eh,
        q = a * a + b * b;
      if (q > 1) continue;
      const iu = du - (u < 0 ? -p.gazeX : p.gazeX),
        r2 = iu * iu + dv * dv;
      if (q > 0.62 && dv < 0) paint(mask, i, EYES, 0x2a2220, 1);
      else if (r2 <= ir * ir * 0.2) paint(mask, i, EYES, 0x120e0e, 1);
      else if (r2 <= ir * ir) paint(mask, i, EYES, p.irisRgb, 1);
      else paint(mask, i, EYES, 0xecebe4, 1);
    }
  // Nose: a bridge tapering from 0.8 to noseWidth, an elliptic tip, two nostrils; shadowed away from the light.
  const nw = p.noseWidth,
    top = p.noseY - p.noseLength,
    lx = detCos(p.lightAngle),
    ly = detSin(p.lightAngle);
  box(-nw, nw, top, p.noseY + 2);
  for (let y = y0; y <= y1; y++)
    for (let x = x0, i = y * FACE_SIZE + x0; x <= x1; x++, i++) {
      const u = U[i],
        v = V[i],
        a = u / nw,
        b = (v - p.noseY) / 2;
      const t = (v - top) / p.noseLength;
      const inBridge = t >= 0 && t <= 1 && Math.abs(u) <= 0.8 + (nw - 0.8) * t * t;
      if (!inBridge && a * a + b * b > 1) continue;
      const na = (Math.abs(u) - 0.5 * nw) / (0.35 * nw + 0.4),
        nb = (v - p.noseY - 0.8) / 0.8;
      if (na * na + nb * nb <= 1) paint(mask, i, NOSE, 0x3c2320, 1);
      else paint(mask, i, NOSE, p.skinRgb, (t < 0.8 ? 0.9 : 0.68) * (u * lx < 0 ? 0.88 : 1));
    }
  // Mouth: upper and lower lip around a curved centre line (the expression), dark line between them.
  const mw = p.mouthWidth,
    lt = p.lipThickness,
    mc = Math.abs(p.mouthCurve),
    sk = p.skinRgb;
  const lip = pack(
    ((sk >> 16) & 255) * 0.35 + 160 * 0.65,
    ((sk >> 8) & 255) * 0.35 + 40 * 0.65,
    (sk & 255) * 0.35 + 55 * 0.65,
  );
  box(-mw, mw, p.mouthY - mc - lt - 0.5, p.mouthY + mc + 1.25 * lt + 0.5);
  for (let y = y0; y <= y1; y++)
    for (let x = x0, i = y * FACE_SIZE + x0; x <= x1; x++, i++) {
      const a = U[i] / mw;
      if (a < -1 || a > 1) continue;
      const prof = 0.25 + 0.75 * Math.sqrt(1 - a * a),
        d = V[i] - (p.mouthY - p.mouthCurve * a * a);
      if (d < -lt * prof || d > 1.25 * lt * prof) continue;
      paint(mask, i, MOUTH, lip, Math.abs(d) < 0.45 ? 0.45 : d > 0 ? 1.06 : 1);
    }
  // Lighting on everything but the background (a linear term plus darkening towards the rim),
  // then triangular luminance noise and quantisation.
  const ls = p.lightStrength / ry,
    noise = p.noiseAmp / 255;
  for (let i = 0, o = 0; i < N; i++, o += 3) {
    let g = 1;
    if (mask[i] !== 0) {
      const u = U[i],
        v = V[i],
        a = u / rx,
        b = v / ry;
      g = 1 + ls * (u * lx + v * ly) - 0.2 * Math.min(a * a + b * b, 1.5);
    }
    const n32 = rng.nextUint32();
    const n = ((n32 & 255) + ((n32 >>> 8) & 255) - 255) * noise;
    // (v + 0.5) | 0 rather than Math.round: just as exactly specified, but several times faster in V8.
    const r = COL[o] * g + n,
      gg = COL[o + 1] * g + n,
      b = COL[o + 2] * g + n;
    pixels[o] = r <= 0 ? 0 : r >= 255 ? 255 : (r + 0.5) | 0;
    pixels[o + 1] = gg <= 0 ? 0 : gg >= 255 ? 255 : (gg + 0.5) | 0;
    pixels[o + 2] = b <= 0 ? 0 : b >= 255 ? 255 : (b + 0.5) | 0;
  }
}

export function generateFace(seed: number, label: 0 | 1): SyntheticFace {
  if (label !== 0 && label !== 1) throw new RangeError(`label must be 0 or 1, got ${String(label)}`);
  // Hash the seed so that neighbouring seeds start unrelated PRNG streams.
  const rng = new Rng(hashSeed(seed));
  const params = sampleParams(rng, seed, label);
  const pixels = new Uint8Array(N * 3);
  const mask = new Uint8Array(N);
  render(params, rng, pixels, mask);
  return { label, pixels, mask, params };
}

/** count images, labels alternate 0,1,0,1…, image i uses a seed derived from (seed, i). */
export function generateLookalikes(count: number, seed: number): SyntheticFace[] {
  return Array.from(iterateLookalikes(count, seed));
}

/**
 * Same, but streaming, so 10,000 images need not be held at once. Yields images start … start+count-1
 * of the same sequence, i.e. iterateLookalikes(n, s, k) matches generateLookalikes(k + n, s).slice(k).
 */
export function* iterateLookalikes(count: number, seed: number, start = 0): Generator<SyntheticFace> {
  for (let i = start; i < start + count; i++) yield generateFace(hashSeed(seed, i), i % 2 === 0 ? 0 : 1);
}
