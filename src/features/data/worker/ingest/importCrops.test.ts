import { decode, encode } from 'fast-png';
import { zipSync, type Zippable } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDataset, getSplit, readImages } from '../../../../db/datasets';
import { closeLabDb, openLabDb, type LabDatabase } from '../../../../db/open';
import { PIXELS_PER_IMAGE, SPLIT_CODES, STORES } from '../../../../db/schema';
import { generateFace } from '../../../../shared/synthetic/lookalikes';
import { hashSeed } from '../../../../shared/synthetic/rng';
import { inspectDatasetZip, plainZipFiles } from './datasetZipIo';
import { importCrops, type ImportCropsDeps } from './importCrops';

const DB = 'import-crops-test';
let db: LabDatabase;
let decodes = 0;
beforeEach(async () => {
  db = await openLabDb(DB);
  decodes = 0;
});
afterEach(async () => {
  await closeLabDb(DB);
  indexedDB.deleteDatabase(DB);
});

/** Nearest-neighbour resize of packed RGB (the browser's canvas resizes in the app; here any fixed rule will do). */
function resize(rgb: Uint8Array, width: number, height: number, size = 64): Uint8Array {
  const out = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const from = (Math.floor((y * height) / size) * width + Math.floor((x * width) / size)) * 3;
      out.set(rgb.subarray(from, from + 3), (y * size + x) * 3);
    }
  return out;
}

/** PNG-only decoder for Node (the app's is createImageBitmap + OffscreenCanvas in the worker). */
const deps = (): ImportCropsDeps => ({
  db,
  async decodeResized(blob) {
    decodes++;
    const png = decode(new Uint8Array(await blob.arrayBuffer()));
    if (png.channels !== 3 || png.depth !== 8) throw new Error(`unexpected PNG: ${png.channels} channels`);
    const rgb = new Uint8Array(png.data);
    return { width: png.width, height: png.height, rgb: resize(rgb, png.width, png.height) };
  },
  newId: () => 'crops-1',
  now: () => 0,
});

/** A distinct 64×64 face (label picks the lookalike), or a w×h picture when asked. */
function picture(label: number, k: number, width = 64, height = 64): { png: Uint8Array; rgb: Uint8Array } {
  const face = generateFace(hashSeed(5, label, k), label as 0 | 1).pixels;
  const rgb =
    width === 64 && height === 64
      ? face
      : Uint8Array.from({ length: width * height * 3 }, (_, i) => face[i % face.length] ^ (i % 7));
  return { png: encode({ width, height, data: rgb, channels: 3, depth: 8 }), rgb };
}

const corruptPng = () => {
  const png = picture(0, 99).png.slice(0, 60); // signature + IHDR, then cut
  return png;
};

