import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { decode, encode } from 'fast-png';
import { strFromU8, unzipSync, zipSync, type Unzipped } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../../../db/chunkWriter';
import { getChunk, getDataset, getSplit, putChunk, putDataset, putSplit, readImages } from '../../../../db/datasets';
import { closeLabDb, openLabDb, type LabDatabase } from '../../../../db/open';
import { CHUNK_SIZE, STORES, type ImageChunkRecord } from '../../../../db/schema';
import { readZipDirectory, REJECTED_SPLIT_CODE, type DatasetManifest } from '../../shared/datasetZip';
import { generateLookalikes } from '../../../../shared/synthetic/lookalikes';
import { Rng } from '../../../../shared/synthetic/rng';
import { exportDatasetZip, importDatasetZip, type ImportZipDeps } from './datasetZipIo';

const DB = 'dataset-zip-test';
const COUNT = 300;

const encodePng = async (rgb: Uint8Array, width: number, height: number) =>
  encode({ width, height, data: rgb, channels: 3, depth: 8 });
async function decodePng(bytes: Uint8Array) {
  const png = decode(bytes);
  if (png.depth !== 8 || png.channels !== 3)
    throw new Error(`unexpected PNG format: ${png.channels} channels of ${png.depth} bits`);
  return { width: png.width, height: png.height, rgb: new Uint8Array(png.data) };
}

let db: LabDatabase;
let ids = 0;
const importDeps = (): ImportZipDeps => ({ db, decodePng, newId: () => `import-${++ids}` });

/** Split code of image i of the source dataset: mostly train, some test and validation, a few rejected. */
const codeOf = (i: number) => (i % 37 === 5 ? REJECTED_SPLIT_CODE : i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2);

async function writeDataset(id: string, count: number, photos: boolean): Promise<void> {
  const faces = generateLookalikes(count, id.length);
  const writer = new ChunkWriter(db, id);
  for (const [i, f] of faces.entries()) {
    const extras = photos
      ? { source: `photos/${f.label}/${i}.jpg`, score: 0.5 + i / 1000, box: [i, 2 * i, 30, 40] as const }
      : {};
    await writer.add(f.pixels, f.label, extras);
  }
  await writer.flush();
  if (photos) {
    // Keypoints are not (yet) a schema field: the exporter reads them when a chunk has them.
    const chunk = (await getChunk(db, id, 0))!;
    const keypoints = Float32Array.from({ length: chunk.count * 12 }, (_, k) => k / 4);
    await putChunk(db, { ...chunk, keypoints } as ImageChunkRecord);
  }
  const codes = Uint8Array.from({ length: count }, (_, i) => codeOf(i));
  const counts = { train: 0, test: 0, validation: 0 };
  codes.forEach((c) => c < 3 && counts[(['train', 'test', 'validation'] as const)[c]]++);
  await putSplit(db, { datasetId: id, seed: 99, codes, counts });
  const classCounts = [0, 1].map((l) => faces.filter((f) => f.label === l).length);
  await putDataset(db, {
    id,
    name: `set ${id}`,
    kind: photos ? 'photos' : 'synthetic',
    classNames: ['Asha', 'Bela'],
    createdAt: 1.7e12,
    count,
    classCounts,
    seed: 99,
    complete: true,
  });
}

const digest = (bytes: ArrayBufferView) =>
  createHash('sha256')
    .update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    .digest('hex');
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * Everything in the dataset stores as one string (typed arrays by their SHA-256: comparing megabytes
 * element by element is slow), except what `skip` says (datasets made by a test that may succeed).
 */
async function snapshot(skip: (datasetId: string) => boolean = () => false): Promise<string> {
  const [datasets, images, splits] = await Promise.all([
    db.getAll(STORES.datasets),
    db.getAll(STORES.images),
    db.getAll(STORES.splits),
  ]);
  const all = {
    datasets: datasets.filter((d) => !skip(d.id)),
    images: images.filter((c) => !skip(c.datasetId)),
    splits: splits.filter((s) => !skip(s.datasetId)),
  };
  return JSON.stringify(all, (_, v: unknown) => (ArrayBuffer.isView(v) ? digest(v) : v));
}

