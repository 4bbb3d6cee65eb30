/**
 * The dataset zip: layout, manifest and safety checks, pure and thread-neutral (src/features/data/worker/ingest/datasetZipIo.ts
 * does the reading and writing). The layout is Keras' `image_dataset_from_directory` one, per split:
 *
 *   manifest.json                      what Lookalike Lab needs to rebuild the dataset exactly
 *   train/<class>/<NNNNNN>.png         NNNNNN = the image's index in the dataset, 6 digits
 *   test/<class>/…   validation/<class>/…
 *
 * so `image_dataset_from_directory('train', class_names=manifest['classNames'], image_size=(64, 64))` loads
 * a split (pass class_names: Keras otherwise numbers the class folders alphabetically). Images whose split
 * code is REJECTED_SPLIT_CODE are not written.
 *
 * A zip from outside is untrusted: every entry name is checked (zip-slip), and sizes, counts and compression
 * ratios are checked from the central directory before anything is inflated (zip bombs). Header sizes can
 * lie, so the reader also inflates into a buffer of the header's size + 1 byte and refuses an entry that
 * fills it (see readZipEntry in datasetZipIo.ts): the header is the cap, not a promise.
 */
import { strFromU8 } from 'fflate';
import type { SplitName } from '../../../shared/protocol';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'lookalike-lab-dataset';
export const MANIFEST_VERSION = 1;
/** Folder names by split code (the order of SPLIT_CODES in db/schema.ts: 0 train, 1 test, 2 validation). */
export const SPLIT_NAMES = ['train', 'test', 'validation'] as const satisfies readonly SplitName[];
/** Split code of an image left out of every split (e.g. a duplicate); such images are not exported. */
export const REJECTED_SPLIT_CODE = 3;
export const MAX_MANIFEST_IMAGES = 200_000;
/** Labels are stored in a Uint8Array. */
export const MAX_CLASSES = 256;

/**
 * Zip-bomb limits, applied to the central directory before inflating anything.
 * - Entries: the classic zip format holds 65,535 (fflate's streaming Zip writes no ZIP64), so an exported
 *   zip holds at most 65,534 images besides the manifest.
 * - Total: 2 GiB uncompressed, well above 65,534 PNGs of 64×64 (≈ 10 KB each, 650 MB) and below what a
 *   tab can hold.
 * - Ratio: deflate reaches ~1,000:1 on crafted data; real manifests compress ~10:1 and PNGs ~1:1, so any
 *   entry larger than RATIO_FREE_BYTES must stay within 100:1. Tiny entries are exempt: a 1 KB file of
 *   spaces legitimately deflates 100:1 and cannot hurt.
 * - Per entry: a 64×64 PNG is ≤ 33 KB even as 16-bit RGBA stored uncompressed; 256 KiB leaves room for
 *   metadata chunks. The manifest is ≈ 100–300 bytes an image; 128 MiB covers 200,000 with keypoints.
 */
export const MAX_ZIP_ENTRIES = 65_535;
export const MAX_TOTAL_UNCOMPRESSED_BYTES = 2 * 1024 ** 3;
export const MAX_COMPRESSION_RATIO = 100;
export const RATIO_FREE_BYTES = 64 * 1024;
export const MAX_PNG_BYTES = 256 * 1024;
export const MAX_MANIFEST_BYTES = 128 * 1024 * 1024;
/**
 * A zip without manifest.json (a plain Keras layout) holds images of any size, resized on import: each up to
 * 32 MiB (a 40-megapixel photo as a high-quality JPEG is ≈ 15–20 MB; the 40-megapixel limit applies too, from
 * the header, before decoding).
 */
export const MAX_PLAIN_IMAGE_BYTES = 32 * 1024 * 1024;
/** The image files a plain layout holds: the types the browser decodes and Keras reads from a folder. */
export const IMAGE_FILE = /\.(png|jpe?g|webp|bmp|gif)$/i;

export interface ManifestImage {
  /** Path inside the zip: `<split>/<class folder>/<name>.png`. */
  file: string;
  label: number;
  split: SplitName;
  source?: string;
  score?: number;
  /** x, y, width, height in the source photo's pixels. */
  box?: [number, number, number, number];
  keypoints?: number[];
}

