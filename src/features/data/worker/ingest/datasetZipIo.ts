/**
 * Dataset zip export and import, worker-side (layout, manifest and limits: shared/datasetZip.ts). The database
 * and the PNG codec are injected, so this runs in any worker and in Node tests.
 *
 * Export streams entries into fflate's `Zip`, one chunk of images at a time: PNGs are already compressed, so
 * they are stored (ZipPassThrough); only the manifest is deflated. Import checks every name and size from the
 * central directory, parses and validates the manifest and checks that every listed PNG is there BEFORE it
 * writes anything; then it writes like any ingest (chunks, split, then `complete: true`). Any failure after
 * that deletes the partial dataset; other datasets are never touched.
 */
import { Zip, ZipDeflate, ZipPassThrough, inflateSync, strFromU8, strToU8 } from 'fflate';
import { sniffImage, SNIFF_BYTES } from '../../shared/imageSniff';
import { checkJsonDepth } from '../../../../shared/jsonLimits';
import { ChunkWriter } from '../../../../db/chunkWriter';
import {
  chunkCount,
  deleteDataset,
  getChunk,
  getDataset,
  getSplit,
  putDataset,
  putSplit,
} from '../../../../db/datasets';
import type { LabDatabase } from '../../../../db/open';
import {
  CHUNK_SIZE,
  PIXELS_PER_IMAGE,
  SPLIT_CODES,
  type DatasetRecord,
  type ImageChunkRecord,
} from '../../../../db/schema';
import { concatBytes } from '../../../../shared/bytes';
import {
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  MAX_ZIP_ENTRIES,
  REJECTED_SPLIT_CODE,
  SPLIT_NAMES,
  checkZipEntries,
  classFolderNames,
  imagePath,
  parseManifest,
  readZipDirectory,
  type DatasetManifest,
  type ManifestImage,
  type ZipEntry,
} from '../../shared/datasetZip';
import type { IngestReportLine } from '../../shared/ingestProtocol';
import { errorMessage } from '../../../../shared/errorMessage';
import type { CropFile } from './importCrops';
import { mapLimited } from './mapLimited';
import { plainZipLayout, TOOL_LITTER, type PlainLayout } from './zipLayout';

export interface ZipProgress {
  done: number;
  total: number;
}

export interface ExportZipDeps {
  db: LabDatabase;
  encodePng(rgb: Uint8Array, width: number, height: number): Promise<Uint8Array>;
}

export interface ImportZipDeps {
  db: LabDatabase;
  decodePng(bytes: Uint8Array): Promise<{ width: number; height: number; rgb: Uint8Array }>;
  newId(): string;
}

export interface ImportZipResult {
  datasetId: string;
  count: number;
  /** Entries that were skipped (not listed in the manifest), one line each. */
  report: IngestReportLine[];
}

/** Keypoints per image, when a chunk has them: 6 (x, y) pairs (an optional field schema.ts may gain). */
const KEYPOINT_VALUES = 12;

