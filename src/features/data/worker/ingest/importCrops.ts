/**
 * "These are face crops, use as is": images that already are faces (a plain Keras-layout zip or folder)
 * become a `photos` dataset without face detection: each is sniffed, refused by its header when over 40
 * megapixels (before decoding: a small file can declare a huge image), decoded with EXIF orientation and
 * resized to 64×64 (stretched, as Keras' `image_dataset_from_directory` resizes). A file that cannot be used
 * is one report line and the rest go on; 8 decode at a time. The split is the layout's where it has one
 * (train/ test/ validation/), else the group-aware 80/20 split of photo ingest (groupSplit.ts), with a
 * `validation/` folder as the validation set. All or nothing: a failure or Cancel deletes what this import
 * wrote; other datasets are never touched. The decoder is injected so this runs in a worker and in Node tests.
 */
import { ChunkWriter } from '../../../../db/chunkWriter';
import { countSplit, deleteDataset, getDataset, putDataset, putSplit } from '../../../../db/datasets';
import type { LabDatabase } from '../../../../db/open';
import { CHUNK_SIZE, PIXELS_PER_IMAGE, type DatasetRecord } from '../../../../db/schema';
import { errorMessage } from '../../../../shared/errorMessage';
import { decodeFailureReason, sizeRefusal } from '../../shared/imageSniff';
import type { IngestReportLine } from '../../shared/ingestProtocol';
import { isQuotaError, StorageFullError, storageEstimate, storageFullMessage } from '../../../../shared/storageFull';
import { groupAwareCodes, readCropFacts } from './groupSplit';
import { mapLimited } from './mapLimited';
import { sniffFile } from './sniffFile';

export interface CropFile {
  /** Stored as the crop's source and used by the split: `<root>/<class>/…` or `<root>/<split>/<class>/…`. */
  path: string;
  label: number;
  /** The file's bytes (a zip entry is inflated only when its turn comes). */
  read(): Blob | Promise<Blob>;
}

export interface ImportCropsDeps {
  db: LabDatabase;
  /** The image at its own size, then resized to 64×64 packed RGB; throws when it cannot be decoded. */
  decodeResized(blob: Blob): Promise<{ width: number; height: number; rgb: Uint8Array }>;
  newId(): string;
  now(): number;
}

export interface ImportCropsOptions {
  name: string;
  classNames: string[];
  files: CropFile[];
  seed: number;
  /** Lines already found (stray files of the layout); this import's lines follow them. */
  report?: IngestReportLine[];
}

export interface ImportCropsResult {
  datasetId: string;
  count: number;
  classCounts: number[];
  split: { train: number; test: number; validation: number };
  report: IngestReportLine[];
  ms: number;
}

/** Decodes at once: the browser's decoder runs them in parallel; peak memory stays a few images. */
const DECODE_CONCURRENCY = 8;

export async function importCrops(
  deps: ImportCropsDeps,
  opts: ImportCropsOptions,
  onProgress?: (p: { done: number; total: number }) => void,
  signal?: AbortSignal,
): Promise<ImportCropsResult> {
  const started = deps.now();
  const { db } = deps;
  const id = deps.newId();
  if (await getDataset(db, id)) throw new Error(`Internal error: the new dataset id ${id} is already in use.`);
  const report = [...(opts.report ?? [])];
  const classCounts = opts.classNames.map(() => 0);
  const total = opts.files.length;
  const record: DatasetRecord = {
    id,
    name: opts.name,
    kind: 'photos',
    classNames: [...opts.classNames],
    createdAt: Date.now(),
    count: 0,
    classCounts,
    seed: opts.seed,
    complete: false,
  };
  try {
    await putDataset(db, record);
    const writer = new ChunkWriter(db, id);
    let done = 0;
    onProgress?.({ done, total });
    for (let start = 0; start < total; start += CHUNK_SIZE) {
      signal?.throwIfAborted();
      const batch = opts.files.slice(start, start + CHUNK_SIZE);
      const crops = await mapLimited(batch, DECODE_CONCURRENCY, async (f) => {
        signal?.throwIfAborted(); // Cancel stops between files, not only between chunks
        const crop = await cropOf(deps, f);
        onProgress?.({ done: ++done, total });
        return crop;
      });
      for (const [k, crop] of crops.entries()) {
        const f = batch[k];
        if (typeof crop === 'string') {
          report.push({ file: f.path, reason: crop });
          continue;
        }
        await writer.add(crop, f.label, { source: f.path });
        classCounts[f.label]++;
      }
    }
    await writer.flush();
    if (writer.count === 0) {
      const reasons = [...new Set(report.slice(opts.report?.length ?? 0).map((l) => l.reason))].slice(0, 3).join('; ');
      throw new Error(
        `None of the ${total} images could be used${reasons ? ` (${reasons})` : ''}; nothing was stored.`,
      );
    }
    const facts = await readCropFacts(db, id, writer.count);
    const codes = groupAwareCodes(facts, opts.seed, () => false);
    const counts = countSplit(codes);
    await putSplit(db, { datasetId: id, seed: opts.seed, codes, counts });
    await putDataset(db, { ...record, count: writer.count, classCounts, complete: true });
    return { datasetId: id, count: writer.count, classCounts, split: counts, report, ms: deps.now() - started };
  } catch (err) {
    // The id was unused (checked above), so this deletes only what this import wrote.
    await deleteDataset(db, id).catch(() => {});
    if (isQuotaError(err)) {
      throw new StorageFullError(
        storageFullMessage(
          await storageEstimate(),
          'Nothing of this import was kept; everything stored before is unchanged.',
          'Free space (delete a dataset or a run), then import again.',
        ),
      );
    }
    throw err instanceof Error ? err : new Error(String(err));
  }
}

/** One file's 64×64 RGB, or the report reason it cannot be used (photo ingest's wording). */
async function cropOf(deps: ImportCropsDeps, f: CropFile): Promise<Uint8Array | string> {
  let blob: Blob;
  try {
    blob = await f.read();
  } catch (err) {
    return `could not read: ${errorMessage(err)}`;
  }
  // The header first: a 33 KB PNG can declare 16384×16384, and the decoder would allocate 1 GB for it.
  const sniffed = await sniffFile(blob);
  if (!sniffed.ok) return sniffed.reason;
  if (sniffed.width !== undefined && sniffed.height !== undefined) {
    const refusal = sizeRefusal(sniffed.width, sniffed.height);
    if (refusal) return `${refusal} (refused before decoding)`;
  }
  let image: { width: number; height: number; rgb: Uint8Array };
  try {
    image = await deps.decodeResized(blob);
  } catch (err) {
    return decodeFailureReason(sniffed.kind, err);
  }
  const refusal = sizeRefusal(image.width, image.height);
  if (refusal) return refusal;
  if (image.rgb.length !== PIXELS_PER_IMAGE) return `decoded to ${image.rgb.length} bytes instead of 64×64 RGB`;
  return image.rgb;
}