describe('importCrops through a plain Keras-layout zip (no manifest)', () => {
  it('stores every good image under its class folder, resized to 64×64, reports the corrupt one and strays', async () => {
    const files: Zippable = { 'readme.txt': new TextEncoder().encode('hi') };
    const expected = new Map<string, Uint8Array>();
    for (const [label, name] of ['ann', 'ben'].entries()) {
      for (let k = 0; k < 12; k++) {
        // Every fourth a larger, non-square picture: stored as its 64×64 resize.
        const big = k % 4 === 3;
        const p = picture(label, k, big ? 96 : 64, big ? 80 : 64);
        files[`${name}/${k}.png`] = p.png;
        expected.set(`faces/${name}/${k}.png`, big ? resize(p.rgb, 96, 80) : p.rgb);
      }
    }
    files['ben/broken.png'] = corruptPng();
    const zip = zipSync(files);
    const contents = inspectDatasetZip(zip, 'faces.zip');
    if (contents.kind !== 'plain') throw new Error('expected a plain layout');
    const { layout } = contents;
    const r = await importCrops(deps(), {
      name: 'Crops: faces',
      classNames: layout.classNames,
      files: plainZipFiles(zip, layout),
      seed: 42,
      report: layout.report,
    });

    expect(r.count).toBe(24);
    expect(r.classCounts).toEqual([12, 12]);
    expect(r.report).toEqual([
      { file: 'readme.txt', reason: 'not an image (png, jpg, webp, bmp or gif); ignored' },
      { file: 'faces/ben/broken.png', reason: expect.stringMatching(/^could not decode PNG: /) },
    ]);
    const record = (await getDataset(db, r.datasetId))!;
    expect(record).toMatchObject({
      name: 'Crops: faces',
      kind: 'photos',
      classNames: ['ann', 'ben'],
      count: 24,
      classCounts: [12, 12],
      complete: true,
    });
    const stored = await readImages(
      db,
      r.datasetId,
      Array.from({ length: 24 }, (_, i) => i),
    );
    const chunk = (await db.get(STORES.images, [r.datasetId, 0]))!;
    expect(chunk.sources).toEqual([...expected.keys()]);
    [...expected.values()].forEach((rgb, i) => {
      expect(
        Buffer.from(stored.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE)).equals(Buffer.from(rgb)),
        `image ${i}`,
      ).toBe(true);
    });
    expect(Array.from(stored.labels)).toEqual([...Array(12).fill(0), ...Array(12).fill(1)]);
    // No split level: the group-aware 80/20 split, per class, no validation folder → no validation set.
    const split = (await getSplit(db, r.datasetId))!;
    expect(split.counts).toEqual(r.split);
    expect(split.counts).toEqual({ train: 20, test: 4, validation: 0 });
    for (const label of [0, 1])
      expect(
        Array.from(split.codes).filter((c, i) => stored.labels[i] === label && c === SPLIT_CODES.test),
      ).toHaveLength(2);
  });

  it('keeps a train/ test/ validation/ split, per folder', async () => {
    const files: Zippable = {};
    const want: number[] = [];
    const folders = ['train', 'train', 'test', 'validation', 'train'] as const;
    for (let k = 0; k < 10; k++) {
      const split = folders[k % 5];
      files[`kit/${split}/${k % 2 ? 'ben' : 'ann'}/${k}.png`] = picture(k % 2, k).png;
      want.push(SPLIT_CODES[split]);
    }
    const zip = zipSync(files);
    const contents = inspectDatasetZip(zip, 'ignored.zip');
    if (contents.kind !== 'plain') throw new Error('expected a plain layout');
    expect(contents.layout.splitLevel).toBe(true);
    const r = await importCrops(deps(), {
      name: 'x',
      classNames: contents.layout.classNames,
      files: plainZipFiles(zip, contents.layout),
      seed: 1,
    });
    expect(r.split).toEqual({ train: 6, test: 2, validation: 2 });
    expect(Array.from((await getSplit(db, r.datasetId))!.codes)).toEqual(want);
  });

  it('refuses a decompression bomb by its header without decoding it, and imports the rest', async () => {
    const bomb = new Uint8Array(
      encode({ width: 16384, height: 16, data: new Uint8Array((16384 / 8) * 16), channels: 1, depth: 1 }),
    );
    new DataView(bomb.buffer, bomb.byteOffset).setUint32(20, 16384); // IHDR height: 16384×16384 declared
    const zip = zipSync({ 'a/1.png': picture(0, 1).png, 'a/bomb.png': bomb, 'b/2.png': picture(1, 2).png });
    const contents = inspectDatasetZip(zip, 'z.zip');
    if (contents.kind !== 'plain') throw new Error('expected a plain layout');
    const r = await importCrops(deps(), {
      name: 'x',
      classNames: contents.layout.classNames,
      files: plainZipFiles(zip, contents.layout),
      seed: 1,
    });
    expect(r.count).toBe(2);
    expect(r.report).toEqual([
      { file: 'z/a/bomb.png', reason: 'too large: 16384×16384 (268 megapixels, limit 40) (refused before decoding)' },
    ]);
    expect(decodes).toBe(2);
  });

  it('stops on Cancel between files and deletes what it wrote', async () => {
    const files: Zippable = {};
    for (let k = 0; k < 40; k++) files[`${k % 2 ? 'b' : 'a'}/${k}.png`] = picture(k % 2, k).png;
    const zip = zipSync(files);
    const contents = inspectDatasetZip(zip, 'z.zip');
    if (contents.kind !== 'plain') throw new Error('expected a plain layout');
    const abort = new AbortController();
    const run = importCrops(
      deps(),
      { name: 'x', classNames: contents.layout.classNames, files: plainZipFiles(zip, contents.layout), seed: 1 },
      (p) => p.done === 3 && abort.abort(),
      abort.signal,
    );
    await expect(run).rejects.toThrow(/abort/i);
    expect(decodes).toBeLessThan(12); // the 8 lanes stop at their next file, far before 40
    expect(await db.getAll(STORES.datasets)).toEqual([]);
    expect(await db.getAll(STORES.images)).toEqual([]);
  });

  it('stores nothing when no image can be used', async () => {
    const zip = zipSync({ 'a/1.png': corruptPng(), 'b/2.png': new TextEncoder().encode('not a png') });
    const contents = inspectDatasetZip(zip, 'z.zip');
    if (contents.kind !== 'plain') throw new Error('expected a plain layout');
    await expect(
      importCrops(deps(), {
        name: 'x',
        classNames: contents.layout.classNames,
        files: plainZipFiles(zip, contents.layout),
        seed: 1,
      }),
    ).rejects.toThrow(/^None of the 2 images could be used \(could not decode PNG: .*; nothing was stored\.$/);
    expect(await db.getAll(STORES.datasets)).toEqual([]);
    expect(await db.getAll(STORES.images)).toEqual([]);
  });

  it("a zip with manifest.json is the app's export; without one, images over 256 KiB are allowed", () => {
    expect(
      inspectDatasetZip(zipSync({ 'manifest.json': new Uint8Array(2), 'train/a/1.png': new Uint8Array(1) }), 'z.zip'),
    ).toEqual({ kind: 'manifest' });
    const large = zipSync({
      'a/1.png': [new Uint8Array(300_000).map((_, i) => (i * 7919) % 251), { level: 0 }],
      'b/1.png': new Uint8Array(3),
    });
    expect(inspectDatasetZip(large, 'z.zip')).toMatchObject({ kind: 'plain', layout: { classNames: ['a', 'b'] } });
    expect(() =>
      inspectDatasetZip(
        zipSync({ 'a/1.png': [new Uint8Array(300_000), { level: 0 }], 'manifest.json': new Uint8Array(2) }),
        'z.zip',
      ),
    ).toThrow(/"a\/1.png" is 300000 bytes; the limit is 262144/);
  });
});
