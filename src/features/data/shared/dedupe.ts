/**
 * Duplicate detection for 64×64 RGB crops (HWC, 12,288 bytes): an exact content key for byte-identical
 * copies, a 64-bit perceptual hash (pHash) for near copies (re-encoded, shifted, brightened), and
 * `findDuplicates`, which maps every duplicate to the first kept image it repeats without comparing all
 * pairs. Pure and thread-neutral; bit-exact in every engine (the DCT table uses rng.ts's detCos, the rest
 * is +, − and ×), so hashes computed in a worker and in Node agree.
 *
 * The pHash is a `bigint` in [0, 2^64) — structured-cloneable and easy to compare; `findDuplicates`
 * splits it into two uint32 words once, so its inner loop never touches BigInt arithmetic.
 */
import { detCos, fmix32 } from '../../../shared/synthetic/rng';
import { IMAGE_SIDE, PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

/** The DCT runs on a 32×32 box-filtered luma image and keeps its 8×8 lowest frequencies. */
const SMALL = 32;
const LOW = 8;

/**
 * Largest pHash Hamming distance still called a near duplicate. Measured on synthetic lookalike faces, the hard
 * case: aligned 64×64 faces of two made-up people who share layout, pose, skin, hair and light (dedupe.test.ts
 * re-measures on 300 and 1,000 faces and asserts the bounds). A hash nearly always has 32 bits set (DC and 31 AC
 * terms above the median), so distances are even.
 *   same face + ±2 noise: max 4 over 3,000 faces (99.8 % ≤ 2); + brightness 8: max 4 (99.9 % ≤ 2);
 *   same face shifted 1 px: horizontally max 22, 38–40 % ≤ 4; vertically max 14, 67–72 % ≤ 4;
 *   same face mirrored: min 20, median 30 over 2,000 faces;
 *   different faces, all 2.0 M pairs of 2,000: 2 pairs at 0, 17 at 2, 218 at 4 (1.2e-4 ≤ 4), median 26;
 *   findDuplicates over distinct faces flags 31–39 of 1,000 (3 seeds); of 20,000: 3,856 (19 %) at 4, 846 at 2,
 *   35 at 0.
 * 4 is the smallest distance that keeps every noise- and brightness-perturbed copy; mirrors stay far outside.
 * No distance separates 1-px shifts from different lookalikes (shift max 22 > different faces' 1st percentile,
 * 12): 64 bits of an aligned face's lowest frequencies do not hold both. Telling them apart needs a pixel check
 * of the candidates with a ±1 px search (not done here).
 */
export const NEAR_DUPLICATE_DISTANCE = 4;

export interface ImageHashes {
  exact: string;
  phash: bigint;
}

export interface Duplicate {
  /** The duplicate (never kept). */
  index: number;
  /** The first kept image it duplicates (index < `index`; itself never a duplicate). */
  of: number;
  /** 0 for an exact copy, else the pHash Hamming distance to `of` (which can be 0 too). */
  distance: number;
}

function checkSize(rgb: Uint8Array): void {
  if (rgb.length !== PIXELS_PER_IMAGE)
    throw new RangeError(`expected a 64×64 RGB crop (${PIXELS_PER_IMAGE} bytes), got ${rgb.length} bytes`);
}

/** murmur3's 32-bit body step for one word. */
function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

const hex8 = (h: number) => h.toString(16).padStart(8, '0');

/**
 * Content key of one crop for exact duplicates: two murmur3-32 lanes with different seeds over the bytes
 * (any byteOffset) → 16 hex characters. Collisions among 20,000 distinct crops: about 1 in 10^11.
 */
export function exactKey(rgb: Uint8Array): string {
  checkSize(rgb);
  let a = 0x9747b28c;
  let b = 0x5bd1e995;
  for (let i = 0; i < PIXELS_PER_IMAGE; i += 4) {
    const k = rgb[i] | (rgb[i + 1] << 8) | (rgb[i + 2] << 16) | (rgb[i + 3] << 24);
    a = mix(a, k);
    b = mix(b, k ^ 0x2545f491);
  }
  return hex8(fmix32(a ^ PIXELS_PER_IMAGE)) + hex8(fmix32(b ^ PIXELS_PER_IMAGE));
}

/** COS[u * SMALL + x] = cos((2x + 1) u π / 64), u < LOW: the DCT-II basis along one axis. */
const COS = (() => {
  const t = new Float64Array(LOW * SMALL);
  for (let u = 0; u < LOW; u++)
    for (let x = 0; x < SMALL; x++) t[u * SMALL + x] = detCos(((2 * x + 1) * u * Math.PI) / (2 * SMALL));
  return t;
})();

/** The 8×8 low-frequency DCT-II coefficients of the crop's 32×32 luma, row-major (index v * 8 + u). */
export function lowFrequencies(rgb: Uint8Array): Float64Array {
  checkSize(rgb);
  // Rec.601 luma, box-filtered 2×2 → 32×32 (the sum of four lumas; the scale does not matter for a median).
  const luma = new Float64Array(SMALL * SMALL);
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const o = (y * IMAGE_SIDE + x) * 3;
      luma[(y >> 1) * SMALL + (x >> 1)] += 0.299 * rgb[o] + 0.587 * rgb[o + 1] + 0.114 * rgb[o + 2];
    }
  }
  // Separable DCT, only the rows and columns we keep: rows first (32 × 8), then columns (8 × 8).
  const rows = new Float64Array(SMALL * LOW);
  for (let y = 0; y < SMALL; y++) {
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let x = 0; x < SMALL; x++) s += luma[y * SMALL + x] * COS[u * SMALL + x];
      rows[y * LOW + u] = s;
    }
  }
  const out = new Float64Array(LOW * LOW);
  for (let v = 0; v < LOW; v++) {
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let y = 0; y < SMALL; y++) s += rows[y * LOW + u] * COS[v * SMALL + y];
      out[v * LOW + u] = s;
    }
  }
  return out;
}

