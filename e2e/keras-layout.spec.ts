/**
 * Plain Keras-layout datasets (issue 21 item 1): a zip of face crops in `image_dataset_from_directory` layout,
 * with no manifest.json, built here from two real portraits (fixtures/realPhotoSet.ts: Eileen Collins and Grace
 * Hopper, public domain), imported on the Data page with "Use as is". Checked in the UI and in IndexedDB: the
 * classes, the counts per class and split, every stored crop's pixels (a 64×64 PNG bit for bit, a 64×64 JPEG and
 * a 96×96 PNG close to what was zipped), the corrupt file and the stray file reported. A second zip with
 * `train/ test/ val/` under one top folder keeps that split; the same crops as a picked folder with "use as is".
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { expect, openLab, test } from './fixtures/lab';
import { readStore } from './fixtures/labDb';
import { loadSource } from './fixtures/realPhotoSet';
import * as v from './fixtures/imageVariants';

interface Crop {
  /** Path in the zip. */
  file: string;
  bytes: Uint8Array;
  /** The 64×64 RGB the app should store (for a 96×96 file: our own bilinear resize, so compared loosely). */
  expected: Uint8Array;
  /** How close the stored crop must be: 0 = bit for bit. */
  tolerance: number;
}

/** Face boxes in the two portraits (fixtures/realPhotoSet.ts measured them; BlazeFace finds Collins' at 177, 82, 95×95). */
const FACE: Record<string, v.Box> = {
  collins: { x: 177, y: 82, width: 95, height: 95 },
  hopper: { x: 165, y: 150, width: 190, height: 190 },
};

/** Crop `k` of a person: a square around the face, shifted and sized by k, as PNG or JPEG at 64×64, or a 96×96 PNG. */
function faceCrop(person: string, photo: v.Rgb, k: number, folder: string): Crop {
  const f = FACE[person];
  const side = Math.round(f.width * (1.3 + 0.04 * k));
  const x = Math.round(f.x + f.width / 2 - side / 2 + ((k % 3) - 1) * 0.05 * f.width);
  const y = Math.round(f.y + f.height / 2 - side / 2 + ((k % 4) - 1.5) * 0.04 * f.height);
  const square = v.crop(photo, x, y, side, side);
  const small = v.scale(square, 64 / side);
  if (k % 4 === 3) {
    const big = v.scale(square, 96 / side);
    return { file: `${folder}/${k}.png`, bytes: v.png(big), expected: v.scale(big, 64 / 96).data, tolerance: 3 };
  }
  if (k % 4 === 1)
    return { file: `${folder}/${k}.jpg`, bytes: v.jpeg(small, { quality: 92 }), expected: small.data, tolerance: 4 };
  return { file: `${folder}/${k}.png`, bytes: v.png(small), expected: small.data, tolerance: 0 };
}

interface StoredChunk {
  datasetId: string;
  chunk: number;
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
  sources?: string[];
}

/** The dataset named `name` as stored: record, every crop (source, label, pixels) and its split. */
async function stored(page: Page, name: string) {
  const datasets = await readStore<{
    id: string;
    name: string;
    kind: string;
    classNames: string[];
    classCounts: number[];
    count: number;
    complete: boolean;
  }>(page, 'datasets');
  const record = datasets.find((d) => d.name === name);
  if (!record) throw new Error(`no dataset "${name}" among ${datasets.map((d) => d.name).join(', ')}`);
  const chunks = (await readStore<StoredChunk>(page, 'images'))
    .filter((c) => c.datasetId === record.id)
    .sort((a, b) => a.chunk - b.chunk);
  const split = (
    await readStore<{ datasetId: string; codes: Uint8Array; counts: Record<string, number> }>(page, 'splits')
  ).find((s) => s.datasetId === record.id)!;
  const crops = chunks.flatMap((c) =>
    Array.from({ length: c.count }, (_, k) => ({
      source: c.sources![k],
      label: c.labels[k],
      pixels: c.pixels.subarray(k * 12288, (k + 1) * 12288),
    })),
  );
  return { record, crops, codes: Array.from(split.codes), counts: split.counts };
}