function rezip(zip: Uint8Array, change: (files: Unzipped, manifest: DatasetManifest) => void): Uint8Array {
  const files = unzipSync(zip);
  const manifest = JSON.parse(strFromU8(files['manifest.json'])) as DatasetManifest;
  change(files, manifest);
  files['manifest.json'] = new TextEncoder().encode(JSON.stringify(manifest));
  return zipSync(files);
}

let source: Uint8Array;
let tiny: Uint8Array;

beforeAll(async () => {
  db = await openLabDb(DB);
  await writeDataset('src', COUNT, true);
  await writeDataset('other', 20, false);
  source = await exportDatasetZip({ db, encodePng }, 'src');
  tiny = await exportDatasetZip({ db, encodePng }, 'other');
});

afterAll(async () => {
  await closeLabDb(DB);
  indexedDB.deleteDatabase(DB);
});

describe('exportDatasetZip', () => {
  it('writes the Keras folder layout and a manifest, leaves rejected images out, and is deterministic', async () => {
    const names = readZipDirectory(source).map((e) => e.name);
    expect(names.slice(0, 6)).toEqual([
      'train/Asha/',
      'train/Bela/',
      'test/Asha/',
      'test/Bela/',
      'validation/Asha/',
      'validation/Bela/',
    ]);
    expect(names.at(-1)).toBe('manifest.json');
    const manifest = JSON.parse(strFromU8(unzipSync(source)['manifest.json'])) as DatasetManifest;
    const kept = Array.from({ length: COUNT }, (_, i) => i).filter((i) => codeOf(i) !== REJECTED_SPLIT_CODE);
    expect(manifest).toMatchObject({
      format: 'lookalike-lab-dataset',
      version: 1,
      name: 'set src',
      kind: 'photos',
      classNames: ['Asha', 'Bela'],
      seed: 99,
    });
    expect(manifest.images).toHaveLength(kept.length);
    expect(names.filter((n) => n.endsWith('.png'))).toEqual(manifest.images.map((im) => im.file));
    expect(manifest.images[1]).toMatchObject({
      file: 'train/Bela/000001.png',
      label: 1,
      split: 'train',
      source: 'photos/1/1.jpg',
      box: [1, 2, 30, 40],
    });
    expect(manifest.images[0].keypoints).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.25, 2.5, 2.75]);
    expect(manifest.images.at(-1)!.keypoints).toBeUndefined(); // chunk 1 has none
    expect(manifest.images.some((im) => im.file.endsWith('/000005.png'))).toBe(false);
    const progress: number[] = [];
    expect(sameBytes(await exportDatasetZip({ db, encodePng }, 'src', (p) => progress.push(p.done)), source)).toBe(
      true,
    );
    expect(progress).toEqual([CHUNK_SIZE, COUNT]);
  });

  it('refuses a dataset that is missing or still being written', async () => {
    await expect(exportDatasetZip({ db, encodePng }, 'nope')).rejects.toThrow('There is no dataset nope.');
    await putDataset(db, { ...(await getDataset(db, 'other'))!, id: 'partial', complete: false });
    await expect(exportDatasetZip({ db, encodePng }, 'partial')).rejects.toThrow(/still being written/);
    await db.delete(STORES.datasets, 'partial');
  });
});

