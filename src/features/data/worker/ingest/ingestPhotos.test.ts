import { afterEach, describe, expect, it } from 'vitest';
import { getChunk, getDataset, getSplit, listDatasets, splitIndices } from '../../../../db/datasets';
import { closeLabDb, openLabDb } from '../../../../db/open';
import { EXCLUDED, PIXELS_PER_IMAGE, SPLIT_CODES, STORES } from '../../../../db/schema';
import type { FaceDetection } from '../../shared/faceProtocol';
import type { IngestFile } from '../../shared/ingestProtocol';
import { CHECKPOINT_MS, ingestPhotos, type IngestDeps } from './ingestPhotos';

const DB = 'ingest-test';
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A fake PNG the fake decoder understands: byte 30 = faces in it, byte 31 = which picture (same → identical crops). */
function pngFile(name: string, width: number, height: number, faces: number, picture = pictureOf(name)): File {
  const b = new Uint8Array(40);
  b.set(PNG);
  new DataView(b.buffer).setUint32(8, 13);
  b.set([0x49, 0x48, 0x44, 0x52], 12); // IHDR
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  b[30] = faces; // read back by the fake detector
  b[31] = picture;
  return new File([b], name);
}

function pictureOf(name: string): number {
  let h = 7;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) & 0xff;
  return h;
}

/** Distinct noise per (picture, face): different photos never look like duplicates of each other. */
function noiseCrop(picture: number, faceX: number, size: number): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  let state = (picture * 7919 + faceX * 104729 + 1) >>> 0;
  for (let i = 0; i < out.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  out[0] = faceX + 1; // which face, for the assertions
  return out;
}

const face = (i: number): FaceDetection => ({
  box: { x: 10 * i, y: 5, width: 20, height: 20 },
  score: 0.5 + i / 10,
  keypoints: [
    { x: 12, y: 10 },
    { x: 20, y: 10 },
  ],
});

function deps(db: Awaited<ReturnType<typeof openLabDb>>): IngestDeps {
  let n = 0;
  return {
    db,
    async decode(blob) {
      const b = new Uint8Array(await blob.arrayBuffer());
      if (b.length < 40) throw new Error('truncated');
      return { width: 100, height: 80, faces: b[30], picture: b[31], close() {} } as unknown as ImageBitmap;
    },
    async detect(bitmap) {
      const count = (bitmap as unknown as { faces: number }).faces;
      return Array.from({ length: count }, (_, i) => face(i));
    },
    crop: (bitmap, f, size = 64) => noiseCrop((bitmap as unknown as { picture: number }).picture, f.box.x, size),
    newId: () => `photos-${++n}`,
    now: () => 0,
  };
}

afterEach(async () => {
  await closeLabDb(DB);
  indexedDB.deleteDatabase(DB);
});