let people: Record<string, v.Rgb>;
let tmp = '';
test.beforeAll(() => {
  people = { collins: loadSource('collins'), hopper: loadSource('hopper') };
  tmp = mkdtempSync(join(tmpdir(), 'lookalike-keras-'));
});
test.afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** 12 crops per person in `<prefix><person>/`, a truncated JPEG among Hopper's, a readme at the top. */
function flatLayout(): { crops: Crop[]; files: Record<string, Uint8Array> } {
  const crops = Object.entries(people).flatMap(([person, photo]) =>
    Array.from({ length: 12 }, (_, k) => faceCrop(person, photo, k, person)),
  );
  const files: Record<string, Uint8Array> = Object.fromEntries(crops.map((c) => [c.file, c.bytes]));
  const whole = crops.find((c) => c.file === 'hopper/1.jpg')!.bytes;
  files['hopper/broken.jpg'] = whole.subarray(0, Math.floor(whole.length / 2));
  files['readme.txt'] = new TextEncoder().encode('two people, face crops');
  return { crops, files };
}

function expectCrops(got: Awaited<ReturnType<typeof stored>>, crops: Crop[], sourceOf: (file: string) => string): void {
  const bySource = new Map(got.crops.map((c) => [c.source, c]));
  expect([...bySource.keys()].sort()).toEqual(crops.map((c) => sourceOf(c.file)).sort());
  const diffs: string[] = [];
  for (const c of crops) {
    const s = bySource.get(sourceOf(c.file))!;
    expect(got.record.classNames[s.label], c.file).toBe(c.file.split('/').at(-2));
    const diff = v.meanAbsDiff(s.pixels, c.expected);
    diffs.push(`${c.file} ${diff.toFixed(2)}`);
    if (c.tolerance === 0)
      expect(Buffer.from(s.pixels).equals(Buffer.from(c.expected)), `${c.file}: stored bit for bit`).toBe(true);
    else expect(diff, c.file).toBeLessThan(c.tolerance);
  }
  console.log(`[e2e] mean |Δ| stored vs zipped: ${diffs.filter((d) => !d.endsWith(' 0.00')).join(', ')}`);
}

test('a plain <class>/ zip of face crops (no manifest) imports "as is": classes, counts, pixels, the corrupt file reported', async ({
  page,
}, testInfo) => {
  const { crops, files } = flatLayout();
  const zipPath = testInfo.outputPath('crops.zip');
  writeFileSync(zipPath, zipSync(files));
  await openLab(page, 'wasm');

  await page.getByLabel('Import dataset zip').setInputFiles(zipPath);
  const plain = page.getByRole('group', { name: 'Plain dataset zip' });
  await expect(plain).toContainText(
    '2 classes: collins 12 · hopper 13; no train/ test/ folders: the app splits it 80/20',
  );
  await plain.getByRole('button', { name: 'Use as is: these are face crops' }).click();
  const result = page.getByRole('status', { name: 'Dataset zip result' });
  await expect(result).toContainText('Imported 24 face crops as is from crops.zip; train ', { timeout: 60_000 });
  console.log(`[e2e] ${await result.textContent()}`);
  const report = await page.getByRole('list', { name: 'Zip import report' }).getByRole('listitem').allTextContents();
  expect(report).toEqual([
    'readme.txt — not an image (png, jpg, webp, bmp or gif); ignored',
    'crops/hopper/broken.jpg — could not decode JPEG: the file is damaged or incomplete',
  ]);
  await expect(page.getByRole('region', { name: 'Dataset details' })).toContainText(
    '24 crops stored · classes: collins 12 · hopper 12',
  );

  const got = await stored(page, 'Crops: crops');
  expect(got.record).toMatchObject({
    kind: 'photos',
    classNames: ['collins', 'hopper'],
    classCounts: [12, 12],
    count: 24,
    complete: true,
  });
  expectCrops(got, crops, (file) => `crops/${file}`);
  // No split level: the group-aware 80/20 per class, no validation folder → no validation set.
  expect(got.counts.validation).toBe(0);
  expect(got.counts.train + got.counts.test).toBe(24);
  for (const label of [0, 1])
    expect(
      got.codes.filter((c, i) => got.crops[i].label === label && c === 1).length,
      `test faces of class ${label}`,
    ).toBeGreaterThan(0);
  await expect(result).toContainText(`train ${got.counts.train} · test ${got.counts.test} · validation 0.`);
});