/**
 * 64-bit pHash: bit (v * 8 + u) is set when DCT coefficient (u, v) exceeds the median of the 63 AC
 * coefficients. DC is left out of the median (it is the mean brightness, far above every AC term) but keeps
 * its bit, which is therefore almost always 1. Bit 0 (DC) is the least significant.
 */
export function perceptualHash(rgb: Uint8Array): bigint {
  const c = lowFrequencies(rgb);
  const ac = Array.from(c.subarray(1)).sort((p, q) => p - q);
  const median = ac[(ac.length - 1) / 2];
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 32; i++) if (c[i] > median) lo |= 1 << i;
  for (let i = 0; i < 32; i++) if (c[32 + i] > median) hi |= 1 << i;
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const low32 = (h: bigint) => Number(BigInt.asUintN(32, h));
const high32 = (h: bigint) => Number(BigInt.asUintN(32, h >> 32n));

/** Number of differing bits between two 64-bit hashes. */
export function hamming(a: bigint, b: bigint): number {
  const x = BigInt.asUintN(64, a ^ b);
  return popcount(low32(x)) + popcount(high32(x));
}

/**
 * Band masks for multi-index hashing: maxDistance + 1 disjoint bit ranges covering all 64 bits. Two hashes at
 * most maxDistance apart differ in at most maxDistance bands, so (pigeonhole) they agree exactly on at least
 * one: looking up each band of a hash in a table finds every candidate, and only candidates are compared.
 */
function bands(maxDistance: number): Array<{ start: number; width: number }> {
  // At least two bands, so each fits a 32-bit word (more bands than maxDistance + 1 only helps the pigeonhole).
  const m = Math.max(2, maxDistance + 1);
  const out: Array<{ start: number; width: number }> = [];
  let start = 0;
  for (let b = 0; b < m; b++) {
    const width = Math.floor(64 / m) + (b < 64 % m ? 1 : 0);
    out.push({ start, width });
    start += width;
  }
  return out;
}

/** Bits [start, start + width) of the hash (lo, hi), width ≤ 32, as a non-negative number. */
function bandValue(lo: number, hi: number, start: number, width: number): number {
  const end = start + width;
  let v: number;
  if (end <= 32) v = lo >>> start;
  else if (start >= 32) v = hi >>> (start - 32);
  else v = (lo >>> start) | (hi << (32 - start));
  return width === 32 ? v >>> 0 : (v & ((1 << width) - 1)) >>> 0;
}

/**
 * Every image that duplicates an earlier KEPT image, with the first such kept image: images are taken in
 * order; an image is kept unless its exact key equals a kept image's or its pHash is within maxDistance of
 * one (greedy leader clustering, so `of` is never itself a duplicate). Exact keys go through a map; pHashes
 * through multi-index hashing (see `bands`), so 20,000 images take milliseconds, not 2 × 10^8 comparisons.
 * The result is in increasing `index` order and equals the brute-force reference in dedupe.test.ts.
 */
