/**
 * Photo-folder ingest, worker-side: for each labelled file, sniff, decode (EXIF orientation honoured),
 * detect faces, crop each face to 64×64 RGB upright (plus a 128×128 display copy), and append the crops to a
 * 'photos' dataset in IndexedDB. Bad files become report lines; the rest of the folder continues.
 *
 * Never loses work: about every second the partly filled chunk, the list of files finished and the report
 * are saved in one transaction (ChunkWriter.checkpoint), so after a reload or Cancel, ingesting the same
 * folder again (`appendTo`) skips every file already done and continues the same dataset. At the end,
 * exact and near duplicates are collapsed (excluded, `shared/dedupe.ts`) and the split is written: 80/20 by
 * class, grouped by source photo; images split before keep their split, new ones are split among themselves.
 * The detector and the decoder are injected so this runs in any worker and in unit tests.
 */
import { ChunkWriter } from '../../../../db/chunkWriter';
import {
  countSplit,
  getChunk,
  getDataset,
  getSplit,
  putDataset,
  putSplit,
  deleteDataset,
} from '../../../../db/datasets';
import type { LabDatabase } from '../../../../db/open';
import {
  CHUNK_SIZE,
  EXCLUDED,
  PIXELS_PER_IMAGE,
  THUMB_SIZE,
  type DatasetRecord,
  type SplitRecord,
} from '../../../../db/schema';
import { findDuplicates, pixelDistance, SAME_PICTURE_DISTANCE } from '../../shared/dedupe';
import type { FaceDetection } from '../../shared/faceProtocol';
import { decodeFailureReason, sizeRefusal } from '../../shared/imageSniff';
import type { IngestFile, IngestProgress, IngestReportLine, IngestResult } from '../../shared/ingestProtocol';
import { isQuotaError, StorageFullError, storageEstimate, storageFullMessage } from '../../../../shared/storageFull';
import { groupAwareCodes, readCropFacts } from './groupSplit';
import { sniffFile } from './sniffFile';
import { errorMessage } from '../../../../shared/errorMessage';

export { MAX_PIXELS, sizeRefusal } from '../../shared/imageSniff';
/** How often (ms) the ingest saves what it has so far. */
export const CHECKPOINT_MS = 1000;

export interface IngestDeps {
  db: LabDatabase;
  detect(bitmap: ImageBitmap): Promise<FaceDetection[]>;
  /** Draws one face as size² packed RGB (CROP_SIZE by default). */
  crop(bitmap: ImageBitmap, face: FaceDetection, size?: number): Uint8Array;
  decode(blob: Blob): Promise<ImageBitmap>;
  newId(): string;
  now(): number;
}

export interface IngestOptions {
  name: string;
  classNames: string[];
  files: IngestFile[];
  seed: number;
  /** Continue this dataset (same folder dropped again): files it has finished are skipped. */
  appendTo?: string;
}