describe('ingestPhotos', () => {
  it('stores every face, reports every bad file, and groups the split by photo', async () => {
    const db = await openLabDb(DB);
    const files: IngestFile[] = [
      { file: pngFile('a1.png', 100, 80, 2), path: 'p/alice/a1.png', label: 0, isValidation: false },
      { file: pngFile('a2.png', 100, 80, 1), path: 'p/alice/a2.png', label: 0, isValidation: false },
      { file: new File([], 'empty.jpg'), path: 'p/bob/empty.jpg', label: 1, isValidation: false },
      { file: new File(['my notes'], 'notes.jpg'), path: 'p/bob/notes.jpg', label: 1, isValidation: false },
      { file: pngFile('cat.png', 100, 80, 0), path: 'p/bob/cat.png', label: 1, isValidation: false },
      { file: pngFile('huge.png', 20000, 20000, 1), path: 'p/bob/huge.png', label: 1, isValidation: false },
      { file: new File([Uint8Array.from(PNG)], 'cut.png'), path: 'p/bob/cut.png', label: 1, isValidation: false },
      { file: pngFile('b1.png', 100, 80, 1), path: 'p/bob/b1.png', label: 1, isValidation: false },
      { file: pngFile('v1.png', 100, 80, 1), path: 'p/validation/bob/v1.png', label: 1, isValidation: true },
    ];
    const progress: number[] = [];
    const r = await ingestPhotos(deps(db), { name: 'test', classNames: ['alice', 'bob'], files, seed: 1 }, (p) =>
      progress.push(p.done),
    );
    expect(r.report).toEqual([
      { file: 'p/bob/empty.jpg', reason: 'empty file (0 bytes)' },
      { file: 'p/bob/notes.jpg', reason: 'not an image' },
      { file: 'p/bob/cat.png', reason: 'no face found' },
      { file: 'p/bob/huge.png', reason: 'too large: 20000×20000 (400 megapixels, limit 40)' },
      { file: 'p/bob/cut.png', reason: 'could not decode PNG: truncated' },
    ]);
    expect(r.crops).toBe(5);
    expect(r.photos).toBe(4);
    expect(progress).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const record = await getDataset(db, r.datasetId!);
    expect(record).toMatchObject({ kind: 'photos', count: 5, classCounts: [3, 2], complete: true });
    const chunk = (await getChunk(db, r.datasetId!, 0))!;
    expect(chunk.sources).toEqual([
      'p/alice/a1.png',
      'p/alice/a1.png',
      'p/alice/a2.png',
      'p/bob/b1.png',
      'p/validation/bob/v1.png',
    ]);
    expect([...chunk.labels]).toEqual([0, 0, 0, 1, 1]);
    expect(chunk.scores![1]).toBeCloseTo(0.6);
    expect(chunk.pixels[PIXELS_PER_IMAGE]).toBe(11); // second face of a1
    expect(chunk.keypoints![12]).toBe(12); // second face's first keypoint x
    expect((await db.get(STORES.thumbs, [r.datasetId!, 0]))!.pixels.length).toBe(5 * 128 * 128 * 3);
    const split = (await getSplit(db, r.datasetId!))!;
    expect(split.codes[0]).toBe(split.codes[1]); // both faces of a1 on the same side
    expect(split.codes[4]).toBe(SPLIT_CODES.validation);
    expect(split.counts).toEqual(r.split);
    expect(r.duplicates).toBe(0);
    expect(record!.processed).toHaveLength(files.length);
  });

  it('collapses an exact duplicate photo: one crop kept, the copy left out of every split', async () => {
    const db = await openLabDb(DB);
    const files: IngestFile[] = ['a1', 'a2', 'a3', 'copy-of-a1'].map((n) => ({
      file: pngFile(`${n}.png`, 100, 80, 1, n === 'copy-of-a1' ? pictureOf('a1.png') : pictureOf(`${n}.png`)),
      path: `p/alice/${n}.png`,
      label: 0,
      isValidation: false,
    }));
    const r = await ingestPhotos(deps(db), { name: 'dups', classNames: ['alice'], files, seed: 1 }, () => {});
    expect(r.crops).toBe(4);
    expect(r.duplicates).toBe(1);
    const split = (await getSplit(db, r.datasetId!))!;
    expect([...split.duplicateOf!]).toEqual([-1, -1, -1, 0]);
    expect([...split.excluded!]).toEqual([0, 0, 0, EXCLUDED.duplicate]);
    expect(split.counts.train + split.counts.test).toBe(3);
    expect([...splitIndices(split, 'train'), ...splitIndices(split, 'test')].sort()).toEqual([0, 1, 2]);
  });

  it('continues after Cancel: the same folder again skips what is done and splits only the new photos', async () => {
    const db = await openLabDb(DB);
    const files: IngestFile[] = Array.from({ length: 10 }, (_, i) => ({
      file: pngFile(`f${i}.png`, 100, 80, 1, 10 + i),
      path: `p/${i % 2 ? 'bob' : 'alice'}/f${i}.png`,
      label: i % 2,
      isValidation: false,
    }));
    const abort = new AbortController();
    const first = await ingestPhotos(
      deps(db),
      { name: 'folder', classNames: ['alice', 'bob'], files, seed: 3 },
      (p) => p.done === 4 && abort.abort(),
      abort.signal,
    );
    expect(first.crops).toBe(4);
    const splitBefore = (await getSplit(db, first.datasetId!))!;
    const second = await ingestPhotos(
      deps(db),
      { name: 'folder', classNames: ['alice', 'bob'], files, seed: 3, appendTo: first.datasetId! },
      () => {},
    );
    expect(second).toMatchObject({ datasetId: first.datasetId, skipped: 4, crops: 6, photos: 6 });
    const record = (await getDataset(db, first.datasetId!))!;
    expect(record).toMatchObject({ count: 10, classCounts: [5, 5], complete: true });
    const chunk = (await getChunk(db, first.datasetId!, 0))!;
    expect(chunk.sources).toEqual(files.map((f) => f.path));
    const split = (await getSplit(db, first.datasetId!))!;
    expect([...split.codes.subarray(0, 4)]).toEqual([...splitBefore.codes]); // earlier faces keep their split
    expect(split.counts.train + split.counts.test).toBe(10);
    expect(await listDatasets(db)).toHaveLength(1);
  });

  it('resumes after a reload mid-ingest from what the last checkpoint saved', async () => {
    const db = await openLabDb(DB);
    const files: IngestFile[] = Array.from({ length: 6 }, (_, i) => ({
      file: pngFile(`g${i}.png`, 100, 80, 1, 40 + i),
      path: `p/alice/g${i}.png`,
      label: 0,
      isValidation: false,
    }));
    // A clock that jumps a second per call: the ingest saves after every photo.
    let t = 0;
    const ticking = { ...deps(db), now: () => (t += CHECKPOINT_MS) };
    // "Reload" during the fourth photo: the page's JS stops; here the progress callback throws out of the ingest
    // after photo 4 was cropped but before the next save, so the database holds what the third save wrote.
    await expect(
      ingestPhotos(ticking, { name: 'r', classNames: ['alice'], files, seed: 1 }, (p) => {
        if (p.done === 4) throw new Error('page closed');
      }),
    ).rejects.toThrow('page closed');
    const interrupted = (await listDatasets(db))[0];
    expect(interrupted).toMatchObject({ complete: false, count: 3 });
    expect(interrupted.processed).toEqual(files.slice(0, 3).map((f) => f.path));
    const r = await ingestPhotos(
      ticking,
      { name: 'r', classNames: ['alice'], files, seed: 1, appendTo: interrupted.id },
      () => {},
    );
    expect(r).toMatchObject({ skipped: 3, crops: 3 });
    expect(await getDataset(db, interrupted.id)).toMatchObject({ complete: true, count: 6 });
    const chunk = (await getChunk(db, interrupted.id, 0))!;
    expect(chunk.sources).toEqual(files.map((f) => f.path));
    expect(chunk.count).toBe(6);
  });

  it('writes no dataset when no face is found', async () => {
    const db = await openLabDb(DB);
    const r = await ingestPhotos(
      deps(db),
      {
        name: 'cats',
        classNames: ['cat'],
        files: [{ file: pngFile('c.png', 10, 10, 0), path: 'p/cat/c.png', label: 0, isValidation: false }],
        seed: 1,
      },
      () => {},
    );
    expect(r.datasetId).toBeNull();
    expect(await listDatasets(db)).toEqual([]);
  });
});