export interface DatasetManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  name: string;
  kind: 'synthetic' | 'photos';
  classNames: string[];
  seed: number;
  /** In dataset order. */
  images: ManifestImage[];
}

/** What a zip's central directory says about one entry (the shape of fflate's UnzipFileInfo). */
export interface ZipEntryInfo {
  name: string;
  /** Compressed size in bytes. */
  size: number;
  originalSize: number;
  /** 0 stored, 8 deflate. */
  compression: number;
}

export interface ZipEntry extends ZipEntryInfo {
  /** CRC-32 of the uncompressed bytes. */
  crc: number;
  /** General-purpose flags (bit 0: encrypted). */
  flags: number;
  /** Offset of the entry's local header in the zip. */
  localOffset: number;
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * Folder name of each class: the class name with characters no file system takes (/ \ : * ? " < > |,
 * control characters) replaced by _, trailing dots and spaces dropped, Windows device names prefixed, and
 * names that collide (ignoring case, as macOS and Windows do) suffixed with the label.
 */
export function classFolderNames(classNames: readonly string[]): string[] {
  const used = new Set<string>();
  return classNames.map((name, label) => {
    // eslint-disable-next-line no-control-regex
    let folder = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_').replace(/[. ]+$/, '');
    if (folder === '') folder = `class_${label}`;
    if (WINDOWS_RESERVED.test(folder)) folder = `_${folder}`;
    const base = folder;
    for (let n = 1; used.has(folder.toLowerCase()); n++)
      folder = n === 1 ? `${base}_${label}` : `${base}_${label}_${n}`;
    used.add(folder.toLowerCase());
    return folder;
  });
}

/** `<split>/<folder>/<index, 6 digits>.png` */
export function imagePath(split: SplitName, folder: string, index: number): string {
  return `${split}/${folder}/${String(index).padStart(6, '0')}.png`;
}

/**
 * True when a zip entry name is a plain relative path: not empty, not absolute, no backslash, no drive letter
 * or other colon, no control character, no empty, `.` or `..` segment. One trailing `/` (a directory entry)
 * is allowed.
 */
export function safeEntryName(path: string): boolean {
  if (typeof path !== 'string' || path.length === 0 || path.length > 1024) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\\:\u0000-\u001f\u007f]/.test(path) || path.startsWith('/')) return false;
  const segments = (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
  return segments.every((s) => s !== '' && s !== '.' && s !== '..');
}

/**
 * The entries listed in a zip's central directory, read without inflating anything. Only what Lookalike Lab
 * writes and common tools produce is accepted: one disk, no ZIP64 (see MAX_ZIP_ENTRIES). Throws an Error
 * saying what is wrong for anything else, including any structure pointing outside the bytes.
 */
export function readZipDirectory(zip: Uint8Array): ZipEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  let eocd = -1;
  // The end record is 22 bytes plus a comment of up to 65,535.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 65_535); at--) {
    if (u32(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('This is not a zip file (no end-of-central-directory record).');
  if (u16(eocd + 4) !== 0 || u16(eocd + 6) !== 0) throw new Error('Zips split over several files are not supported.');
  const count = u16(eocd + 10);
  const dirSize = u32(eocd + 12);
  const dirStart = u32(eocd + 16);
  if ((eocd >= 20 && u32(eocd - 20) === 0x07064b50) || dirStart === 0xffffffff) {
    throw new Error(`ZIP64 zips (over ${MAX_ZIP_ENTRIES} entries or 4 GB) are not supported.`);
  }
  if (dirStart + dirSize > eocd)
    throw new Error('The zip is truncated or corrupt (its directory lies outside the file).');
  const entries: ZipEntry[] = [];
  let at = dirStart;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dirStart + dirSize || u32(at) !== 0x02014b50)
      throw new Error(`The zip's directory is corrupt at entry ${i}.`);
    const flags = u16(at + 8);
    const nameLength = u16(at + 28);
    const end = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (end > dirStart + dirSize) throw new Error(`The zip's directory is corrupt at entry ${i}.`);
    entries.push({
      // Bit 11: UTF-8 name; otherwise a legacy code page, read as Latin-1 (what fflate does too).
      name: strFromU8(zip.subarray(at + 46, at + 46 + nameLength), !(flags & 0x800)),
      flags,
      compression: u16(at + 10),
      crc: u32(at + 16),
      size: u32(at + 20),
      originalSize: u32(at + 24),
      localOffset: u32(at + 42),
    });
    at = end;
  }
  return entries;
}