export async function ingestPhotos(
  deps: IngestDeps,
  opts: IngestOptions,
  onProgress: (p: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<IngestResult> {
  const started = deps.now();
  const { db } = deps;
  const previous = opts.appendTo ? await getDataset(db, opts.appendTo) : undefined;
  if (opts.appendTo && !previous) throw new Error('the dataset to continue is gone');
  if (previous && previous.classNames.join('\n') !== opts.classNames.join('\n')) {
    throw new Error(
      `the folder's classes (${opts.classNames.join(', ')}) differ from the dataset's (${previous.classNames.join(', ')})`,
    );
  }
  const id = previous?.id ?? deps.newId();
  const record: DatasetRecord = previous
    ? { ...previous, complete: false }
    : {
        id,
        name: opts.name,
        kind: 'photos',
        classNames: [...opts.classNames],
        createdAt: Date.now(),
        count: 0,
        classCounts: opts.classNames.map(() => 0),
        seed: opts.seed,
        complete: false,
        processed: [],
        ingestReport: [],
      };
  const processed = new Set(record.processed ?? []);
  const report: IngestReportLine[] = [...(record.ingestReport ?? [])];
  const classCounts = [...record.classCounts];
  const oldSplit = previous ? await getSplit(db, id) : undefined;
  const writer = previous ? await ChunkWriter.resume(db, id, previous.count) : new ChunkWriter(db, id);
  const snapshot = (): DatasetRecord => ({
    ...record,
    count: writer.count,
    classCounts: [...classCounts],
    processed: [...processed],
    ingestReport: [...report],
  });
  // A full disk stops the ingest: what the last save wrote stays (its transaction committed; the failed one
  // aborted whole), and picking the folder again after freeing space continues from there.
  const startCount = writer.count;
  let savedCount = writer.count; // images the last committed save holds
  const storageFull = async (stored: number) =>
    new StorageFullError(
      storageFullMessage(
        await storageEstimate(),
        `Everything stored before is kept${stored > 0 ? `, including the ${stored} faces this run saved` : ''}; photos after the last save will be redone.`,
        'Free space (delete a dataset or a run), then pick the same folder again to continue.',
      ),
    );
  const rethrowFull = async (err: unknown): Promise<never> => {
    throw isQuotaError(err) ? await storageFull(savedCount - startCount) : err;
  };

  await putDataset(db, snapshot()).catch(rethrowFull);

  const todo = opts.files.filter((f) => !processed.has(f.path));
  const skipped = opts.files.length - todo.length;
  let photos = 0;
  let done = 0;
  let lastSave = deps.now();
  const total = todo.length;
  onProgress({ done, total, faces: 0, skipped });
  for (const f of todo) {
    if (signal?.aborted) break;
    try {
      const faces = await facesOf(deps, f, report);
      if (faces) {
        photos++;
        for (const { face, rgb, thumb } of faces) {
          const { x, y, width, height } = face.box;
          await writer.add(rgb, f.label, {
            source: f.path,
            score: face.score,
            box: [x, y, width, height],
            keypoints: face.keypoints.flatMap((k) => [k.x, k.y]),
            thumb,
          });
          classCounts[f.label]++;
        }
      }
    } catch (err) {
      if (isQuotaError(err)) throw await storageFull(savedCount - startCount);
      report.push({ file: f.path, reason: `could not process: ${errorMessage(err)}` });
    }
    processed.add(f.path);
    done++;
    onProgress({ done, total, faces: writer.count - startCount, skipped });
    if (deps.now() - lastSave >= CHECKPOINT_MS) {
      await writer.checkpoint(snapshot()).catch(rethrowFull);
      savedCount = writer.count;
      lastSave = deps.now();
    }
  }
  await writer.flush(snapshot()).catch(rethrowFull);
  const newReport = report.slice(record.ingestReport?.length ?? 0);

  if (writer.count === 0) {
    await deleteDataset(db, id);
    return {
      datasetId: null,
      crops: 0,
      photos,
      report: newReport,
      ms: deps.now() - started,
      split: null,
      skipped,
      duplicates: 0,
    };
  }
  const split = await splitWithDuplicates(db, id, writer.count, opts.seed, oldSplit);
  await putSplit(db, split);
  await putDataset(db, { ...snapshot(), complete: true });
  return {
    datasetId: id,
    crops: writer.count - startCount,
    photos,
    report: newReport,
    ms: deps.now() - started,
    split: split.counts,
    skipped,
    duplicates: split.excluded?.reduce((n, e) => n + (e === EXCLUDED.duplicate ? 1 : 0), 0) ?? 0,
  };
}

/**
 * The split of all `count` images: kept codes for images an earlier ingest split, a group-aware split of the
 * rest (groupSplit.ts: near copies and crops of one photo never straddle train and test); then duplicates are
 * found over every image and excluded (the first of each kept), unless a person accepted them in review.
 * Review rejections are kept.
 */
async function splitWithDuplicates(
  db: LabDatabase,
  id: string,
  count: number,
  seed: number,
  old: SplitRecord | undefined,
): Promise<SplitRecord> {
  const facts = await readCropFacts(db, id, count);
  const kept = old ? Math.min(old.codes.length, count) : 0;
  const excluded = new Uint8Array(count);
  if (old?.excluded)
    for (let i = 0; i < kept; i++) if (old.excluded[i] === EXCLUDED.rejected) excluded[i] = EXCLUDED.rejected;
  const codes = groupAwareCodes(facts, seed, (i) => excluded[i] === EXCLUDED.rejected, old?.codes, kept);

  const accepted = new Uint8Array(count);
  if (old?.accepted) accepted.set(old.accepted.subarray(0, kept));
  // pHash finds candidates; only exact copies and candidates whose pixels agree (pixelDistance) are collapsed.
  // The rest keep `duplicateOf` so review shows them as "looks like face N", but stay in the dataset (in the
  // same split as the face they look like: they are one group).
  const duplicateOf = new Int32Array(count).fill(-1);
  const pixelsOf = imageReader(db, id);
  const hashes = facts.hashes.map((h, i) => ({ exact: facts.exact[i], phash: h.phash }));
  for (const d of findDuplicates(hashes)) {
    duplicateOf[d.index] = d.of;
    const same =
      hashes[d.index].exact === hashes[d.of].exact ||
      pixelDistance(await pixelsOf(d.index), await pixelsOf(d.of)) <= SAME_PICTURE_DISTANCE;
    if (same && !accepted[d.index] && !excluded[d.index]) excluded[d.index] = EXCLUDED.duplicate;
  }
  return { datasetId: id, seed, codes, counts: countSplit(codes, excluded), excluded, duplicateOf, accepted };
}

/** Reads single crops by index, keeping the last few chunks (duplicate candidates are usually close). */
function imageReader(db: LabDatabase, id: string): (i: number) => Promise<Uint8Array> {
  const chunks = new Map<number, Uint8Array>();
  return async (i) => {
    const c = Math.floor(i / CHUNK_SIZE);
    let pixels = chunks.get(c);
    if (!pixels) {
      const chunk = await getChunk(db, id, c);
      if (!chunk) throw new Error(`chunk ${c} is missing`);
      pixels = chunk.pixels;
      if (chunks.size >= 4) chunks.delete(chunks.keys().next().value!);
      chunks.set(c, pixels);
    }
    const k = i % CHUNK_SIZE;
    return pixels.subarray(k * PIXELS_PER_IMAGE, (k + 1) * PIXELS_PER_IMAGE);
  };
}

/** The crops of one file, or null after adding its report line. */
async function facesOf(
  deps: IngestDeps,
  f: IngestFile,
  report: IngestReportLine[],
): Promise<Array<{ face: FaceDetection; rgb: Uint8Array; thumb: Uint8Array }> | null> {
  const sniffed = await sniffFile(f.file);
  if (!sniffed.ok) {
    report.push({ file: f.path, reason: sniffed.reason });
    return null;
  }
  const headerRefusal =
    sniffed.width !== undefined && sniffed.height !== undefined ? sizeRefusal(sniffed.width, sniffed.height) : null;
  if (headerRefusal) {
    report.push({ file: f.path, reason: headerRefusal });
    return null;
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await deps.decode(f.file);
  } catch (err) {
    report.push({ file: f.path, reason: decodeFailureReason(sniffed.kind, err) });
    return null;
  }
  try {
    const refusal = sizeRefusal(bitmap.width, bitmap.height);
    if (refusal) {
      report.push({ file: f.path, reason: refusal });
      return null;
    }
    const faces = await deps.detect(bitmap);
    if (faces.length === 0) {
      report.push({ file: f.path, reason: 'no face found' });
      return null;
    }
    return faces.map((face) => ({ face, rgb: deps.crop(bitmap, face), thumb: deps.crop(bitmap, face, THUMB_SIZE) }));
  } finally {
    bitmap.close();
  }
}