test('a zip with train/ test/ val/ under one top folder keeps its split; the same folder picked "as is" too', async ({
  page,
}, testInfo) => {
  const splits = ['train', 'train', 'test', 'val', 'train', 'train', 'test', 'train', 'train', 'val', 'train'];
  const crops = Object.entries(people).flatMap(([person, photo]) =>
    splits.map((s, k) => faceCrop(person, photo, k, `kit/${s}/${person}`)),
  );
  const zipPath = testInfo.outputPath('kit.zip');
  writeFileSync(zipPath, zipSync(Object.fromEntries(crops.map((c) => [c.file, c.bytes]))));
  await openLab(page, 'wasm');

  await page.getByLabel('Import dataset zip').setInputFiles(zipPath);
  const plain = page.getByRole('group', { name: 'Plain dataset zip' });
  await expect(plain).toContainText(
    '2 classes: collins 11 · hopper 11; split kept from its folders: train 14 · test 4 · validation 4.',
  );
  await plain.getByRole('button', { name: 'Use as is: these are face crops' }).click();
  await expect(page.getByRole('status', { name: 'Dataset zip result' })).toContainText(
    'Imported 22 face crops as is from kit.zip; train 14 · test 4 · validation 4.',
    {
      timeout: 60_000,
    },
  );
  const got = await stored(page, 'Crops: kit');
  expectCrops(got, crops, (file) => file);
  const code = { train: 0, test: 1, val: 2 } as Record<string, number>;
  expect(got.codes).toEqual(got.crops.map((c) => code[c.source.split('/')[1]]));
  expect(got.counts).toEqual({ train: 14, test: 4, validation: 4 });

  // The same crops as a folder picked with "use as is": the same classes, split and pixels, no face detection.
  const root = join(tmp, 'kitfolder');
  for (const c of crops) {
    const path = join(root, c.file.replace(/^kit\//, ''));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, c.bytes);
  }
  await page.getByLabel('These are face crops: use as is').check();
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(root);
  await expect(page.getByRole('status', { name: 'Ingest result' })).toContainText(
    '22 face crops of 22 files used as is',
    { timeout: 60_000 },
  );
  await expect(page.getByRole('status', { name: 'Ingest result' })).toContainText('train 14 · test 4 · validation 4.');
  const folder = await stored(page, 'Crops: kitfolder');
  expectCrops(folder, crops, (file) => file.replace(/^kit\//, 'kitfolder/'));
  expect(folder.codes).toEqual(folder.crops.map((c) => code[c.source.split('/')[1]]));
});

test('"Find faces" on a plain zip runs the photo ingest on its images and keeps the layout\'s split', async ({
  page,
}, testInfo) => {
  const splits = ['train', 'test', 'train', 'val', 'train'];
  const crops = Object.entries(people).flatMap(([person, photo]) =>
    splits.map((s, k) => faceCrop(person, photo, k, `set/${s}/${person}`)),
  );
  const zipPath = testInfo.outputPath('photos.zip');
  writeFileSync(
    zipPath,
    zipSync({ ...Object.fromEntries(crops.map((c) => [c.file, c.bytes])), 'set/notes.txt': new Uint8Array(4) }),
  );
  await openLab(page, 'wasm');
  await page.getByLabel('Import dataset zip').setInputFiles(zipPath);
  await page
    .getByRole('group', { name: 'Plain dataset zip' })
    .getByRole('button', { name: 'Find faces in these photos' })
    .click();
  const result = page.getByRole('status', { name: 'Dataset zip result' });
  await expect(result).toContainText('Found ', { timeout: 120_000 });
  console.log(`[e2e] ${await result.textContent()}`);
  const got = await stored(page, 'Photos: set (zip)');
  expect(got.record.classNames).toEqual(['collins', 'hopper']);
  // Every face under its folder's class and split (crops of one file share its source).
  const code = { train: 0, test: 1, val: 2 } as Record<string, number>;
  expect(new Set(got.crops.map((c) => c.source)).size).toBeGreaterThanOrEqual(9);
  for (const c of got.crops)
    expect(
      crops.map((x) => x.file),
      c.source,
    ).toContain(c.source);
  got.crops.forEach((c, i) => {
    expect(got.record.classNames[c.label], c.source).toBe(c.source.split('/')[2]);
    expect(got.codes[i], c.source).toBe(code[c.source.split('/')[1]]);
  });
  expect(await page.getByRole('list', { name: 'Zip import report' }).getByRole('listitem').allTextContents()).toContain(
    'set/notes.txt — not an image (png, jpg, webp, bmp or gif); ignored',
  );
});
