/**
 * The ingest worker: hosts its own MediaPipe FaceDetector (src/features/data/worker/face/detector.ts) and runs
 * src/features/data/worker/ingest/ingestPhotos.ts. Speaks the protocol in shared/ingestProtocol.ts; one ingest at a time.
 */
import { faultActive, setFaults } from '../db/faults';
import { getSplit } from '../db/datasets';
import { openLabDb } from '../db/open';
import { createFaceDetector, type FaceDetectorHandle } from '../features/data/worker/face/detector';
import { detectAnySize } from '../features/data/worker/face/detectAnySize';
import { drawCrop } from '../features/data/worker/ingest/drawCrop';
import { leakCheckOf, readCropFacts, resplitByGroups } from '../features/data/worker/ingest/groupSplit';
import {
  exportDatasetZip,
  importDatasetZip,
  inspectDatasetZip,
  plainZipFiles,
  readZipEntry,
} from '../features/data/worker/ingest/datasetZipIo';
import { readZipDirectory } from '../features/data/shared/datasetZip';
import { decodeResized } from '../features/data/worker/ingest/decodeResized';
import { importCrops } from '../features/data/worker/ingest/importCrops';
import { layoutCounts, type PlainLayout } from '../features/data/worker/ingest/zipLayout';
import { ingestPhotos, sizeRefusal } from '../features/data/worker/ingest/ingestPhotos';
import { sniffFile } from '../features/data/worker/ingest/sniffFile';
import { canvasPngCodec } from '../features/fool/worker/pngCodec';
import { decodeFailureReason } from '../features/data/shared/imageSniff';
import type {
  FromIngestWorker,
  IngestFile,
  IngestReportLine,
  ToIngestWorker,
} from '../features/data/shared/ingestProtocol';
import type { LabDatabase } from '../db/open';
import { sameOriginOnly } from '../shared/sameOriginOnly';
import { errorMessage } from '../shared/errorMessage';
import { newId } from '../shared/newId';

declare const self: DedicatedWorkerGlobalScope;
sameOriginOnly(self); // the page's CSP does not reach workers

let detector: FaceDetectorHandle | null = null;
let detectorBase = '';
const running = new Map<number, AbortController>();

function reply(message: FromIngestWorker): void {
  self.postMessage(message);
}

function detectorFor(baseUrl: string): FaceDetectorHandle {
  if (!detector || detectorBase !== baseUrl) {
    detector?.close();
    detector = createFaceDetector(baseUrl);
    detectorBase = baseUrl;
  }
  return detector;
}

/**
 * Faces of one photo at any size the ingest accepts. A detector that threw is dropped, so the next photo gets
 * a fresh one: a MediaPipe wasm that aborted fails every later call.
 */
async function detectFaces(baseUrl: string, bitmap: ImageBitmap) {
  try {
    return await detectAnySize((b) => detectorFor(baseUrl).detectFaces(b), bitmap);
  } catch (err) {
    detector?.close();
    detector = null;
    throw new Error(`the face detector failed on this photo (${errorMessage(err)})`);
  }
}

/** The stages of cropOne that progress counts: read and checked, decoded, faces found (and cropped). */
const CROP_STAGES = 3;

/**
 * Faces of one photo, cropped like ingest does (same checks and report wording), without storing anything.
 * Progress after each stage; a cancel is honoured between stages (decoding and detection cannot be cut short),
 * and a cancelled call answers an error, never the crops.
 */
