import { describe, expect, it } from 'vitest';
import { SPLIT_CODES } from '../../../db/schema';
import { groupedStratifiedSplit } from '../../../ml/data/splits';
import { NEAR_DUPLICATE_DISTANCE } from './dedupe';
import {
  cropHash,
  leakCheck,
  mirrorCrop,
  nearCopyDistance,
  nearCopyGroups,
  splitMember,
  type CropHash,
} from './nearCopies';
import { generateFace } from '../../../shared/synthetic/lookalikes';
import { hashSeed, Rng } from '../../../shared/synthetic/rng';

/** A re-saved copy: ±2 noise and a brightness change, as JPEG re-encoding and light edits do. */
function resaved(rgb: Uint8Array, seed: number, brighten: number): Uint8Array {
  const rng = new Rng(seed);
  return rgb.map((v) => Math.max(0, Math.min(255, v + brighten + Math.round(rng.next() * 4 - 2))));
}

/** 2 people × 10 source photos × 4 copies each (the original, two re-saves, a mirrored re-save), one source file per copy. */
function folderOfCopies() {
  const crops: Uint8Array[] = [];
  const labels: number[] = [];
  const sources: string[] = [];
  const photo: number[] = [];
  for (let label = 0; label < 2; label++) {
    for (let p = 0; p < 10; p++) {
      const face = generateFace(hashSeed(31, label, p), label as 0 | 1).pixels;
      const copies = [
        face,
        resaved(face, p * 3 + 1, 6),
        resaved(face, p * 3 + 2, -5),
        mirrorCrop(resaved(face, p * 3 + 3, 3)),
      ];
      copies.forEach((c, k) => {
        crops.push(c);
        labels.push(label);
        sources.push(`${label}/photo${p}-copy${k}.jpg`);
        photo.push(label * 10 + p);
      });
    }
  }
  return { crops, labels, sources, photo, hashes: crops.map(cropHash) };
}

describe('near copies', () => {
  const f = folderOfCopies();

  it('mirror-aware distance finds re-saved and mirrored copies of a photo', () => {
    const copy = (p: number, k: number) => f.hashes[p * 4 + k];
    for (let p = 0; p < 20; p++) {
      for (let k = 1; k < 4; k++)
        expect(nearCopyDistance(copy(p, 0), copy(p, k))).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
    }
    expect(mirrorCrop(mirrorCrop(f.crops[0]))).toEqual(f.crops[0]);
  });

  it('is symmetric, so the split and the leak check agree on every pair', () => {
    for (let i = 0; i < f.hashes.length; i += 3) {
      for (let j = 1; j < f.hashes.length; j += 7)
        expect(nearCopyDistance(f.hashes[i], f.hashes[j])).toBe(nearCopyDistance(f.hashes[j], f.hashes[i]));
    }
  });

  it('groups every copy of one photo together, and different photos apart', () => {
    const groups = nearCopyGroups(f.hashes, f.sources);
    for (let i = 0; i < f.crops.length; i++) expect(groups[i]).toBe(groups[Math.floor(i / 4) * 4]);
    expect(new Set(groups).size).toBeGreaterThanOrEqual(18); // 20 photos; lookalikes may rarely join two
  });

  it('a split by group has no near-copy pair across train and test; a split by source file has many', () => {
    const groups = nearCopyGroups(f.hashes, f.sources);
    const byGroup = groupedStratifiedSplit('d', f.labels, Array.from(groups, String), () => false, 5);
    const bySource = groupedStratifiedSplit('d', f.labels, f.sources, () => false, 5);
    const name = (c: number) => (c === SPLIT_CODES.train ? 'train' : c === SPLIT_CODES.test ? 'test' : 'validation');
    const grouped = leakCheck(f.hashes, (i) => name(byGroup.codes[i]));
    expect(byGroup.counts.test).toBeGreaterThan(0);
    expect(grouped.testLeaks).toBe(0);
    expect(grouped.nearest.every((n) => n.distance > NEAR_DUPLICATE_DISTANCE)).toBe(true);
    // The old split (one group per source file) puts copies of one photo on both sides: the check sees it.
    const leaky = leakCheck(f.hashes, (i) => name(bySource.codes[i]));
    expect(leaky.testLeaks).toBeGreaterThan(bySource.counts.test / 2);
    for (const n of leaky.nearest.filter((x) => x.distance <= NEAR_DUPLICATE_DISTANCE)) {
      expect(f.photo[n.nearestTrain]).toBe(f.photo[n.index]);
    }
  });

  it('excluded crops connect nothing and are not checked', () => {
    const skip = (i: number) => i % 4 !== 0; // only the originals take part
    const groups = nearCopyGroups(
      f.hashes,
      f.sources.map(() => ''),
      skip,
    );
    for (let i = 0; i < f.crops.length; i++) if (skip(i)) expect(groups[i]).toBe(i);
    const check = leakCheck(f.hashes, (i) => (skip(i) ? null : i < 40 ? 'train' : 'test'));
    expect(check.nearest.length).toBe(10);
  });
});