/** The dataset as a zip (see shared/datasetZip.ts); at most one chunk's PNGs are held before they are added. */
export async function exportDatasetZip(
  deps: ExportZipDeps,
  datasetId: string,
  onProgress?: (p: ZipProgress) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const { db } = deps;
  const record = await getDataset(db, datasetId);
  if (!record) throw new Error(`There is no dataset ${datasetId}.`);
  if (!record.complete)
    throw new Error(`The dataset "${record.name}" is still being written; finish or discard it first.`);
  const split = await getSplit(db, datasetId);
  if (!split || split.codes.length !== record.count)
    throw new Error(`The dataset "${record.name}" has no split for its ${record.count} images.`);
  const folders = classFolderNames(record.classNames);
  const usedSplits = SPLIT_NAMES.filter((_, code) => split.codes.includes(code));
  // Images rejected in review or collapsed as duplicates (split.excluded) are not exported.
  const leftOut = (i: number) => split.codes[i] === REJECTED_SPLIT_CODE || (split.excluded?.[i] ?? 0) !== 0;
  const exported = split.codes.filter((_, i) => !leftOut(i)).length;
  if (exported === 0) throw new Error(`The dataset "${record.name}" has no images to export (all are rejected).`);
  const directories = usedSplits.length * folders.length;
  if (exported + directories + 1 > MAX_ZIP_ENTRIES) {
    throw new Error(
      `The dataset has ${exported} images to export; a zip holds at most ${MAX_ZIP_ENTRIES - directories - 1}.`,
    );
  }

  const parts: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failure ??= err;
    else parts.push(data);
  });
  // A fixed timestamp makes the same dataset export to the same bytes (zip dates run 1980–2099).
  const created = new Date(record.createdAt);
  const mtime = created.getFullYear() >= 1980 && created.getFullYear() <= 2099 ? created : new Date(1980, 0, 1);
  const add = (file: ZipPassThrough | ZipDeflate, bytes: Uint8Array) => {
    file.mtime = mtime;
    zip.add(file);
    file.push(bytes, true);
    if (failure) throw new Error(`Could not write the zip: ${failure.message}`);
  };
  // Every class folder in every split that has images, so Keras finds the same classes in each split.
  for (const s of usedSplits) for (const f of folders) add(new ZipPassThrough(`${s}/${f}/`), new Uint8Array(0));

  const images: ManifestImage[] = [];
  for (let c = 0; c < chunkCount(record.count); c++) {
    signal?.throwIfAborted();
    const chunk = await getChunk(db, datasetId, c);
    if (!chunk) throw new Error(`Chunk ${c} of the dataset "${record.name}" is missing.`);
    const first = c * CHUNK_SIZE;
    const slots = Array.from({ length: chunk.count }, (_, k) => k).filter((k) => !leftOut(first + k));
    const pngs = await Promise.all(
      slots.map((k) => deps.encodePng(chunk.pixels.subarray(k * PIXELS_PER_IMAGE, (k + 1) * PIXELS_PER_IMAGE), 64, 64)),
    );
    slots.forEach((k, j) => {
      const i = first + k;
      const splitName = SPLIT_NAMES[split.codes[i]];
      const label = chunk.labels[k];
      if (!splitName) throw new Error(`Image ${i} has an unknown split code ${split.codes[i]}.`);
      if (label >= folders.length)
        throw new Error(`Image ${i} has label ${label}, but the dataset has ${folders.length} classes.`);
      const file = imagePath(splitName, folders[label], i);
      add(new ZipPassThrough(file), pngs[j]);
      images.push({ file, label, split: splitName, ...extrasOf(chunk, k) });
    });
    onProgress?.({ done: Math.min(record.count, first + chunk.count), total: record.count });
  }

  const manifest: DatasetManifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    name: record.name,
    kind: record.kind,
    classNames: record.classNames,
    seed: split.seed,
    images,
  };
  add(new ZipDeflate(MANIFEST_FILE, { level: 6 }), strToU8(manifestText(manifest)));
  zip.end();
  if (failure) throw new Error(`Could not write the zip: ${(failure as Error).message}`);
  return concatBytes(parts);
}

/** The per-image extras a chunk has: source, score and box from photo ingest, keypoints if present. */
function extrasOf(chunk: ImageChunkRecord, k: number): Partial<ManifestImage> {
  const out: Partial<ManifestImage> = {};
  const source = chunk.sources?.[k];
  if (source) out.source = source;
  const score = chunk.scores?.[k];
  if (score !== undefined && Number.isFinite(score)) out.score = score;
  const box = chunk.boxes ? Array.from(chunk.boxes.subarray(k * 4, k * 4 + 4)) : [];
  if (box.length === 4 && box.every(Number.isFinite)) out.box = box as [number, number, number, number];
  // Read defensively: not (yet) a field of ImageChunkRecord.
  const keypoints = (chunk as { keypoints?: unknown }).keypoints;
  if (keypoints instanceof Float32Array && keypoints.length === chunk.count * KEYPOINT_VALUES) {
    const values = Array.from(keypoints.subarray(k * KEYPOINT_VALUES, (k + 1) * KEYPOINT_VALUES));
    if (values.every(Number.isFinite)) out.keypoints = values;
  }
  return out;
}

/** JSON with one image a line, so the manifest reads (and diffs) well. */
function manifestText(m: DatasetManifest): string {
  const head = Object.entries({ ...m, images: undefined }).filter(([, v]) => v !== undefined);
  const fields = head.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  return `{\n${fields.join('\n')}\n  "images": [\n${m.images.map((im) => `    ${JSON.stringify(im)}`).join(',\n')}\n  ]\n}\n`;
}

/** PNGs decoded at once during an import. */
const DECODE_CONCURRENCY = 8;

const MAX_REPORT_LINES = 100;

/** What a zip holds: the app's dataset (with manifest.json) or a plain Keras layout of images (zipLayout.ts). */
export type ZipContents = { kind: 'manifest' } | { kind: 'plain'; layout: PlainLayout };

/**
 * Reads the central directory (nothing inflated) and checks names and sizes with the limits of what the zip
 * holds: a zip with manifest.json is the app's export (importDatasetZip); without one, the plain layout is read
 * from the entry names, or an Error says why it cannot be. `zipName` names the dataset when the zip has no top folder.
 */
