/**
 * The ingest worker: hosts its own MediaPipe FaceDetector (src/face/detector.ts) and runs
 * src/ingest/ingestPhotos.ts. Speaks the protocol in shared/ingestProtocol.ts; one ingest at a time.
 */
import { faultActive, setFaults } from '../db/faults';
import { getSplit } from '../db/datasets';
import { openLabDb } from '../db/open';
import { createFaceDetector, type FaceDetectorHandle } from '../face/detector';
import { detectAnySize } from '../face/detectAnySize';
import { drawCrop } from '../ingest/drawCrop';
import { leakCheckOf, readCropFacts, resplitByGroups } from '../ingest/groupSplit';
import { exportDatasetZip, importDatasetZip } from '../ingest/datasetZipIo';
import { ingestPhotos, sizeRefusal } from '../ingest/ingestPhotos';
import { sniffFile } from '../ingest/sniffFile';
import { canvasPngCodec } from '../ml/fool/pngCodec';
import { decodeFailureReason } from '../shared/imageSniff';
import type { FromIngestWorker, ToIngestWorker } from '../shared/ingestProtocol';
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

/** Faces of one photo, cropped like ingest does (same checks and report wording), without storing anything. */
async function cropOne(msg: Extract<ToIngestWorker, { kind: 'crop' }>): Promise<void> {
  let bitmap: ImageBitmap | null = null;
  try {
    const sniffed = await sniffFile(msg.file);
    if (!sniffed.ok) throw new Error(sniffed.reason);
    const headerRefusal = sniffed.width !== undefined && sniffed.height !== undefined ? sizeRefusal(sniffed.width, sniffed.height) : null;
    if (headerRefusal) throw new Error(headerRefusal);
    try {
      bitmap = await createImageBitmap(msg.file, { imageOrientation: 'from-image' });
    } catch (err) {
      throw new Error(decodeFailureReason(sniffed.kind, err));
    }
    const refusal = sizeRefusal(bitmap.width, bitmap.height);
    if (refusal) throw new Error(refusal);
    const faces = await detectFaces(msg.baseUrl, bitmap);
    const crops = faces.map((f) => ({ pixels: drawCrop(bitmap!, f), score: f.score, box: f.box }));
    reply({ kind: 'crops', id: msg.id, crops });
  } catch (err) {
    reply({ kind: 'error', id: msg.id, message: errorMessage(err) });
  } finally {
    bitmap?.close();
  }
}

async function start(msg: Extract<ToIngestWorker, { kind: 'start' }>): Promise<void> {
  const abort = new AbortController();
  running.set(msg.id, abort);
  setFaults(msg.faults ?? []);
  try {
    const db = await openLabDb();
    const result = await ingestPhotos(
      {
        db,
        detect: (bitmap) => detectFaces(msg.baseUrl, bitmap),
        crop: drawCrop,
        decode: (blob) => createImageBitmap(blob, { imageOrientation: 'from-image' }),
        newId: () => newId('photos'),
        now: () => performance.now(),
      },
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

/** Zip export / import with the browser's PNG codec; progress goes out as ingest progress (files done / total). */
async function zipTask(msg: Extract<ToIngestWorker, { kind: 'exportZip' | 'importZip' }>): Promise<void> {
  const abort = new AbortController();
  running.set(msg.id, abort);
  const onProgress = (p: { done: number; total: number }) =>
    reply({ kind: 'progress', id: msg.id, done: p.done, total: p.total, faces: p.done, skipped: 0 });
  try {
    const db = await openLabDb();
    if (msg.kind === 'exportZip') {
      const bytes = await exportDatasetZip({ db, encodePng: canvasPngCodec.encode }, msg.datasetId, onProgress, abort.signal);
      self.postMessage({ kind: 'zip', id: msg.id, bytes } satisfies FromIngestWorker, [bytes.buffer]);
    } else {
      const zip = new Uint8Array(await msg.file.arrayBuffer());
      const r = await importDatasetZip(
        { db, decodePng: canvasPngCodec.decode, newId: () => newId('photos') },
        zip,
        onProgress,
        abort.signal,
      );
      reply({ kind: 'imported', id: msg.id, ...r });
    }
  } catch (err) {
    reply({ kind: 'error', id: msg.id, message: errorMessage(err) });
  } finally {
    running.delete(msg.id);
  }
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