async function cropOne(msg: Extract<ToIngestWorker, { kind: 'crop' }>): Promise<void> {
  const abort = new AbortController();
  running.set(msg.id, abort);
  const stage = (done: number) => {
    abort.signal.throwIfAborted();
    reply({ kind: 'progress', id: msg.id, done, total: CROP_STAGES, faces: 0, skipped: 0 });
  };
  let bitmap: ImageBitmap | null = null;
  try {
    const sniffed = await sniffFile(msg.file);
    if (!sniffed.ok) throw new Error(sniffed.reason);
    const headerRefusal =
      sniffed.width !== undefined && sniffed.height !== undefined ? sizeRefusal(sniffed.width, sniffed.height) : null;
    if (headerRefusal) throw new Error(headerRefusal);
    stage(1);
    try {
      bitmap = await createImageBitmap(msg.file, { imageOrientation: 'from-image' });
    } catch (err) {
      throw new Error(decodeFailureReason(sniffed.kind, err));
    }
    const refusal = sizeRefusal(bitmap.width, bitmap.height);
    if (refusal) throw new Error(refusal);
    stage(2);
    const faces = await detectFaces(msg.baseUrl, bitmap);
    abort.signal.throwIfAborted();
    const crops = faces.map((f) => ({ pixels: drawCrop(bitmap!, f), score: f.score, box: f.box }));
    stage(CROP_STAGES);
    reply({ kind: 'crops', id: msg.id, crops });
  } catch (err) {
    reply({ kind: 'error', id: msg.id, message: errorMessage(err) });
  } finally {
    bitmap?.close();
    running.delete(msg.id);
  }
}

/** What photo ingest needs in this worker: the browser's decoder, MediaPipe, the crop drawer. */
function photoDeps(db: LabDatabase, baseUrl: string) {
  return {
    db,
    detect: (bitmap: ImageBitmap) => detectFaces(baseUrl, bitmap),
    crop: drawCrop,
    decode: (blob: Blob) => createImageBitmap(blob, { imageOrientation: 'from-image' }),
    newId: () => newId('photos'),
    now: () => performance.now(),
  };
}

/** What "use as is" needs: the browser's decoder and a 64×64 canvas, no detector. */
const cropDeps = (db: LabDatabase) => ({
  db,
  decodeResized,
  newId: () => newId('photos'),
  now: () => performance.now(),
});

async function start(msg: Extract<ToIngestWorker, { kind: 'start' }>): Promise<void> {
  const abort = new AbortController();
  running.set(msg.id, abort);
  setFaults(msg.faults ?? []);
  try {
    const db = await openLabDb();
    const result = await ingestPhotos(
      photoDeps(db, msg.baseUrl),
      { name: msg.name, classNames: msg.classNames, files: msg.files, seed: msg.seed, appendTo: msg.appendTo },
      (p) => reply({ kind: 'progress', id: msg.id, ...p }),
      abort.signal,
    );
    reply({ kind: 'done', id: msg.id, result });
  } catch (err) {
    reply({ kind: 'error', id: msg.id, message: errorMessage(err) });
  } finally {
    running.delete(msg.id);
  }
}

/** The seed of every split made here, as the page's photo ingest uses. */
const SEED = 42;

/**
 * Zip export / import with the browser's PNG codec; progress goes out as ingest progress (files done / total).
 * A zip without manifest.json is a plain Keras layout: its summary first (nothing stored), then, with the
 * user's choice, its images as crops (importCrops) or through face detection (ingestPhotos).
 */
