/** Review decisions on a stored photo dataset: rejection leaves the split readers, a class move relabels. */
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkWriter } from './chunkWriter';
import { getChunk, getDataset, putDataset, putSplit, splitIndices } from './datasets';
import { closeLabDb, openLabDb } from './open';
import { decide, moveToClass, readDisplayImage, readReviewItems } from './review';
import { CHUNK_SIZE, PIXELS_PER_IMAGE, PIXELS_PER_THUMB, SPLIT_CODES } from './schema';

const DB = 'review-test';
afterEach(async () => {
  await closeLabDb(DB);
  indexedDB.deleteDatabase(DB);
});

async function dataset(n: number) {
  const db = await openLabDb(DB);
  const w = new ChunkWriter(db, 'd');
  for (let i = 0; i < n; i++) {
    await w.add(new Uint8Array(PIXELS_PER_IMAGE).fill(i % 251), i % 2, {
      source: `p/${i % 2 ? 'b' : 'a'}/${i}.jpg`,
      score: 0.9,
      thumb: new Uint8Array(PIXELS_PER_THUMB).fill((i + 1) % 251),
    });
  }
  await w.flush();
  await putDataset(db, {
    id: 'd',
    name: 'd',
    kind: 'photos',
    classNames: ['a', 'b'],
    createdAt: 0,
    count: n,
    classCounts: [Math.ceil(n / 2), Math.floor(n / 2)],
    complete: true,
  });
  const codes = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 4 ? SPLIT_CODES.test : SPLIT_CODES.train));
  await putSplit(db, {
    datasetId: 'd',
    seed: 1,
    codes,
    counts: { train: codes.filter((c) => c === 0).length, test: codes.filter((c) => c === 1).length, validation: 0 },
  });
  return db;
}

describe('review', () => {
  it('a rejected crop leaves every split and comes back on restore', async () => {
    const db = await dataset(10);
    let split = await decide(db, 'd', [0, 4], 'reject');
    expect(split.counts).toEqual({ train: 7, test: 1, validation: 0 });
    expect([...splitIndices(split, 'train')]).not.toContain(0);
    expect([...splitIndices(split, 'test')]).toEqual([9]);
    split = await decide(db, 'd', [4], 'restore');
    expect([...splitIndices(split, 'test')]).toEqual([4, 9]);
    const items = await readReviewItems(db, 'd');
    expect(items.split.excluded![0]).toBe(1);
    expect(items.sources[3]).toBe('p/b/3.jpg');
  });

  it('moving a crop to the other class rewrites its label in the chunk and the class counts, across chunks', async () => {
    const n = CHUNK_SIZE + 4;
    const db = await dataset(n);
    await moveToClass(db, 'd', [1, CHUNK_SIZE + 1], 0);
    expect((await getChunk(db, 'd', 0))!.labels[1]).toBe(0);
    expect((await getChunk(db, 'd', 1))!.labels[1]).toBe(0);
    expect((await getDataset(db, 'd'))!.classCounts).toEqual([n / 2 + 2, n / 2 - 2]);
    expect((await readReviewItems(db, 'd')).split.accepted![1]).toBe(1);
    await expect(moveToClass(db, 'd', [2], 5)).rejects.toThrow('no class 5');
  });

  it('shows the 128×128 copy where there is one', async () => {
    const db = await dataset(3);
    const img = await readDisplayImage(db, 'd', 2, new Map());
    expect(img.size).toBe(128);
    expect(img.pixels[0]).toBe(3);
  });
});
