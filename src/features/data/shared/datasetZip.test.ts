import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  MAX_MANIFEST_IMAGES,
  MAX_PNG_BYTES,
  MAX_TOTAL_UNCOMPRESSED_BYTES,
  MAX_ZIP_ENTRIES,
  SPLIT_NAMES,
  checkZipEntries,
  classFolderNames,
  imagePath,
  parseManifest,
  readZipDirectory,
  safeEntryName,
  type ZipEntryInfo,
} from './datasetZip';
import { SPLIT_CODES } from '../../../db/schema';

const manifest = () => ({
  format: 'lookalike-lab-dataset',
  version: 1,
  name: 'Lookalikes',
  kind: 'photos',
  classNames: ['Asha', 'Bela'],
  seed: 7,
  images: [
    {
      file: 'train/Asha/000000.png',
      label: 0,
      split: 'train',
      source: 'a/1.jpg',
      score: 0.9,
      box: [1, 2, 3, 4],
      keypoints: [1, 2],
    },
    { file: 'test/Bela/000001.png', label: 1, split: 'test' },
    { file: 'validation/Bela/000002.png', label: 1, split: 'validation', extra: 'dropped' },
  ] as Array<Record<string, unknown>>,
});

const entry = (
  name: string,
  originalSize = 1000,
  size = originalSize,
  compression = size === originalSize ? 0 : 8,
): ZipEntryInfo => ({
  name,
  size,
  originalSize,
  compression,
});

describe('layout', () => {
  it('uses the split codes of the database as folder order', () => {
    SPLIT_NAMES.forEach((name, code) => expect(SPLIT_CODES[name]).toBe(code));
    expect(imagePath('validation', 'Asha', 42)).toBe('validation/Asha/000042.png');
  });

  it('keeps ordinary class names and makes any other a safe, distinct folder name', () => {
    expect(classFolderNames(['Asha', 'Bela'])).toEqual(['Asha', 'Bela']);
    expect(classFolderNames(['a/b', 'CON', '..', 'x', 'X', ' ', 'c:\\d'])).toEqual([
      'a_b',
      '_CON',
      'class_2',
      'x',
      'X_4',
      'class_5',
      'c__d',
    ]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 20 }), (names) => {
        const folders = classFolderNames(names);
        expect(folders.every((f) => safeEntryName(f) && !f.includes('/'))).toBe(true);
        expect(new Set(folders.map((f) => f.toLowerCase())).size).toBe(names.length);
      }),
    );
  });
});

describe('safeEntryName', () => {
  it.each(['manifest.json', 'train/Asha/000001.png', 'train/Asha/', 'a b/ü.png', '..a/b..'])('accepts %j', (name) => {
    expect(safeEntryName(name)).toBe(true);
  });
  it.each([
    '',
    '../evil.png',
    'train/../../evil',
    '/etc/passwd',
    'a\\b.png',
    'C:/x.png',
    'c:x',
    'a//b',
    'a/./b',
    './a',
    '.',
    'a/\u0000b',
    'a\nb',
    'a/b//',
  ])('rejects %j', (name) => {
    expect(safeEntryName(name)).toBe(false);
  });
});

describe('checkZipEntries', () => {
  it('accepts a normal dataset zip', () => {
    expect(() =>
      checkZipEntries([entry('manifest.json', 500_000, 40_000), entry('train/'), entry('train/Asha/000000.png', 9000)]),
    ).not.toThrow();
    // A tiny entry may compress far better than 100:1.
    expect(() => checkZipEntries([entry('notes.txt', 60_000, 100)])).not.toThrow();
  });

  it.each([
    [[entry('../evil.png')], /unsafe name/],
    [[entry('a.png'), entry('a.png')], /two entries named "a.png"/],
    [[entry('big.bin', 100_000, 100)], /compression ratio of 1000:1 \(limit 100:1\)/],
    [[entry('x.bin', 1000, 900, 14)], /compression method 14/],
    [[entry('x.png', 1000, 999, 0)], /stored but its two sizes differ/],
    [[{ ...entry('x.png'), flags: 1 }], /encrypted/],
    [[entry('x.png', MAX_PNG_BYTES + 1)], /limit is 262144/],
    [[entry('x.bin', 1000, 5000, 8)], /larger compressed than uncompressed/],
    [
      [entry('a.bin', MAX_TOTAL_UNCOMPRESSED_BYTES / 2 + 1), entry('b.bin', MAX_TOTAL_UNCOMPRESSED_BYTES / 2)],
      /unpack to 2\.0 GiB; the limit is 2 GiB/,
    ],
    [Array.from({ length: MAX_ZIP_ENTRIES + 1 }, (_, i) => entry(`${i}.png`, 10)), /65536 entries; the limit is 65535/],
  ])('rejects %#', (entries, error) => {
    expect(() => checkZipEntries(entries as ZipEntryInfo[])).toThrow(error);
  });
});