const isBaseName = (name: string) => name === MANIFEST_FILE || name.endsWith(`/${MANIFEST_FILE}`);

/**
 * Throws an Error saying what is wrong when the central directory describes a dangerous or unusable zip.
 * `plain`: a zip without manifest.json, whose images may be larger than 64×64 (MAX_PLAIN_IMAGE_BYTES each).
 */
export function checkZipEntries(entries: ReadonlyArray<ZipEntryInfo & { flags?: number }>, plain = false): void {
  if (entries.length > MAX_ZIP_ENTRIES) {
    throw new Error(`The zip has ${entries.length} entries; the limit is ${MAX_ZIP_ENTRIES}.`);
  }
  let total = 0;
  const names = new Set<string>();
  for (const e of entries) {
    if (!safeEntryName(e.name))
      throw new Error(
        `The zip entry "${printable(e.name)}" has an unsafe name (absolute, "..", backslash, drive letter or control character).`,
      );
    if (names.has(e.name)) throw new Error(`The zip has two entries named "${e.name}".`);
    names.add(e.name);
    if ((e.flags ?? 0) & 1) throw new Error(`The zip entry "${e.name}" is encrypted.`);
    if (e.compression !== 0 && e.compression !== 8)
      throw new Error(
        `The zip entry "${e.name}" uses compression method ${e.compression}; only stored (0) and deflate (8) are supported.`,
      );
    if (!Number.isSafeInteger(e.size) || !Number.isSafeInteger(e.originalSize) || e.size < 0 || e.originalSize < 0) {
      throw new Error(`The zip entry "${e.name}" has invalid sizes.`);
    }
    if (e.compression === 0 && e.size !== e.originalSize)
      throw new Error(`The zip entry "${e.name}" is stored but its two sizes differ.`);
    if (e.originalSize > RATIO_FREE_BYTES && e.originalSize > MAX_COMPRESSION_RATIO * e.size) {
      const ratio = Math.round(e.originalSize / Math.max(1, e.size));
      throw new Error(
        `The zip entry "${e.name}" claims a compression ratio of ${ratio}:1 (limit ${MAX_COMPRESSION_RATIO}:1): refusing a possible zip bomb.`,
      );
    }
    // Deflate never expands data by more than ~0.03 % plus a few bytes; more is padding to waste our time.
    if (e.size > e.originalSize + Math.floor(e.originalSize / 1024) + 64)
      throw new Error(`The zip entry "${e.name}" is larger compressed than uncompressed.`);
    const limit = plain
      ? IMAGE_FILE.test(e.name)
        ? MAX_PLAIN_IMAGE_BYTES
        : Infinity
      : e.name.endsWith('.png')
        ? MAX_PNG_BYTES
        : isBaseName(e.name)
          ? MAX_MANIFEST_BYTES
          : Infinity;
    if (e.originalSize > limit)
      throw new Error(`The zip entry "${e.name}" is ${e.originalSize} bytes; the limit is ${limit}.`);
    total += e.originalSize;
  }
  if (total > MAX_TOTAL_UNCOMPRESSED_BYTES) {
    throw new Error(
      `The zip would unpack to ${(total / 1024 ** 3).toFixed(1)} GiB; the limit is ${MAX_TOTAL_UNCOMPRESSED_BYTES / 1024 ** 3} GiB.`,
    );
  }
}

// eslint-disable-next-line no-control-regex
const printable = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 200);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const quote = (v: unknown) =>
  typeof v === 'string' ? `"${printable(v)}"` : String(JSON.stringify(v) ?? v).slice(0, 80);

/**
 * Validates a parsed manifest.json and returns it typed (a fresh object: unknown fields are dropped). Throws
 * an Error whose message says what is wrong and where, for the UI.
 */