export function findDuplicates(
  hashes: readonly ImageHashes[],
  maxDistance: number = NEAR_DUPLICATE_DISTANCE,
): Duplicate[] {
  if (!Number.isInteger(maxDistance) || maxDistance < 0 || maxDistance > 31) {
    throw new RangeError(`maxDistance must be an integer from 0 to 31, got ${maxDistance}`);
  }
  const n = hashes.length;
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  hashes.forEach((h, i) => {
    lo[i] = low32(h.phash);
    hi[i] = high32(h.phash);
  });
  const bandList = bands(maxDistance);
  const tables = bandList.map(() => new Map<number, number[]>());
  const keptByKey = new Map<string, number>();
  // seen[k] === i + 1 ⇔ candidate k was already compared with image i (one stamp array, no per-query Set).
  const seen = new Int32Array(n);
  const out: Duplicate[] = [];
  for (let i = 0; i < n; i++) {
    let best = keptByKey.get(hashes[i].exact) ?? n;
    let bestDistance = 0;
    for (let b = 0; b < bandList.length; b++) {
      const { start, width } = bandList[b];
      const bucket = tables[b].get(bandValue(lo[i], hi[i], start, width));
      if (!bucket) continue;
      // Buckets hold kept images in increasing order: nothing past `best` can improve it.
      for (const k of bucket) {
        if (k >= best) break;
        if (seen[k] === i + 1) continue;
        seen[k] = i + 1;
        const d = popcount(lo[i] ^ lo[k]) + popcount(hi[i] ^ hi[k]);
        if (d <= maxDistance) {
          best = k;
          bestDistance = d;
          break;
        }
      }
    }
    if (best < n) {
      out.push({ index: i, of: best, distance: hashes[best].exact === hashes[i].exact ? 0 : bestDistance });
      continue;
    }
    if (!keptByKey.has(hashes[i].exact)) keptByKey.set(hashes[i].exact, i);
    for (let b = 0; b < bandList.length; b++) {
      const { start, width } = bandList[b];
      const key = bandValue(lo[i], hi[i], start, width);
      const bucket = tables[b].get(key);
      if (bucket) bucket.push(i);
      else tables[b].set(key, [i]);
    }
  }
  return out;
}

/**
 * Largest pixelDistance at which a pHash candidate is confirmed as the same picture and collapsed. pHash alone
 * cannot tell a re-saved or shifted copy from a different aligned face (see NEAR_DUPLICATE_DISTANCE), so ingest
 * collapses a near candidate only when the pixels agree too; unconfirmed candidates are only flagged for review.
 * Measured in dedupe.test.ts (200 faces × 4 perturbations; the 54 pHash-candidate pairs of different faces among
 * 1,000 synthetic lookalikes): ±2 noise, brightness +8 and 1-px shifts stay ≤ 1.23; different faces that pHash
 * confuses are ≥ 12.9 (median 31), random different pairs ≥ 16.3. 6 leaves room on both sides.
 */
export const SAME_PICTURE_DISTANCE = 6;

/**
 * How different two crops' pixels are, ignoring a uniform brightness change and a shift of up to 1 pixel:
 * the smallest, over shifts dx, dy ∈ {−1, 0, 1}, of the mean absolute difference of the 62×62 interiors after
 * each channel's mean is subtracted. 0 for identical crops; in 0–255 levels.
 */
export function pixelDistance(a: Uint8Array, b: Uint8Array): number {
  checkSize(a);
  checkSize(b);
  const meanA = channelMeans(a);
  const meanB = channelMeans(b);
  let best = Infinity;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      let sum = 0;
      for (let y = 1; y < IMAGE_SIDE - 1; y++) {
        for (let x = 1; x < IMAGE_SIDE - 1; x++) {
          const i = (y * IMAGE_SIDE + x) * 3;
          const j = ((y + dy) * IMAGE_SIDE + x + dx) * 3;
          for (let c = 0; c < 3; c++) sum += Math.abs(a[i + c] - meanA[c] - (b[j + c] - meanB[c]));
        }
      }
      best = Math.min(best, sum / ((IMAGE_SIDE - 2) * (IMAGE_SIDE - 2) * 3));
    }
  }
  return best;
}

function channelMeans(rgb: Uint8Array): [number, number, number] {
  const m: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < rgb.length; i += 3) for (let c = 0; c < 3; c++) m[c] += rgb[i + c];
  return [m[0] / (IMAGE_SIDE * IMAGE_SIDE), m[1] / (IMAGE_SIDE * IMAGE_SIDE), m[2] / (IMAGE_SIDE * IMAGE_SIDE)];
}
