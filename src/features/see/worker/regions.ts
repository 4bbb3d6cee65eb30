/**
 * Region table and pointing game: where on the face does an attribution map put its mass?
 *
 * Region masks are h*w Uint8Array (64×64 for the app) of region ids 0..6 = background, hair, face, brows,
 * eyes, nose, mouth (REGION_NAMES in src/shared/synthetic/lookalikes.ts). Maps come from saliency.ts
 * (Simonyan 2013 gradients, Smilkov 2017 SmoothGrad, Selvaraju 2017 Grad-CAM, Sundararajan 2017 IG).
 * The pointing game is Zhang et al. 2016 ("Top-down neural attention by excitation backprop"): a hit when
 * the map's maximum falls inside the target (optionally within a tolerance in pixels; they use 15 px at 224);
 * its chance level is what a uniformly random peak would score: the targets' (dilated) area share.
 * Pure TypeScript, no tensors.
 */
import { argMax } from '../../../shared/argMax';

function checkSizes(map: ArrayLike<number>, mask: Uint8Array): void {
  if (map.length !== mask.length) throw new RangeError(`map has ${map.length} values, mask ${mask.length}`);
}

/**
 * Share of the attribution mass Σ|a| in each region (index = region id); sums to 1. All zeros when the map
 * has no mass. Mask ids ≥ regionCount are ignored (their mass is left out of the total).
 */
export function regionShares(attribution: Float32Array, mask: Uint8Array, regionCount = 7): number[] {
  checkSizes(attribution, mask);
  const sums = new Array<number>(regionCount).fill(0);
  let total = 0;
  for (let p = 0; p < mask.length; p++) {
    const r = mask[p];
    if (r >= regionCount) continue;
    const v = Math.abs(attribution[p]);
    if (!Number.isFinite(v)) continue;
    sums[r] += v;
    total += v;
  }
  return total > 0 ? sums.map((s) => s / total) : sums;
}

/** Share of pixels in each region (index = region id); sums to 1 for masks with ids < regionCount. */
export function regionAreas(mask: Uint8Array, regionCount = 7): number[] {
  const counts = new Array<number>(regionCount).fill(0);
  for (const r of mask) if (r < regionCount) counts[r]++;
  return counts.map((c) => c / mask.length);
}

export interface RegionTable {
  /** Mean over images of each region's share of attribution mass. */
  attribution: number[];
  /** Mean over images of each region's share of the image area (what a uniform map would give). */
  area: number[];
  /** attribution / area per region (> 1: the map over-weights the region); NaN where the area is 0. */
  ratio: number[];
}

/** The region table of a set of maps: mean attribution share vs mean area share per region. */
export function regionTable(maps: Float32Array[], masks: Uint8Array[], regionCount = 7): RegionTable {
  if (maps.length !== masks.length) throw new RangeError(`${maps.length} maps but ${masks.length} masks`);
  const attribution = new Array<number>(regionCount).fill(0);
  const area = new Array<number>(regionCount).fill(0);
  maps.forEach((m, i) => {
    regionShares(m, masks[i], regionCount).forEach((s, r) => (attribution[r] += s / maps.length));
    regionAreas(masks[i], regionCount).forEach((s, r) => (area[r] += s / maps.length));
  });
  return { attribution, area, ratio: attribution.map((a, r) => (area[r] > 0 ? a / area[r] : NaN)) };
}

/** Pixels of a square mask that are target pixels or within `tolerance` px (Euclidean) of one. */
function targetWithin(mask: Uint8Array, targets: Set<number>, tolerance: number): Uint8Array {
  const size = Math.round(Math.sqrt(mask.length));
  const hit = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) if (targets.has(mask[p])) hit[p] = 1;
  if (tolerance <= 0) return hit;
  if (size * size !== mask.length) throw new RangeError('a tolerance needs a square mask');
  const r = Math.floor(tolerance);
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!hit[y * size + x]) continue;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= size || xx < 0 || xx >= size || dy * dy + dx * dx > tolerance * tolerance) continue;
          out[yy * size + xx] = 1;
        }
      }
    }
  }
  return out;
}

export interface PointingGameResult {
  hits: number;
  total: number;
  /** hits / total (NaN for no images). */
  rate: number;
  /** Mean over images of the targets' area share (dilated by the tolerance): a uniformly random peak's rate. */
  chance: number;
}

/**
 * Pointing game: the fraction of images whose map peak (its largest value, so pass |map| to point with
 * magnitudes; first pixel on ties) lies in one of `targetRegions` (or within `tolerance` px of one).
 */
export function pointingGame(
  maps: Float32Array[],
  masks: Uint8Array[],
  targetRegions: number[],
  tolerance = 0,
): PointingGameResult {
  if (maps.length !== masks.length) throw new RangeError(`${maps.length} maps but ${masks.length} masks`);
  const targets = new Set(targetRegions);
  let hits = 0;
  let chance = 0;
  maps.forEach((m, i) => {
    checkSizes(m, masks[i]);
    const inTarget = targetWithin(masks[i], targets, tolerance);
    const peak = argMax(m);
    if (peak >= 0 && inTarget[peak]) hits++;
    let area = 0;
    for (const v of inTarget) area += v;
    chance += area / inTarget.length / maps.length;
  });
  const total = maps.length;
  return { hits, total, rate: total ? hits / total : NaN, chance: total ? chance : NaN };
}