describe('readZipDirectory', () => {
  it('lists the entries of a zip without inflating them', () => {
    const zip = zipSync({
      'manifest.json': new Uint8Array(2000),
      'train/Asha/000000.png': [new Uint8Array(10), { level: 0 }],
    });
    const entries = readZipDirectory(zip);
    expect(entries.map((e) => [e.name, e.compression, e.originalSize])).toEqual([
      ['manifest.json', 8, 2000],
      ['train/Asha/000000.png', 0, 10],
    ]);
    expect(entries[0].size).toBeLessThan(100);
  });

  it('says what is wrong with something that is not a zip', () => {
    expect(() => readZipDirectory(new Uint8Array(100))).toThrow(/not a zip file/);
    expect(() => readZipDirectory(new Uint8Array(0))).toThrow(/not a zip file/);
    const zip = zipSync({ 'a.txt': new Uint8Array(10) });
    expect(() => readZipDirectory(zip.subarray(40))).toThrow(/truncated or corrupt/);
  });

  it('throws only Errors with a message, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, withEnd) => {
        // Half the time end with an end-of-directory signature, so the parser gets past the first check.
        const data = withEnd
          ? Uint8Array.from([...bytes, 0x50, 0x4b, 0x05, 0x06, ...bytes.slice(0, 18), ...new Uint8Array(18)])
          : bytes;
        try {
          checkZipEntries(readZipDirectory(data));
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseManifest', () => {
  it('returns a valid manifest typed, without unknown fields', () => {
    const m = parseManifest(manifest());
    expect(m.images[2]).toEqual({ file: 'validation/Bela/000002.png', label: 1, split: 'validation' });
    expect(m.images[0]).toEqual(manifest().images[0]);
    expect(m.classNames).toEqual(['Asha', 'Bela']);
  });

  const broken = (change: (m: ReturnType<typeof manifest>) => unknown) => {
    const m = manifest();
    return change(m) ?? m;
  };
  it.each([
    [() => [], /must be a JSON object/],
    [() => 'manifest', /must be a JSON object/],
    [(m) => ({ ...m, format: 'zip' }), /format "zip"; a Lookalike Lab dataset has "lookalike-lab-dataset"/],
    [(m) => ({ ...m, version: 2 }), /version 2; this version of Lookalike Lab reads version 1/],
    [(m) => ({ ...m, name: 5 }), /"name" must be a string/],
    [(m) => ({ ...m, kind: 'faces' }), /"kind" must be "synthetic" or "photos"/],
    [(m) => ({ ...m, classNames: ['Asha', 3] }), /class name 1 must be a non-empty string, not 3/],
    [(m) => ({ ...m, classNames: ['Asha', 'Asha'] }), /"Asha" appears twice/],
    [(m) => ({ ...m, seed: '7' }), /"seed" must be a number/],
    [(m) => ({ ...m, images: [] }), /lists no images/],
    [
      (m) => ({ ...m, images: new Array(MAX_MANIFEST_IMAGES + 1).fill(m.images[0]) }),
      /lists 200001 images; the limit is 200000/,
    ],
    [
      (m) => void (m.images[1].label = 2),
      /image 1 \("test\/Bela\/000001.png"\): label 2 is out of range \(2 classes: 0 to 1\)/,
    ],
    [(m) => void (m.images[1].label = 0.5), /label 0.5 is out of range/],
    [(m) => void (m.images[1].split = 'holdout'), /unknown split "holdout"/],
    [(m) => void delete m.images[1].file, /image 1 has no file name/],
    [(m) => void (m.images[1].file = 7), /image 1 has no file name/],
    [(m) => void (m.images[2].file = m.images[1].file), /the file is not in the folder of its split "validation"/],
    [(m) => void m.images.push({ ...m.images[1] }), /image 3 \("test\/Bela\/000001.png"\): the file is listed twice/],
    [(m) => void (m.images[1].file = 'test/Asha/000001.png'), /class folder "Asha" does not match label 1 \("Bela"\)/],
    [(m) => void (m.images[1].file = 'test/Bela/../000001.png'), /must be <split>\/<class>\/<name>.png/],
    [(m) => void (m.images[1].file = 'test/Bela/000001.jpg'), /must be <split>\/<class>\/<name>.png/],
    [(m) => void (m.images[1].source = 3), /"source" must be a string/],
    [(m) => void (m.images[1].score = 'high'), /"score" must be a number/],
    [(m) => void (m.images[1].box = [1, 2, 3]), /"box" must be 4 numbers/],
    [(m) => void (m.images[1].keypoints = [1, null]), /"keypoints" must be at most 64 numbers/],
    [(m) => void (m.images[1] = 'x' as never), /image 1 must be an object/],
  ] as Array<[(m: ReturnType<typeof manifest>) => unknown, RegExp]>)('rejects broken manifest %#', (change, error) => {
    expect(() => parseManifest(broken(change))).toThrow(error);
  });

  it('throws only Errors with a message, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        try {
          parseManifest(json);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
          expect((err as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