describe('importDatasetZip', () => {
  it('round-trips pixels, labels, split codes, seed and per-image extras', async () => {
    const progress: number[] = [];
    const r = await importDatasetZip(importDeps(), source, (p) => progress.push(p.done));
    const kept = Array.from({ length: COUNT }, (_, i) => i).filter((i) => codeOf(i) !== REJECTED_SPLIT_CODE);
    expect(r).toEqual({ datasetId: 'import-1', count: kept.length, report: [] });
    expect(progress).toEqual([0, CHUNK_SIZE, kept.length]);

    const original = await readImages(db, 'src', kept);
    const copy = await readImages(
      db,
      r.datasetId,
      kept.map((_, k) => k),
    );
    expect(sameBytes(copy.pixels, original.pixels)).toBe(true);
    expect(copy.labels).toEqual(original.labels);
    const split = (await getSplit(db, r.datasetId))!;
    const originalSplit = (await getSplit(db, 'src'))!;
    expect(split.codes).toEqual(Uint8Array.from(kept, (i) => originalSplit.codes[i]));
    expect(split.counts).toEqual(originalSplit.counts);
    expect(split.seed).toBe(99);
    const record = (await getDataset(db, r.datasetId))!;
    expect(record).toMatchObject({
      name: 'set src',
      kind: 'photos',
      classNames: ['Asha', 'Bela'],
      count: kept.length,
      seed: 99,
      complete: true,
    });
    expect(record.classCounts).toEqual([0, 1].map((l) => original.labels.filter((x) => x === l).length));

    const extras = async (id: string, indices: number[]) => {
      const out: Array<[string, number, number[]]> = [];
      for (const i of indices) {
        const chunk = (await getChunk(db, id, Math.floor(i / CHUNK_SIZE)))!;
        const k = i % CHUNK_SIZE;
        out.push([chunk.sources![k], chunk.scores![k], Array.from(chunk.boxes!.subarray(k * 4, k * 4 + 4))]);
      }
      return out;
    };
    expect(
      await extras(
        r.datasetId,
        kept.map((_, k) => k),
      ),
    ).toEqual(await extras('src', kept));
  });

  it('imports a zip of the dataset folder (everything one folder down) and reports stray files', async () => {
    const files = unzipSync(tiny);
    const nested: Unzipped = { 'notes.txt': new Uint8Array(3), '__MACOSX/._x': new Uint8Array(1) };
    for (const [name, bytes] of Object.entries(files)) nested[`my-set/${name}`] = bytes;
    const r = await importDatasetZip(importDeps(), zipSync(nested));
    expect(r.count).toBe(19);
    expect(r.report).toEqual([{ file: 'notes.txt', reason: 'not listed in manifest.json; ignored' }]);
  });

  const failures: Array<[string, () => Uint8Array, RegExp]> = [
    [
      'a zip-slip entry name',
      () => rezip(source, (f) => void (f['../evil.png'] = new Uint8Array(10))),
      /The zip entry "..\/evil.png" has an unsafe name/,
    ],
    [
      'an entry compressed 1000:1',
      () => rezip(source, (f) => void (f['padding.bin'] = new Uint8Array(1_000_000))),
      /"padding.bin" claims a compression ratio of \d{3,}:1 \(limit 100:1\): refusing a possible zip bomb/,
    ],
    [
      'a manifest with a bad label',
      () => rezip(source, (_, m) => void (m.images[5].label = 7)),
      /manifest.json image 5 \("train\/Asha\/000006.png"\): label 7 is out of range/,
    ],
    [
      'a manifest that is not JSON',
      () => zipSync({ ...unzipSync(tiny), 'manifest.json': new Uint8Array([123, 44]) }),
      /manifest.json is not valid JSON/,
    ],
    ['no manifest', () => zipSync({ 'train/a.png': new Uint8Array(3) }), /The zip has no manifest.json/],
    [
      'a 10 MB nested manifest',
      () =>
        zipSync({
          ...unzipSync(tiny),
          'manifest.json': [new TextEncoder().encode('['.repeat(5_000_000) + ']'.repeat(5_000_000)), { level: 0 }],
        }),
      /^manifest.json nests more than 16 levels deep \(files we write use far fewer\); refusing it.$/,
    ],
    [
      'a 65×64 PNG in the second chunk',
      () =>
        rezip(
          source,
          (f, m) =>
            void (f[m.images[280].file] = new Uint8Array(
              encode({ width: 65, height: 64, data: new Uint8Array(65 * 64 * 3), channels: 3 }),
            )),
        ),
      /"(train|test|validation)\/\w+\/000\d{3}.png" declares 65×64 pixels; every image must be 64×64 \(refused before decoding\)/,
    ],
    [
      'a PNG that is not one',
      () => rezip(source, (f, m) => void (f[m.images[3].file] = new Uint8Array(50))),
      /"train\/Bela\/000003.png" is not a readable PNG/,
    ],
    [
      'a missing PNG',
      () => rezip(source, (f, m) => void delete f[m.images[3].file]),
      /"train\/Bela\/000003.png" is listed in manifest.json but missing from the zip/,
    ],
    [
      'a header that under-states the inflated size',
      () =>
        understated(
          rezip(tiny, () => {}),
          'manifest.json',
        ),
      /"manifest.json" inflates to more than the \d+ bytes its header says/,
    ],
    ['random bytes', () => randomBytes(1000), /not a zip file/],
  ];

  it.each(failures)('rejects %s with a clear message and leaves the database as it was', async (_, make, error) => {
    const before = await snapshot();
    await expect(importDatasetZip(importDeps(), make())).rejects.toThrow(error);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a decompression bomb by its header, before any decode (issue 18)', async () => {
    // A 1-bit PNG declaring 16384×16384 (the browser would allocate 1 GB decoding it): signature, IHDR, a tiny IDAT, IEND.
    const bomb = new Uint8Array(
      encode({ width: 16384, height: 16, data: new Uint8Array((16384 / 8) * 16), channels: 1, depth: 1 }),
    );
    new DataView(bomb.buffer, bomb.byteOffset).setUint32(20, 16384); // IHDR height (CRC no longer matches: never decoded)
    let decodes = 0;
    const counting: ImportZipDeps = { ...importDeps(), decodePng: async (b) => (decodes++, decodePng(b)) };
    const before = await snapshot();
    const zip = rezip(source, (f, m) => {
      for (const k of [0, 1, 2, 3, 4, 5, 6, 7]) f[m.images[k * 30].file] = bomb;
    });
    await expect(importDatasetZip(counting, zip)).rejects.toThrow(
      /declares 16384×16384 pixels; every image must be 64×64 \(refused before decoding\)/,
    );
    expect(await snapshot()).toEqual(before);
    expect(decodes).toBeLessThanOrEqual(8); // the bombs never reach the decoder; a few good ones decoded beside the first
  });

  it('stops when cancelled, deleting what it wrote', async () => {
    const before = await snapshot();
    const abort = new AbortController();
    const run = importDatasetZip(importDeps(), source, (p) => p.done >= CHUNK_SIZE && abort.abort(), abort.signal);
    await expect(run).rejects.toThrow(/abort/i);
    expect(await snapshot()).toEqual(before);
  });

  it('never hangs and throws only Errors with a message on random bytes or mutated zips', async () => {
    const before = await snapshot((id) => id.startsWith('import-'));
    const check = async (zip: Uint8Array) => {
      try {
        await importDatasetZip(importDeps(), zip);
      } catch (err) {
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message.length).toBeGreaterThan(0);
      }
    };
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), check), { numRuns: 50 });
    const edit = fc.record({ at: fc.nat({ max: tiny.length - 1 }), value: fc.integer({ min: 0, max: 255 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        fc.nat({ max: tiny.length }),
        fc.boolean(),
        async (edits, cut, truncate) => {
          const zip = tiny.slice(0, truncate ? cut : tiny.length);
          for (const { at, value } of edits) if (at < zip.length) zip[at] = value;
          await check(zip);
        },
      ),
      { numRuns: 50 },
    );
    expect(await snapshot((id) => id.startsWith('import-'))).toEqual(before);
  });
});

function randomBytes(n: number): Uint8Array {
  const rng = new Rng(3);
  return Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));
}

/** The zip with one entry's central-directory "uncompressed size" halved (a lying header). */
function understated(zip: Uint8Array, name: string): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const entry = readZipDirectory(out).find((e) => e.name === name)!;
  const nameBytes = new TextEncoder().encode(name);
  // The central header is the last occurrence of the name, 46 bytes after the header's start.
  for (let at = out.length - nameBytes.length; at >= 0; at--) {
    if (nameBytes.every((b, k) => out[at + k] === b) && view.getUint32(at - 46, true) === 0x02014b50) {
      view.setUint32(at - 46 + 24, Math.floor(entry.originalSize / 2), true);
      return out;
    }
  }
  throw new Error('central header not found');
}