async function zipTask(
  msg: Extract<ToIngestWorker, { kind: 'exportZip' | 'importZip' | 'importCrops' }>,
): Promise<void> {
  const abort = new AbortController();
  running.set(msg.id, abort);
  const onProgress = (p: { done: number; total: number }) =>
    reply({ kind: 'progress', id: msg.id, done: p.done, total: p.total, faces: p.done, skipped: 0 });
  try {
    const db = await openLabDb();
    if (msg.kind === 'exportZip') {
      const bytes = await exportDatasetZip(
        { db, encodePng: canvasPngCodec.encode },
        msg.datasetId,
        onProgress,
        abort.signal,
      );
      self.postMessage({ kind: 'zip', id: msg.id, bytes } satisfies FromIngestWorker, [bytes.buffer]);
    } else if (msg.kind === 'importCrops') {
      const files = msg.files.map((f) => ({ path: f.path, label: f.label, read: () => f.file }));
      const r = await importCrops(
        cropDeps(db),
        { name: msg.name, classNames: msg.classNames, files, seed: SEED },
        onProgress,
        abort.signal,
      );
      reply({
        kind: 'imported',
        id: msg.id,
        datasetId: r.datasetId,
        count: r.count,
        report: r.report,
        split: r.split,
        classCounts: r.classCounts,
      });
    } else {
      const zip = new Uint8Array(await msg.file.arrayBuffer());
      const contents = inspectDatasetZip(zip, msg.fileName);
      if (contents.kind === 'manifest') {
        const r = await importDatasetZip(
          { db, decodePng: canvasPngCodec.decode, newId: () => newId('photos') },
          zip,
          onProgress,
          abort.signal,
        );
        reply({ kind: 'imported', id: msg.id, ...r });
        return;
      }
      const { layout } = contents;
      if (!msg.mode) {
        reply({
          kind: 'zipLayout',
          id: msg.id,
          layout: { root: layout.root, classNames: layout.classNames, ...layoutCounts(layout), report: layout.report },
        });
      } else if (msg.mode === 'asIs') {
        const options = {
          name: `Crops: ${layout.root}`,
          classNames: layout.classNames,
          files: plainZipFiles(zip, layout),
          seed: SEED,
          report: layout.report,
        };
        const r = await importCrops(cropDeps(db), options, onProgress, abort.signal);
        reply({
          kind: 'imported',
          id: msg.id,
          datasetId: r.datasetId,
          count: r.count,
          report: r.report,
          split: r.split,
          classCounts: r.classCounts,
        });
      } else {
        const { files, report } = zipPhotoFiles(zip, layout);
        const result = await ingestPhotos(
          photoDeps(db, msg.baseUrl),
          { name: `Photos: ${layout.root} (zip)`, classNames: layout.classNames, files, seed: SEED },
          (p) => reply({ kind: 'progress', id: msg.id, ...p }),
          abort.signal,
        );
        reply({ kind: 'done', id: msg.id, result: { ...result, report: [...report, ...result.report] } });
      }
    }
  } catch (err) {
    reply({ kind: 'error', id: msg.id, message: errorMessage(err) });
  } finally {
    running.delete(msg.id);
  }
}

/** A plain layout's images as the files photo ingest reads (inflated here; an entry that fails its CRC is a report line). */
function zipPhotoFiles(zip: Uint8Array, layout: PlainLayout): { files: IngestFile[]; report: IngestReportLine[] } {
  const entries = new Map(readZipDirectory(zip).map((e) => [e.name, e]));
  const report = [...layout.report];
  const files: IngestFile[] = [];
  for (const item of layout.items) {
    try {
      const bytes = readZipEntry(zip, entries.get(item.entry)!) as Uint8Array<ArrayBuffer>;
      const file = new File([bytes], item.entry.slice(item.entry.lastIndexOf('/') + 1));
      files.push({ file, path: item.source, label: item.label, isValidation: item.split === 'validation' });
    } catch (err) {
      report.push({ file: item.source, reason: errorMessage(err) });
    }
  }
  return { files, report };
}

/** The leak check of a dataset's split, after a group-aware re-split when asked for (groupSplit.ts). */
async function leakTask(msg: Extract<ToIngestWorker, { kind: 'leakCheck' }>): Promise<void> {
  try {
    const db = await openLabDb();
    const split = await getSplit(db, msg.datasetId);
    if (!split) throw new Error('The dataset has no split.');
    const done = msg.resplit
      ? await resplitByGroups(db, msg.datasetId)
      : { split, leaks: leakCheckOf(await readCropFacts(db, msg.datasetId, split.codes.length), split) };
    reply({ kind: 'leaks', id: msg.id, report: { ...done.leaks, counts: done.split.counts } });
  } catch (err) {
    reply({ kind: 'error', id: msg.id, message: errorMessage(err) });
  }
}

self.onmessage = (event: MessageEvent<ToIngestWorker>) => {
  const msg = event.data;
  switch (msg.kind) {
    case 'start':
      void start(msg);
      break;
    case 'cancel':
      running.get(msg.id)?.abort();
      break;
    case 'crop':
      void cropOne(msg);
      break;
    case 'exportZip':
    case 'importZip':
    case 'importCrops':
      void zipTask(msg);
      break;
    case 'leakCheck':
      void leakTask(msg);
      break;
    case 'debugCrash':
      // Test hook (issue #9 item 5): uncaught and asynchronous, as a bug in a callback would be.
      if (faultActive('debug'))
        setTimeout(() => {
          throw new Error('injected crash (test hook)');
        });
      break;
  }
};
