/** Demo dataset in IndexedDB (fake-indexeddb): schema, chunks, stratified split, batch streaming. */
import { describe, expect, it } from 'vitest';
import { getDataset, getSplit, listDatasets, readImages, splitIndices } from '../../db/datasets';
import { openLabDb } from '../../db/open';
import { CHUNK_SIZE, DB_VERSION, STORES } from '../../db/schema';
import { generateFace } from '../../shared/synthetic/lookalikes';
import { hashSeed } from '../../shared/synthetic/rng';
import { streamBatches } from './batchStream';
import { generateDemoDataset } from './demoDataset';

describe('demo dataset storage', () => {
  it('creates every store at the current schema version', async () => {
    const db = await openLabDb('schema-test');
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(Object.values(STORES).sort());
  });

  it('writes chunks, a stratified 80/20 split plus validation, and streams each training image once per epoch', async () => {
    const db = await openLabDb('dataset-test');
    const progress: number[] = [];
    const { datasetId, count } = await generateDemoDataset(db, { count: 600, seed: 9, name: 'd' }, (p) => progress.push(p.done));
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
    for await (const b of streamBatches(db, datasetId, split, { split: 'train', batchSize: 32, shuffle: true, seed: 1 })) {
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
});