export function parseManifest(json: unknown): DatasetManifest {
  if (!isObject(json)) throw new Error('manifest.json must be a JSON object.');
  if (json.format !== MANIFEST_FORMAT) {
    throw new Error(
      `manifest.json has format ${quote(json.format)}; a Lookalike Lab dataset has "${MANIFEST_FORMAT}".`,
    );
  }
  if (json.version !== MANIFEST_VERSION) {
    throw new Error(
      `manifest.json is version ${quote(json.version)}; this version of Lookalike Lab reads version ${MANIFEST_VERSION}.`,
    );
  }
  const { name, kind, classNames, seed, images } = json;
  if (typeof name !== 'string') throw new Error('manifest.json: "name" must be a string.');
  if (kind !== 'synthetic' && kind !== 'photos')
    throw new Error(`manifest.json: "kind" must be "synthetic" or "photos", not ${quote(kind)}.`);
  if (!Array.isArray(classNames) || classNames.length < 1 || classNames.length > MAX_CLASSES) {
    throw new Error(`manifest.json: "classNames" must be a list of 1 to ${MAX_CLASSES} names.`);
  }
  classNames.forEach((c, i) => {
    if (typeof c !== 'string' || c.trim() === '')
      throw new Error(`manifest.json: class name ${i} must be a non-empty string, not ${quote(c)}.`);
    if (classNames.indexOf(c) !== i) throw new Error(`manifest.json: the class name "${printable(c)}" appears twice.`);
  });
  if (!isFiniteNumber(seed)) throw new Error('manifest.json: "seed" must be a number.');
  if (!Array.isArray(images)) throw new Error('manifest.json: "images" must be a list.');
  if (images.length === 0) throw new Error('manifest.json lists no images.');
  if (images.length > MAX_MANIFEST_IMAGES) {
    throw new Error(`manifest.json lists ${images.length} images; the limit is ${MAX_MANIFEST_IMAGES}.`);
  }
  const folders = classFolderNames(classNames as string[]);
  const seen = new Set<string>();
  const out = images.map((raw, i): ManifestImage => {
    const where = (file?: string) => `manifest.json image ${i}${file ? ` ("${printable(file)}")` : ''}`;
    if (!isObject(raw)) throw new Error(`${where()} must be an object.`);
    const { file, label, split, source, score, box, keypoints } = raw;
    if (typeof file !== 'string' || file === '') throw new Error(`${where()} has no file name.`);
    if (!Number.isInteger(label) || (label as number) < 0 || (label as number) >= classNames.length) {
      throw new Error(
        `${where(file)}: label ${quote(label)} is out of range (${classNames.length} classes: 0 to ${classNames.length - 1}).`,
      );
    }
    if (!(SPLIT_NAMES as readonly unknown[]).includes(split)) {
      throw new Error(`${where(file)}: unknown split ${quote(split)} (train, test or validation).`);
    }
    const parts = file.split('/');
    const folder = folders[label as number];
    if (!safeEntryName(file) || parts.length !== 3 || !file.endsWith('.png')) {
      throw new Error(`${where(file)}: the file must be <split>/<class>/<name>.png.`);
    }
    if (parts[0] !== split)
      throw new Error(`${where(file)}: the file is not in the folder of its split "${split as string}".`);
    if (parts[1] !== folder)
      throw new Error(
        `${where(file)}: the class folder "${printable(parts[1])}" does not match label ${label as number} ("${folder}").`,
      );
    if (seen.has(file)) throw new Error(`${where(file)}: the file is listed twice.`);
    seen.add(file);
    const image: ManifestImage = { file, label: label as number, split: split as SplitName };
    if (source !== undefined) {
      if (typeof source !== 'string') throw new Error(`${where(file)}: "source" must be a string.`);
      image.source = source;
    }
    if (score !== undefined) {
      if (!isFiniteNumber(score)) throw new Error(`${where(file)}: "score" must be a number.`);
      image.score = score;
    }
    if (box !== undefined) {
      if (!Array.isArray(box) || box.length !== 4 || !box.every(isFiniteNumber))
        throw new Error(`${where(file)}: "box" must be 4 numbers [x, y, width, height].`);
      image.box = [box[0], box[1], box[2], box[3]];
    }
    if (keypoints !== undefined) {
      if (!Array.isArray(keypoints) || keypoints.length > 64 || !keypoints.every(isFiniteNumber)) {
        throw new Error(`${where(file)}: "keypoints" must be at most 64 numbers.`);
      }
      image.keypoints = [...keypoints];
    }
    return image;
  });
  return {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    name,
    kind,
    classNames: [...(classNames as string[])],
    seed,
    images: out,
  };
}