export function inspectDatasetZip(zip: Uint8Array, zipName: string): ZipContents {
  const entries = readZipDirectory(zip);
  const hasManifest = entries.some((e) => e.name === MANIFEST_FILE || /^[^/]+\/manifest\.json$/.test(e.name));
  checkZipEntries(entries, !hasManifest);
  return hasManifest
    ? { kind: 'manifest' }
    : {
        kind: 'plain',
        layout: plainZipLayout(
          entries.map((e) => e.name),
          zipName,
        ),
      };
}

/** The plain layout's images, each inflated (and its CRC checked) only when the import reads it. */
export function plainZipFiles(zip: Uint8Array, layout: PlainLayout): CropFile[] {
  const byName = new Map(readZipDirectory(zip).map((e) => [e.name, e]));
  return layout.items.map((item) => ({
    path: item.source,
    label: item.label,
    read: () => new Blob([readZipEntry(zip, byName.get(item.entry)!) as Uint8Array<ArrayBuffer>]),
  }));
}

/** Imports a dataset zip as a new dataset; see the file header for the order of checks and writes. */
export async function importDatasetZip(
  deps: ImportZipDeps,
  zip: Uint8Array,
  onProgress?: (p: ZipProgress) => void,
  signal?: AbortSignal,
): Promise<ImportZipResult> {
  const { db } = deps;
  const entries = readZipDirectory(zip);
  checkZipEntries(entries);
  const manifestEntry = findManifest(entries);
  // A zip of the dataset's folder (rather than of its contents) has everything one folder down.
  const root = manifestEntry.name.slice(0, -MANIFEST_FILE.length);
  let json: unknown;
  // An editor may have added a byte-order mark.
  const text = strFromU8(readZipEntry(zip, manifestEntry)).replace(/^\uFEFF/, '');
  // Ours nests 3 levels; a 10 MB nested manifest took 26 s and 1.5 GB to refuse (issue 18): refuse it before parsing.
  checkJsonDepth(text, 16, 'manifest.json');
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`manifest.json is not valid JSON (${errorMessage(err)}).`);
  }
  const manifest = parseManifest(json);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const files = manifest.images.map((im) => {
    const entry = byName.get(root + im.file);
    if (!entry) throw new Error(`"${im.file}" is listed in manifest.json but missing from the zip.`);
    return entry;
  });
  const listed = new Set(files);
  const skipped = entries.filter(
    (e) => e !== manifestEntry && !e.name.endsWith('/') && !listed.has(e) && !TOOL_LITTER.test(e.name),
  );
  const report: IngestReportLine[] = skipped
    .slice(0, MAX_REPORT_LINES)
    .map((e) => ({ file: e.name, reason: 'not listed in manifest.json; ignored' }));
  if (skipped.length > MAX_REPORT_LINES)
    report.push({
      file: '…',
      reason: `${skipped.length - MAX_REPORT_LINES} more files not listed in manifest.json; ignored`,
    });

  const id = deps.newId();
  if (await getDataset(db, id)) throw new Error(`Internal error: the new dataset id ${id} is already in use.`);
  const total = manifest.images.length;
  const classCounts = manifest.classNames.map(() => 0);
  const record: DatasetRecord = {
    id,
    name: manifest.name,
    kind: manifest.kind,
    classNames: manifest.classNames,
    createdAt: Date.now(),
    count: 0,
    classCounts,
    seed: manifest.seed,
    complete: false,
  };
  try {
    await putDataset(db, record);
    const writer = new ChunkWriter(db, id, (done) => onProgress?.({ done, total }));
    onProgress?.({ done: 0, total });
    for (let start = 0; start < total; start += CHUNK_SIZE) {
      signal?.throwIfAborted();
      const batch = manifest.images.slice(start, start + CHUNK_SIZE);
      // A few PNGs decode at once (the browser's decoder runs them in parallel), so peak memory stays a few
      // images whatever the zip holds; results go in order.
      const decoded = await mapLimited(batch, DECODE_CONCURRENCY, (im, k) =>
        decode(deps, im.file, readZipEntry(zip, files[start + k])),
      );
      for (let k = 0; k < batch.length; k++) {
        const im = batch[k];
        await writer.add(decoded[k], im.label, {
          source: im.source,
          score: im.score,
          box: im.box,
          keypoints: im.keypoints,
        });
        classCounts[im.label]++;
      }
    }
    await writer.flush();
    const codes = Uint8Array.from(manifest.images, (im) => SPLIT_CODES[im.split]);
    const counts = { train: 0, test: 0, validation: 0 };
    for (const im of manifest.images) counts[im.split]++;
    await putSplit(db, { datasetId: id, seed: manifest.seed, codes, counts });
    await putDataset(db, { ...record, count: total, classCounts, complete: true });
  } catch (err) {
    // The id was unused (checked above), so this deletes only what this import wrote.
    await deleteDataset(db, id).catch(() => {});
    throw err instanceof Error ? err : new Error(String(err));
  }
  return { datasetId: id, count: total, report };
}

