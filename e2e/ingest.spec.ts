/**
 * Photo-folder ingest, first slice (issue 3): a folder built in the test (two class folders of real photos
 * from python3-skimage plus four bad files) picked with the `Photo folder` input of the production build;
 * the real BlazeFace detector in the ingest worker; crops read back from IndexedDB.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configure, expect, openLab, test } from './fixtures/lab';
import { ensureFacePhotos, facePhoto } from './fixtures/faces';

let root = '';

test.beforeAll(() => {
  ensureFacePhotos();
  const base = mkdtempSync(join(tmpdir(), 'lookalike-ingest-'));
  root = join(base, 'faces');
  mkdirSync(join(root, 'alice'), { recursive: true });
  mkdirSync(join(root, 'bob'), { recursive: true });
  mkdirSync(join(root, 'validation', 'alice'), { recursive: true });
  writeFileSync(join(root, 'validation', 'alice', 'v1.png'), facePhoto('astronaut.png'));
  writeFileSync(join(root, 'alice', 'a1.png'), facePhoto('astronaut.png'));
  writeFileSync(join(root, 'bob', 'b1.png'), facePhoto('astronaut.png'));
  writeFileSync(join(root, 'bob', 'empty.jpg'), Buffer.alloc(0));
  writeFileSync(join(root, 'bob', 'notes.jpg'), 'shopping list: milk, eggs\n');
  writeFileSync(join(root, 'bob', 'cat.png'), facePhoto('chelsea.png'));
  writeFileSync(
    join(root, 'alice', 'photo.heic'),
    Buffer.concat([Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(64)]),
  );
});

test.afterAll(() => {
  if (root) rmSync(join(root, '..'), { recursive: true, force: true });
});

interface StoredCrop {
  datasetCount: number;
  classNames: string[];
  kind: string;
  pixels: number[];
  sources: string[];
  scores: number[];
  labels: number[];
  splitCounts: { train: number; test: number; validation: number };
  excluded: number[];
}

test('a photo folder becomes a face dataset, with a report line for each bad file', async ({ page }, testInfo) => {
  await openLab(page, 'wasm');
  const started = Date.now();
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(root);
  const result = page.getByRole('status', { name: 'Ingest result' });
  await expect(result).toContainText('faces from', { timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`[e2e] ${await result.textContent()} (${seconds.toFixed(1)} s wall, 7 files, model load included)`);
  await expect(result).toContainText('3 faces from 3 of 7 photos');
  // The same photo three times: two crops are exact duplicates of the first, left out of every split.
  await expect(result).toContainText('2 duplicate crops left out');

  const lines = await page.getByRole('list', { name: 'Ingest report' }).getByRole('listitem').allTextContents();
  expect(lines.sort()).toEqual(
    [
      'faces/alice/photo.heic — HEIC is not supported: convert to JPEG',
      'faces/bob/cat.png — no face found',
      'faces/bob/empty.jpg — empty file (0 bytes)',
      'faces/bob/notes.jpg — not an image',
    ].sort(),
  );

  await expect(page.getByRole('radio', { name: /Photos: faces — 3 images/ })).toBeChecked();

  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('lookalike-lab');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const get = <T>(store: string, key: IDBValidKey) =>
      new Promise<T>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).get(key);
        r.onsuccess = () => resolve(r.result as T);
        r.onerror = () => reject(r.error);
      });
    const all = await new Promise<Array<{ id: string; kind: string; count: number; classNames: string[] }>>(
      (resolve) => {
        const r = db.transaction('datasets').objectStore('datasets').getAll();
        r.onsuccess = () => resolve(r.result);
      },
    );
    const ds = all.find((d) => d.kind === 'photos')!;
    const chunk = await get<{ pixels: Uint8Array; labels: Uint8Array; sources: string[]; scores: Float32Array }>(
      'images',
      [ds.id, 0],
    );
    const split = await get<{ counts: StoredCrop['splitCounts']; excluded: Uint8Array }>('splits', ds.id);
    db.close();
    return {
      datasetCount: ds.count,
      classNames: ds.classNames,
      kind: ds.kind,
      pixels: Array.from(chunk.pixels),
      sources: chunk.sources,
      scores: Array.from(chunk.scores),
      labels: Array.from(chunk.labels),
      splitCounts: split.counts,
      excluded: Array.from(split.excluded),
    } satisfies StoredCrop;
  });
  console.log(`[e2e] stored: ${JSON.stringify({ ...stored, pixels: stored.pixels.length })}`);
  expect(stored.kind).toBe('photos');
  expect(stored.classNames).toEqual(['alice', 'bob']);
  expect(stored.datasetCount).toBe(3);
  expect([...stored.sources].sort()).toEqual([
    'faces/alice/a1.png',
    'faces/bob/b1.png',
    'faces/validation/alice/v1.png',
  ]);
  expect([...stored.labels].sort()).toEqual([0, 0, 1]);
  for (const s of stored.scores) expect(s).toBeGreaterThan(0.8);
  expect(stored.pixels).toHaveLength(3 * 64 * 64 * 3);
  const crop = stored.pixels.slice(0, 64 * 64 * 3);
  // The crop as a binary PPM, for a look (test-results/…/crop.ppm).
  const ppm = testInfo.outputPath('crop.ppm');
  writeFileSync(ppm, Buffer.concat([Buffer.from('P6\n64 64\n255\n'), Buffer.from(crop)]));
  await testInfo.attach('crop.ppm', { path: ppm });
  expect(new Set(crop).size, 'crop is not uniform').toBeGreaterThan(50);
  // The same photo in every folder gives the same crop.
  expect(stored.pixels.slice(64 * 64 * 3, 2 * 64 * 64 * 3)).toEqual(crop);
  // The first crop stored is kept, the two copies are excluded as duplicates (code 2), so one image is in a split.
  expect(stored.excluded).toEqual([0, 2, 2]);
  const kept = stored.splitCounts.train + stored.splitCounts.test + stored.splitCounts.validation;
  expect(kept).toBe(1);
  // The face sits in the middle: the centre of the crop is brighter than black margins would be.
  const centre = (32 * 64 + 32) * 3;
  expect(crop[centre] + crop[centre + 1] + crop[centre + 2]).toBeGreaterThan(150);

  // The Train page trains on the new dataset unchanged (it is the selected one).
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 2, width: 0.25 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('checkpoint saved: epoch 1', {
    timeout: 120_000,
  });
});
