import { afterEach, describe, expect, it } from 'vitest';
import { getChunk, getDataset, getSplit, listDatasets } from '../db/datasets';
import { closeLabDb, openLabDb } from '../db/open';
import { PIXELS_PER_IMAGE, SPLIT_CODES } from '../db/schema';
import type { FaceDetection } from '../shared/faceProtocol';
import type { IngestFile } from '../shared/ingestProtocol';
import { ingestPhotos, type IngestDeps } from './ingestPhotos';

const DB = 'ingest-test';
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngFile(name: string, width: number, height: number, faces: number): File {
  const b = new Uint8Array(40);
  b.set(PNG);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  b[30] = faces; // read back by the fake detector
  return new File([b], name);
}

const face = (i: number): FaceDetection => ({
  box: { x: 10 * i, y: 5, width: 20, height: 20 },
  score: 0.5 + i / 10,
  keypoints: [{ x: 12, y: 10 }, { x: 20, y: 10 }],
});

function deps(db: Awaited<ReturnType<typeof openLabDb>>): IngestDeps {
  let n = 0;
  return {
    db,
    async decode(blob) {
      const b = new Uint8Array(await blob.arrayBuffer());
      if (b.length < 40) throw new Error('truncated');
      return { width: 100, height: 80, faces: b[30], close() {} } as unknown as ImageBitmap;
    },
    async detect(bitmap) {
      const count = (bitmap as unknown as { faces: number }).faces;
      return Array.from({ length: count }, (_, i) => face(i));
    },
    crop: (_bitmap, f) => new Uint8Array(PIXELS_PER_IMAGE).fill(f.box.x + 1),
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
    expect(chunk.sources).toEqual(['p/alice/a1.png', 'p/alice/a1.png', 'p/alice/a2.png', 'p/bob/b1.png', 'p/validation/bob/v1.png']);
    expect([...chunk.labels]).toEqual([0, 0, 0, 1, 1]);
    expect(chunk.scores![1]).toBeCloseTo(0.6);
    expect(chunk.pixels[PIXELS_PER_IMAGE]).toBe(11); // second face of a1
    const split = (await getSplit(db, r.datasetId!))!;
    expect(split.codes[0]).toBe(split.codes[1]); // both faces of a1 on the same side
    expect(split.codes[4]).toBe(SPLIT_CODES.validation);
    expect(split.counts).toEqual(r.split);
  });

  it('writes no dataset when no face is found', async () => {
    const db = await openLabDb(DB);
    const r = await ingestPhotos(
      deps(db),
      { name: 'cats', classNames: ['cat'], files: [{ file: pngFile('c.png', 10, 10, 0), path: 'p/cat/c.png', label: 0, isValidation: false }], seed: 1 },
      () => {},
    );
    expect(r.datasetId).toBeNull();
    expect(await listDatasets(db)).toEqual([]);
  });
});
