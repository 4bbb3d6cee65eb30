import { describe, expect, it } from 'vitest';
import { SPLIT_CODES } from '../db/schema';
import { groupedStratifiedSplit } from '../ml/data/splits';
import { NEAR_DUPLICATE_DISTANCE } from './dedupe';
import { cropHash, leakCheck, mirrorCrop, nearCopyDistance, nearCopyGroups } from './nearCopies';
import { generateFace } from './synthetic/lookalikes';
import { hashSeed, Rng } from './synthetic/rng';

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
      const copies = [face, resaved(face, p * 3 + 1, 6), resaved(face, p * 3 + 2, -5), mirrorCrop(resaved(face, p * 3 + 3, 3))];
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
      for (let k = 1; k < 4; k++) expect(nearCopyDistance(copy(p, 0), copy(p, k))).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
    }
    expect(mirrorCrop(mirrorCrop(f.crops[0]))).toEqual(f.crops[0]);
  });

  it('is symmetric, so the split and the leak check agree on every pair', () => {
    for (let i = 0; i < f.hashes.length; i += 3) {
      for (let j = 1; j < f.hashes.length; j += 7) expect(nearCopyDistance(f.hashes[i], f.hashes[j])).toBe(nearCopyDistance(f.hashes[j], f.hashes[i]));
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
    const groups = nearCopyGroups(f.hashes, f.sources.map(() => ''), skip);
    for (let i = 0; i < f.crops.length; i++) if (skip(i)) expect(groups[i]).toBe(i);
    const check = leakCheck(f.hashes, (i) => (skip(i) ? null : i < 40 ? 'train' : 'test'));
    expect(check.nearest.length).toBe(10);
  });
});