async function decode(deps: ImportZipDeps, file: string, bytes: Uint8Array): Promise<Uint8Array> {
  // The header first (issue 18): a 33 KB PNG can declare 16384×16384 and the browser's decoder would allocate
  // 1 GB for it before our size check. Only a PNG whose IHDR says 64×64 reaches the decoder.
  const sniffed = sniffImage(bytes.subarray(0, SNIFF_BYTES));
  if (!sniffed.ok || sniffed.kind !== 'png')
    throw new Error(
      `"${file}" is not a readable PNG (${sniffed.ok ? `a ${sniffed.kind.toUpperCase()} file` : sniffed.reason}).`,
    );
  if (sniffed.width === undefined || sniffed.height === undefined)
    throw new Error(`"${file}" is not a readable PNG (no image header).`);
  if (sniffed.width !== 64 || sniffed.height !== 64) {
    throw new Error(
      `"${file}" declares ${sniffed.width}×${sniffed.height} pixels; every image must be 64×64 (refused before decoding).`,
    );
  }
  let image: { width: number; height: number; rgb: Uint8Array };
  try {
    image = await deps.decodePng(bytes);
  } catch (err) {
    throw new Error(`"${file}" is not a readable PNG (${errorMessage(err) || 'corrupt data'}).`);
  }
  if (image.width !== 64 || image.height !== 64)
    throw new Error(`"${file}" is ${image.width}×${image.height} pixels; every image must be 64×64.`);
  if (image.rgb.length !== PIXELS_PER_IMAGE)
    throw new Error(`"${file}" decoded to ${image.rgb.length} bytes instead of 64×64 RGB.`);
  return image.rgb;
}

function findManifest(entries: readonly ZipEntry[]): ZipEntry {
  const atRoot = entries.find((e) => e.name === MANIFEST_FILE);
  if (atRoot) return atRoot;
  const nested = entries.filter((e) => /^[^/]+\/manifest\.json$/.test(e.name));
  if (nested.length === 1) return nested[0];
  if (nested.length > 1)
    throw new Error(
      `The zip has ${nested.length} manifest.json files in different folders; zip one dataset at a time.`,
    );
  throw new Error('The zip has no manifest.json: it is not a dataset exported by Lookalike Lab.');
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * One entry's bytes, checked against its directory record. Stored entries are views into the zip (no copy).
 * Deflated ones inflate into a buffer of the header's size + 1 byte, which fflate never grows: an entry
 * whose header under-states its size fills the extra byte and is refused, so no entry ever takes more memory
 * than checkZipEntries allowed. The CRC-32 catches any other corruption.
 */
export function readZipEntry(zip: Uint8Array, e: ZipEntry): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const at = e.localOffset;
  if (at + 30 > zip.length || view.getUint32(at, true) !== 0x04034b50)
    throw new Error(`The zip entry "${e.name}" is corrupt (no local header).`);
  const nameLength = view.getUint16(at + 26, true);
  const start = at + 30 + nameLength + view.getUint16(at + 28, true);
  // Tools that read only local headers would see another name: refuse the ambiguity.
  if (
    start > zip.length ||
    strFromU8(zip.subarray(at + 30, at + 30 + nameLength), !(view.getUint16(at + 6, true) & 0x800)) !== e.name
  ) {
    throw new Error(`The zip entry "${e.name}" is corrupt (its two headers disagree).`);
  }
  if (start + e.size > zip.length) throw new Error(`The zip entry "${e.name}" is truncated.`);
  const raw = zip.subarray(start, start + e.size);
  let out = raw;
  if (e.compression === 8) {
    try {
      out = inflateSync(raw, { out: new Uint8Array(e.originalSize + 1) });
    } catch (err) {
      throw new Error(`The zip entry "${e.name}" is corrupt (${errorMessage(err)}).`);
    }
    if (out.length > e.originalSize)
      throw new Error(
        `The zip entry "${e.name}" inflates to more than the ${e.originalSize} bytes its header says: refusing a possible zip bomb.`,
      );
  }
  if (out.length !== e.originalSize || crc32(out) !== e.crc)
    throw new Error(`The zip entry "${e.name}" is corrupt (size or checksum mismatch).`);
  return out;
}