/**
 * The edges, on hashes chosen by hand: a crop at exactly the threshold is a near copy, one bit further is not;
 * the same source photo groups crops whatever their pixels; excluded crops are no members. (Each of these went
 * unnoticed by the tests above when broken: scripts/mutants.mjs.)
 */
describe('near copies at the edges', () => {
  // Mirrored hashes 32 bits away from everything, so only the as-is distance matters here.
  const FAR = 0xffffffff00000000n;
  const hash = (phash: bigint): CropHash => ({ phash, mirrored: phash ^ FAR });
  const bits = (n: number) => (1n << BigInt(n)) - 1n; // n low bits set: distance n from 0
  const T = NEAR_DUPLICATE_DISTANCE;

  it('a crop exactly at the threshold is a near copy (grouped, a leak); one bit further is neither', () => {
    const at = [hash(0n), hash(bits(T))];
    const past = [hash(0n), hash(bits(T + 1))];
    expect(nearCopyDistance(at[0], at[1])).toBe(T);
    expect(Array.from(nearCopyGroups(at, ['', '']))).toEqual([0, 0]);
    expect(Array.from(nearCopyGroups(past, ['', '']))).toEqual([0, 1]);
    const split = (i: number) => (i === 0 ? 'train' : 'test');
    expect(leakCheck(at, split).testLeaks).toBe(1);
    expect(leakCheck(past, split).testLeaks).toBe(0);
    expect(leakCheck(at, split).nearest[0]).toEqual({ index: 1, split: 'test', nearestTrain: 0, distance: T });
  });

  it('crops of one source photo are one group however different their pixels', () => {
    const hashes = [hash(0n), hash(bits(40)), hash(bits(20) << 30n)];
    expect(Array.from(nearCopyGroups(hashes, ['a/p.jpg', 'b/q.jpg', 'a/p.jpg']))).toEqual([0, 1, 0]);
    expect(Array.from(nearCopyGroups(hashes, ['', '', '']))).toEqual([0, 1, 2]); // no source: nothing joins them
  });

  it('a skipped crop does not chain two others into one group', () => {
    // b is T from a and from c; a and c are 2T apart.
    const hashes = [hash(0n), hash(bits(T)), hash(bits(2 * T))];
    expect(Array.from(nearCopyGroups(hashes, ['', '', '']))).toEqual([0, 0, 0]);
    expect(Array.from(nearCopyGroups(hashes, ['', '', ''], (i) => i === 1))).toEqual([0, 1, 2]);
  });

  it('splitMember: the split of each code, and null for an excluded crop', () => {
    const codes = Uint8Array.from([SPLIT_CODES.train, SPLIT_CODES.test, SPLIT_CODES.validation, SPLIT_CODES.test]);
    const member = splitMember(codes, Uint8Array.from([0, 0, 0, 1]));
    expect([0, 1, 2, 3].map(member)).toEqual(['train', 'test', 'validation', null]);
    expect([0, 1, 2, 3].map(splitMember(codes))).toEqual(['train', 'test', 'validation', 'test']);
  });

  it('mirrorCrop mirrors across the vertical axis, and twice gives the crop back', () => {
    const crop = Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7 + (i >> 8)) % 256);
    const m = mirrorCrop(crop);
    for (const [y, x] of [
      [0, 0],
      [5, 17],
      [63, 63],
      [31, 2],
    ]) {
      for (let c = 0; c < 3; c++) expect(m[(y * 64 + 63 - x) * 3 + c]).toBe(crop[(y * 64 + x) * 3 + c]);
    }
    expect(m).not.toEqual(crop);
    expect(mirrorCrop(m)).toEqual(crop);
  });
});
