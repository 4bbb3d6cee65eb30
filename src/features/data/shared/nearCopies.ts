/**
 * Near copies across a split (issue 16): which crops must stay on one side of train/test, and how close each
 * test crop is to the training set. Real folders are full of re-saved, re-cropped, resized and mirrored copies
 * of one photo; if one copy is trained on and another tested, test accuracy measures memory, not
 * generalisation. Pure and thread-neutral (runs in the ingest worker, on the Data page and in Node).
 *
 * Two crops are near copies when their pHashes (shared/dedupe.ts) are within NEAR_DUPLICATE_DISTANCE, either
 * as they are or with one of them mirrored (the app's augmentation mirrors faces, so a mirrored copy of a
 * training face is no test of generalisation either). Crops of one source photo are one group too.
 * Groups are the connected components of both relations (union–find), so no near-copy pair is ever split.
 *
 * All pairs are compared (n²/2 popcounts of two 32-bit words: 5,000 crops ≈ 25 M, a fraction of a second);
 * photo datasets are hundreds to a few thousand crops.
 */
import { NEAR_DUPLICATE_DISTANCE, perceptualHash } from './dedupe';
import { IMAGE_SIDE } from '../../../shared/imageGeometry';

/** The crop mirrored across the vertical axis (64×64 RGB, HWC). */
export function mirrorCrop(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let y = 0; y < IMAGE_SIDE; y++) {
    for (let x = 0; x < IMAGE_SIDE; x++) {
      const from = (y * IMAGE_SIDE + x) * 3;
      const to = (y * IMAGE_SIDE + IMAGE_SIDE - 1 - x) * 3;
      out[to] = rgb[from];
      out[to + 1] = rgb[from + 1];
      out[to + 2] = rgb[from + 2];
    }
  }
  return out;
}

/** pHashes of a crop and of its mirror image, each split into two uint32 words for fast comparison. */
export interface CropHash {
  phash: bigint;
  mirrored: bigint;
}

export function cropHash(rgb: Uint8Array): CropHash {
  return { phash: perceptualHash(rgb), mirrored: perceptualHash(mirrorCrop(rgb)) };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Packed words: [lo, hi, mirroredLo, mirroredHi] per crop. */
function pack(hashes: readonly CropHash[]): Uint32Array {
  const w = new Uint32Array(hashes.length * 4);
  hashes.forEach((h, i) => {
    w[i * 4] = Number(BigInt.asUintN(32, h.phash));
    w[i * 4 + 1] = Number(BigInt.asUintN(32, h.phash >> 32n));
    w[i * 4 + 2] = Number(BigInt.asUintN(32, h.mirrored));
    w[i * 4 + 3] = Number(BigInt.asUintN(32, h.mirrored >> 32n));
  });
  return w;
}

/**
 * Hamming distance between crop i and crop j: the smallest of as-is, j mirrored and i mirrored. Both mirrored
 * comparisons are needed: pHash(mirror(x)) is not a function of pHash(x) (the median of the AC terms moves when
 * the odd ones change sign), so ham(a, mirror(b)) and ham(mirror(a), b) differ, and the distance must be symmetric.
 */
function distanceAt(w: Uint32Array, i: number, j: number): number {
  const a = i * 4;
  const b = j * 4;
  const straight = popcount(w[a] ^ w[b]) + popcount(w[a + 1] ^ w[b + 1]);
  const jMirrored = popcount(w[a] ^ w[b + 2]) + popcount(w[a + 1] ^ w[b + 3]);
  const iMirrored = popcount(w[a + 2] ^ w[b]) + popcount(w[a + 3] ^ w[b + 1]);
  return Math.min(straight, jMirrored, iMirrored);
}

/** Near-copy distance of two crops' hashes (pHash Hamming, mirror-aware). */
export function nearCopyDistance(a: CropHash, b: CropHash): number {
  return distanceAt(pack([a, b]), 0, 1);
}

/**
 * Group id per crop (the smallest index in its group): crops with the same non-empty source, and crops within
 * `maxDistance` of each other (mirror-aware), transitively, share a group. Excluded crops (`skip[i]` true) are
 * left in their own singleton group and connect nothing.
 */
export function nearCopyGroups(
  hashes: readonly CropHash[],
  sources: readonly string[],
  skip: (i: number) => boolean = () => false,
  maxDistance: number = NEAR_DUPLICATE_DISTANCE,
): Int32Array {
  const n = hashes.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const firstOfSource = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (skip(i) || !sources[i]) continue;
    const first = firstOfSource.get(sources[i]);
    if (first === undefined) firstOfSource.set(sources[i], i);
    else union(first, i);
  }
  const w = pack(hashes);
  for (let i = 0; i < n; i++) {
    if (skip(i)) continue;
    for (let j = i + 1; j < n; j++) {
      if (!skip(j) && distanceAt(w, i, j) <= maxDistance) union(i, j);
    }
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = find(i);
  return out;
}

type Member = 'train' | 'test' | 'validation' | null;
const SPLIT_OF_CODE = ['train', 'test', 'validation'] as const;

/** `leakCheck`'s `member` for a stored split: each crop's split by its code (SPLIT_CODES order), null when excluded. */
export function splitMember(codes: ArrayLike<number>, excluded?: ArrayLike<number> | null): (i: number) => Member {
  return (i) => (excluded?.[i] ? null : (SPLIT_OF_CODE[codes[i]] ?? null));
}

export interface LeakCheck {
  /** Per test and validation crop, in index order: its nearest training crop and the distance (65, -1 when there is none). */
  nearest: Array<{ index: number; split: 'test' | 'validation'; nearestTrain: number; distance: number }>;
  /** Test crops whose nearest training crop is within the near-copy threshold. */
  testLeaks: number;
  /** The same for the validation set (its members come from the user's `validation/` folder, never moved). */
  validationLeaks: number;
  threshold: number;
}

/**
 * For each test and validation crop, the distance to its nearest training crop; crops within `maxDistance`
 * are leaks (a near copy of something trained on). `member(i)` gives crop i's split or null when excluded.
 */
export function leakCheck(
  hashes: readonly CropHash[],
  member: (i: number) => Member,
  maxDistance: number = NEAR_DUPLICATE_DISTANCE,
): LeakCheck {
  const w = pack(hashes);
  const train: number[] = [];
  const others: Array<{ index: number; split: 'test' | 'validation' }> = [];
  for (let i = 0; i < hashes.length; i++) {
    const s = member(i);
    if (s === 'train') train.push(i);
    else if (s) others.push({ index: i, split: s });
  }
  let testLeaks = 0;
  let validationLeaks = 0;
  const nearest = others.map(({ index, split }) => {
    let best = 65;
    let bestTrain = -1;
    for (const t of train) {
      const d = distanceAt(w, index, t);
      if (d < best) {
        best = d;
        bestTrain = t;
      }
    }
    if (best <= maxDistance) {
      if (split === 'test') testLeaks++;
      else validationLeaks++;
    }
    return { index, split, nearestTrain: bestTrain, distance: best };
  });
  return { nearest, testLeaks, validationLeaks, threshold: maxDistance };
}
