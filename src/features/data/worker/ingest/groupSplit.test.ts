import { afterEach, describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../../../db/chunkWriter';
import { countSplit, getSplit, putSplit } from '../../../../db/datasets';
import { closeLabDb, openLabDb } from '../../../../db/open';
import { EXCLUDED, SPLIT_CODES } from '../../../../db/schema';
import { groupedStratifiedSplit } from '../../../../ml/data/splits';
import { mirrorCrop } from '../../shared/nearCopies';
import { generateFace } from '../../../../shared/synthetic/lookalikes';
import { hashSeed, Rng } from '../../../../shared/synthetic/rng';
import { groupAwareCodes, leakCheckOf, readCropFacts, resplitByGroups } from './groupSplit';

const DB = 'group-split-test';
afterEach(async () => {
  await closeLabDb(DB);
  indexedDB.deleteDatabase(DB);
});

const copyOf = (rgb: Uint8Array, seed: number, mirrored: boolean) => {
  const rng = new Rng(seed);
  const c = rgb.map((v) => Math.max(0, Math.min(255, v + 4 + Math.round(rng.next() * 4 - 2))));
  return mirrored ? mirrorCrop(c) : c;
};

/** 2 people × 8 photos, each saved as 3 files (original, re-saved copy, mirrored copy), plus 2 validation photos each. */
async function writeDataset(db: Awaited<ReturnType<typeof openLabDb>>, id: string) {
  const w = new ChunkWriter(db, id);
  for (let label = 0; label < 2; label++) {
    for (let p = 0; p < 10; p++) {
      const face = generateFace(hashSeed(77, label, p), label as 0 | 1).pixels;
      const folder = p >= 8 ? `f/validation/${label}` : `f/${label}`;
      for (let k = 0; k < 3; k++)
        await w.add(k === 0 ? face : copyOf(face, p * 5 + k, k === 2), label, { source: `${folder}/p${p}-${k}.jpg` });
    }
  }
  await w.flush();
  return w.count;
}

describe('group-aware split', () => {
  it('a resplit puts every copy of a photo on one side; leaks go from many to 0; rejections are kept', async () => {
    const db = await openLabDb(DB);
    const count = await writeDataset(db, 'ds');
    const facts = await readCropFacts(db, 'ds', count);
    // The split photo datasets had before issue 16: one group per source file.
    const old = groupedStratifiedSplit(
      'ds',
      facts.labels,
      facts.sources,
      (i) => facts.sources[i].includes('/validation/'),
      3,
    );
    const excluded = new Uint8Array(count);
    excluded[4] = EXCLUDED.rejected;
    await putSplit(db, { ...old, excluded, counts: countSplit(old.codes, excluded) });
    const before = leakCheckOf(facts, (await getSplit(db, 'ds'))!);
    expect(before.testLeaks).toBeGreaterThan(0);

    const { split, leaks } = await resplitByGroups(db, 'ds');
    expect(leaks.testLeaks).toBe(0);
    expect(split.excluded![4]).toBe(EXCLUDED.rejected);
    expect(split.counts.test).toBeGreaterThan(0);
    expect(split.counts.validation).toBe(2 * 2 * 3);
    for (let i = 0; i < count; i += 3) {
      expect(split.codes[i + 1]).toBe(split.codes[i]);
      expect(split.codes[i + 2]).toBe(split.codes[i]);
    }
    expect(await getSplit(db, 'ds')).toEqual(split);
  });

  it("a resumed ingest puts a new copy of an already split photo on that photo's side", async () => {
    const db = await openLabDb(DB);
    const count = await writeDataset(db, 'ds');
    const facts = await readCropFacts(db, 'ds', count);
    const first = groupAwareCodes(facts, 9, () => false);
    // Pretend crops 0–29 were split by an earlier ingest, with photo 0's copies forced to test, then split the rest.
    const oldCodes = first.slice();
    oldCodes[0] = oldCodes[1] = oldCodes[2] = SPLIT_CODES.test;
    const again = groupAwareCodes(facts, 9, () => false, oldCodes, 2);
    expect(again[2]).toBe(SPLIT_CODES.test);
  });

  it('on a resumed ingest, a kept validation photo never decides the side of its near copies in the class folders', () => {
    // Kept from an earlier ingest: a validation/ photo V and a class-folder near copy T of it, in train. Arriving
    // now: another class-folder copy N and a validation/ copy W (all four hashes equal: one near-copy group). N
    // must follow T (train), never V: validation is the validation/ folder's photos only; W stays validation.
    const same = { phash: 0n, mirrored: 0xffffffff00000000n };
    const facts = {
      labels: Uint8Array.from([0, 0, 0, 0]),
      sources: ['f/validation/a/v.jpg', 'f/a/t.jpg', 'f/a/n.jpg', 'f/validation/a/w.jpg'],
      exact: ['v', 't', 'n', 'w'],
      hashes: [same, same, same, same],
    };
    const oldCodes = Uint8Array.from([SPLIT_CODES.validation, SPLIT_CODES.train, 0, 0]);
    for (let seed = 0; seed < 5; seed++) {
      expect(Array.from(groupAwareCodes(facts, seed, () => false, oldCodes, 2))).toEqual([
        SPLIT_CODES.validation,
        SPLIT_CODES.train,
        SPLIT_CODES.train,
        SPLIT_CODES.validation,
      ]);
    }
    // Only V kept: N is split like any new photo (train or test), not put in validation.
    const alone = groupAwareCodes(facts, 1, () => false, oldCodes, 1);
    expect(alone[2]).not.toBe(SPLIT_CODES.validation);
    expect(alone[3]).toBe(SPLIT_CODES.validation);
  });

  it('a rejected crop does not chain two photos into one group', () => {
    // Hand-made hashes (mirrored ones far from everything): b is at the near-copy threshold of a and of c, a and
    // c twice as far. With b rejected, a and c are two groups and land on either side depending on the seed.
    const FAR = 0xffffffff00000000n;
    const phashes = [0n, 0xfn, 0xffn];
    const facts = {
      labels: Uint8Array.from([0, 0, 0]),
      sources: ['', '', ''],
      exact: ['a', 'b', 'c'],
      hashes: phashes.map((phash) => ({ phash, mirrored: phash ^ FAR })),
    };
    const rejected = (i: number) => i === 1;
    const apart = Array.from({ length: 20 }, (_, seed) => groupAwareCodes(facts, seed, rejected)).filter(
      (c) => c[0] !== c[2],
    );
    expect(apart.length).toBeGreaterThan(0);
    // Not rejected, b joins all three into one group: one side only.
    for (let seed = 0; seed < 20; seed++) expect(new Set(groupAwareCodes(facts, seed, () => false)).size).toBe(1);
  });

  it("keeps a Keras layout's train/ test/ val/ folders, and splits train/ 80/20 when there is no test/", () => {
    const facts = (sources: string[]) => ({
      labels: Uint8Array.from(sources, (_, i) => i % 2),
      sources,
      exact: sources,
      // Far apart: every crop its own group, so only the folders decide.
      hashes: sources.map((_, i) => ({
        phash: BigInt(i) * 0x0f0f0f0f0f0f0f0fn,
        mirrored: BigInt(i) * 0x3333333333333333n,
      })),
    });
    const kept = Array.from(
      { length: 20 },
      (_, i) => `z/${['train', 'test', 'val', 'train'][i % 4]}/c${i % 2}/${i}.png`,
    );
    const codes = groupAwareCodes(facts(kept), 5, () => false);
    const want = { train: SPLIT_CODES.train, test: SPLIT_CODES.test, val: SPLIT_CODES.validation };
    expect(Array.from(codes)).toEqual(kept.map((s) => want[s.split('/')[1] as keyof typeof want]));
    // train/ and val/ only: val/ stays validation, train/ is split (some test, most train) so there is a test set.
    const noTest = kept.map((s) => s.replace('/test/', '/train/'));
    const split = groupAwareCodes(facts(noTest), 5, () => false);
    noTest.forEach((s, i) => expect(split[i] === SPLIT_CODES.validation).toBe(s.includes('/val/')));
    const trainFolder = noTest.flatMap((s, i) => (s.includes('/train/') ? [split[i]] : []));
    expect(trainFolder.filter((c) => c === SPLIT_CODES.test)).toHaveLength(3); // round(20 % of 15), per class 8 → 2, 7 → 1
  });
});
