/** Demo dataset in IndexedDB (fake-indexeddb): schema, chunks, stratified split, batch streaming. */
import { describe, expect, it } from 'vitest';
import { countSplit, getDataset, getSplit, listDatasets, readImages, splitIndices } from '../../db/datasets';
import { openLabDb } from '../../db/open';
import { CHUNK_SIZE, DB_VERSION, EXCLUDED, SPLIT_CODES, STORES } from '../../db/schema';
import { exactKey } from '../../features/data/shared/dedupe';
import { generateFace } from '../../shared/synthetic/lookalikes';
import { hashSeed } from '../../shared/synthetic/rng';
import { batchesPerEpoch, streamBatches } from './batchStream';
import { generateDemoDataset } from '../../features/data/worker/demoDataset';
import { PIXELS_PER_IMAGE } from '../../shared/imageGeometry';

describe('demo dataset storage', () => {
  it('creates every store at the current schema version', async () => {
    const db = await openLabDb('schema-test');
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(Object.values(STORES).sort());
  });

  it('writes chunks, a stratified 80/20 split plus validation, and streams each training image once per epoch', async () => {
    const db = await openLabDb('dataset-test');
    const progress: number[] = [];
    const { datasetId, count } = await generateDemoDataset(db, { count: 600, seed: 9, name: 'd' }, (p) =>
      progress.push(p.done),
    );
    expect(count).toBe(720); // 600 + 120 validation
    const ds = (await getDataset(db, datasetId))!;
    expect(ds.complete).toBe(true);
    expect(ds.classCounts).toEqual([360, 360]);
    expect((await listDatasets(db)).map((d) => d.id)).toContain(datasetId);
    expect(progress.length).toBe(Math.ceil(720 / CHUNK_SIZE));

    const split = (await getSplit(db, datasetId))!;
    expect(split.counts).toEqual({ train: 480, test: 120, validation: 120 });
    // Stratified: each class is 80/20 inside the main set.
    const { labels } = await readImages(db, datasetId, splitIndices(split, 'test'));
    expect(labels.reduce((n, l) => n + l, 0)).toBe(60);

    // Stored pixels are the generator's pixels.
    const { pixels } = await readImages(db, datasetId, [5]);
    expect(pixels).toEqual(generateFace(hashSeed(9, 5), 1).pixels);

    const seen: number[] = [];
    for await (const b of streamBatches(db, datasetId, split, {
      split: 'train',
      batchSize: 32,
      shuffle: true,
      seed: 1,
    })) {
      expect(b.count).toBeLessThanOrEqual(32);
      expect(b.pixels.length).toBe(b.count * 12288);
      seen.push(...b.indices);
    }
    expect(seen.length).toBe(480);
    expect(new Set(seen).size).toBe(480);
    const train = new Set(splitIndices(split, 'train'));
    expect(seen.every((i) => train.has(i))).toBe(true);
    // Shuffled: not in storage order.
    expect(seen.slice(0, 20)).not.toEqual([...train].slice(0, 20));
  });

  it('never streams a rejected or collapsed image, in training or evaluation order (issue 16)', async () => {
    const db = await openLabDb('dataset-excluded-test');
    const { datasetId } = await generateDemoDataset(db, { count: 300, seed: 4, name: 'd' }, () => {});
    const split = (await getSplit(db, datasetId))!;
    const train = splitIndices(split, 'train');
    const test = splitIndices(split, 'test');
    // Reject a few crops of each split and collapse a few as duplicates, as review and ingest do.
    const excluded = new Uint8Array(split.codes.length);
    const out = [train[0], train[7], train[train.length - 1], test[0], test[3]];
    out.forEach((i, k) => (excluded[i] = k % 2 === 0 ? EXCLUDED.rejected : EXCLUDED.duplicate));
    const edited = { ...split, excluded, counts: countSplit(split.codes, excluded) };
    const { pixels: outPixels } = await readImages(db, datasetId, out);
    const outKeys = new Set(
      out.map((_, k) => exactKey(outPixels.subarray(k * PIXELS_PER_IMAGE, (k + 1) * PIXELS_PER_IMAGE))),
    );

    for (const [name, shuffle] of [
      ['train', true],
      ['test', false],
    ] as const) {
      const seen: number[] = [];
      for await (const b of streamBatches(db, datasetId, edited, { split: name, batchSize: 16, shuffle, seed: 2 })) {
        seen.push(...b.indices);
        for (let k = 0; k < b.count; k++)
          expect(outKeys.has(exactKey(b.pixels.subarray(k * PIXELS_PER_IMAGE, (k + 1) * PIXELS_PER_IMAGE)))).toBe(
            false,
          );
      }
      expect(seen.some((i) => out.includes(i))).toBe(false);
      expect(seen.length).toBe(edited.counts[name]);
      expect(seen.length).toBe((name === 'train' ? train : test).length - (name === 'train' ? 3 : 2));
      expect(batchesPerEpoch(edited, name, 16)).toBe(Math.ceil(seen.length / 16));
    }
  });

  it('countSplit counts each split, leaving excluded crops out (validation too)', () => {
    const { train, test, validation } = SPLIT_CODES;
    const codes = Uint8Array.from([train, train, test, validation, validation, test, train]);
    expect(countSplit(codes)).toEqual({ train: 3, test: 2, validation: 2 });
    expect(countSplit(codes, Uint8Array.from([1, 0, 0, 1, 0, 0, 0]))).toEqual({ train: 2, test: 2, validation: 1 });
  });
});
