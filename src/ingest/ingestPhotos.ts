/**
 * Photo-folder ingest, worker-side: for each labelled file, sniff, decode (EXIF orientation honoured),
 * detect faces, crop each face to 64×64 RGB upright, and append the crops to a new 'photos' dataset in
 * IndexedDB (chunks of CHUNK_SIZE, each written in its own transaction). Bad files become report lines; the
 * rest of the folder continues. The split (80/20 by class, grouped by source photo) is written last, then
 * the dataset is marked complete. The detector and the decoder are injected so this runs in any worker.
 */
import { ChunkWriter } from '../db/chunkWriter';
import { putDataset, putSplit, deleteDataset } from '../db/datasets';
import type { LabDatabase } from '../db/open';
import type { DatasetRecord } from '../db/schema';
import { groupedStratifiedSplit } from '../ml/data/splits';
import type { FaceDetection } from '../shared/faceProtocol';
import { SNIFF_BYTES, sniffImage } from '../shared/imageSniff';
import type { IngestFile, IngestProgress, IngestReportLine, IngestResult } from '../shared/ingestProtocol';

/** Photos larger than this are refused (decoded RGBA would be 160 MB). */
export const MAX_PIXELS = 40_000_000;

export interface IngestDeps {
  db: LabDatabase;
  detect(bitmap: ImageBitmap): Promise<FaceDetection[]>;
  /** Draws one face as CROP_SIZE² packed RGB. */
  crop(bitmap: ImageBitmap, face: FaceDetection): Uint8Array;
  decode(blob: Blob): Promise<ImageBitmap>;
  newId(): string;
  now(): number;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function ingestPhotos(
  deps: IngestDeps,
  opts: { name: string; classNames: string[]; files: IngestFile[]; seed: number },
  onProgress: (p: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<IngestResult> {
  const started = deps.now();
  const { db } = deps;
  const id = deps.newId();
  const report: IngestReportLine[] = [];
  const classCounts = opts.classNames.map(() => 0);
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
  await putDataset(db, record);

  const labels: number[] = [];
  const groups: string[] = [];
  const validation: boolean[] = [];
  const writer = new ChunkWriter(db, id);

  let photos = 0;
  let done = 0;
  const total = opts.files.length;
  onProgress({ done, total, faces: 0 });
  for (const f of opts.files) {
    if (signal?.aborted) break;
    try {
      const faces = await facesOf(deps, f, report);
      if (faces) {
        photos++;
        for (const { face, rgb } of faces) {
          const { x, y, width, height } = face.box;
          await writer.add(rgb, f.label, { source: f.path, score: face.score, box: [x, y, width, height] });
          labels.push(f.label);
          groups.push(f.path);
          validation.push(f.isValidation);
          classCounts[f.label]++;
        }
      }
    } catch (err) {
      report.push({ file: f.path, reason: `could not process: ${message(err)}` });
    }
    done++;
    onProgress({ done, total, faces: labels.length });
  }
  await writer.flush();

  if (labels.length === 0) {
    await deleteDataset(db, id);
    return { datasetId: null, crops: 0, photos, report, ms: deps.now() - started, split: null };
  }
  const split = groupedStratifiedSplit(id, labels, groups, (i) => validation[i], opts.seed);
  await putSplit(db, split);
  await putDataset(db, { ...record, count: labels.length, classCounts, complete: true });
  return { datasetId: id, crops: labels.length, photos, report, ms: deps.now() - started, split: split.counts };
}

/** The crops of one file, or null after adding its report line. */
async function facesOf(
  deps: IngestDeps,
  f: IngestFile,
  report: IngestReportLine[],
): Promise<Array<{ face: FaceDetection; rgb: Uint8Array }> | null> {
  const head = new Uint8Array(await f.file.slice(0, SNIFF_BYTES).arrayBuffer());
  const sniffed = sniffImage(head);
  if (!sniffed.ok) {
    report.push({ file: f.path, reason: sniffed.reason });
    return null;
  }
  const tooLarge = (w: number, h: number) => w * h > MAX_PIXELS;
  const megapixels = (w: number, h: number) => `${((w * h) / 1e6).toFixed(0)} megapixels`;
  if (sniffed.width !== undefined && sniffed.height !== undefined && tooLarge(sniffed.width, sniffed.height)) {
    report.push({
      file: f.path,
      reason: `too large: ${sniffed.width}×${sniffed.height} (${megapixels(sniffed.width, sniffed.height)}, limit 40)`,
    });
    return null;
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await deps.decode(f.file);
  } catch (err) {
    report.push({ file: f.path, reason: `could not decode ${sniffed.kind.toUpperCase()}: ${message(err) || 'corrupt data'}` });
    return null;
  }
  try {
    if (tooLarge(bitmap.width, bitmap.height)) {
      report.push({
        file: f.path,
        reason: `too large: ${bitmap.width}×${bitmap.height} (${megapixels(bitmap.width, bitmap.height)}, limit 40)`,
      });
      return null;
    }
    const faces = await deps.detect(bitmap);
    if (faces.length === 0) {
      report.push({ file: f.path, reason: 'no face found' });
      return null;
    }
    return faces.map((face) => ({ face, rgb: deps.crop(bitmap, face) }));
  } finally {
    bitmap.close();
  }
}
