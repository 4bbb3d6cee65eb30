/**
 * Main-thread side of the ingest worker (src/workers/ingest.worker.ts): one lazily started worker, one
 * typed call per ingest with progress callbacks and an AbortSignal (Cancel keeps what is already stored).
 */
import { appBaseUrl } from './appBaseUrl';
import type {
  FaceCrop,
  FromIngestWorker,
  IngestFile,
  IngestProgress,
  IngestReportLine,
  IngestResult,
  LeakReport,
  PlainImportMode,
  SplitCounts,
  ToIngestWorker,
  ZipLayoutSummary,
} from '../features/data/shared/ingestProtocol';

export interface ImportedZip {
  datasetId: string;
  count: number;
  report: IngestReportLine[];
  /** Plain layouts imported as is: the split made or kept, and images per class. */
  split?: SplitCounts;
  classCounts?: number[];
}

/** A zip import's outcome: stored (as is or the app's export), a plain layout awaiting the user's choice, or faces found. */
export type ZipImportOutcome =
  | { kind: 'imported'; imported: ImportedZip }
  | { kind: 'layout'; layout: ZipLayoutSummary }
  | { kind: 'faces'; result: IngestResult };

interface Pending {
  resolve: (r: IngestResult | FaceCrop[] | Uint8Array | ImportedZip | LeakReport | ZipLayoutSummary) => void;
  reject: (err: Error) => void;
  onProgress: (p: IngestProgress) => void;
}

/** The ingest worker died of an uncaught error: the calls it was running are lost, the next call starts a new one. */
export class IngestWorkerCrashed extends Error {
  /** It never ran: its script (or one it imports) did not load, so nothing was stored. */
  notStarted = false;
}

/**
 * Why a worker that fired `error` stopped. An uncaught error in its code comes as an ErrorEvent with a message; a
 * script that did not load (a 404: e.g. a tab open across a deploy whose old files are gone) as a bare event.
 */
export function workerFailure(
  what: string,
  event: Event,
  heardFrom: boolean,
): { message: string; notStarted: boolean } {
  const message = event instanceof ErrorEvent ? event.message : '';
  if (message || heardFrom) return { message: `The ${what} crashed: ${message || 'unknown error'}`, notStarted: false };
  return {
    message: `The ${what} could not start (its script did not load — if the app was just updated, reload the page)`,
    notStarted: true,
  };
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();

function ingestWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('../workers/ingest.worker.ts', import.meta.url), { type: 'module', name: 'ingest' });
  let heardFrom = false;
  w.onmessage = (event: MessageEvent<FromIngestWorker>) => {
    heardFrom = true;
    const msg = event.data;
    const call = pending.get(msg.id);
    if (!call) return;
    if (msg.kind === 'progress') {
      call.onProgress({ done: msg.done, total: msg.total, faces: msg.faces, skipped: msg.skipped });
      return;
    }
    pending.delete(msg.id);
    if (msg.kind === 'done') call.resolve(msg.result);
    else if (msg.kind === 'crops') call.resolve(msg.crops);
    else if (msg.kind === 'zip') call.resolve(msg.bytes);
    else if (msg.kind === 'imported')
      call.resolve({
        datasetId: msg.datasetId,
        count: msg.count,
        report: msg.report,
        split: msg.split,
        classCounts: msg.classCounts,
      });
    else if (msg.kind === 'zipLayout') call.resolve(msg.layout);
    else if (msg.kind === 'leaks') call.resolve(msg.report);
    else call.reject(new Error(msg.message));
  };
  w.onerror = (event) => {
    // Reported by whoever made the call (actions.ts says what was kept), not also as an uncaught page error.
    event.preventDefault();
    const failure = workerFailure('photo worker', event, heardFrom);
    const err = new IngestWorkerCrashed(failure.message);
    err.notStarted = failure.notStarted;
    for (const call of pending.values()) call.reject(err);
    pending.clear();
    w.terminate();
    worker = null;
  };
  worker = w;
  return w;
}

export function ingestFiles(
  opts: { name: string; classNames: string[]; files: IngestFile[]; seed: number; appendTo?: string },
  onProgress: (p: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<IngestResult> {
  const id = nextId++;
  const w = ingestWorker();
  const baseUrl = appBaseUrl();
  return new Promise<IngestResult>((resolve, reject) => {
    pending.set(id, { resolve: resolve as Pending['resolve'], reject, onProgress });
    signal?.addEventListener('abort', () => w.postMessage({ kind: 'cancel', id } satisfies ToIngestWorker), {
      once: true,
    });
    try {
      const faults = new URLSearchParams(location.search).getAll('fault');
      w.postMessage({ kind: 'start', id, baseUrl, faults, ...opts } satisfies ToIngestWorker);
    } catch (err) {
      pending.delete(id);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

/**
 * Every face in one photo as a 64×64 crop (MediaPipe in the ingest worker); nothing is stored. Progress counts
 * the worker's stages (read, decoded, faces found); Cancel stops it at the next stage.
 */
export function cropFacesInPhoto(
  file: Blob,
  onProgress: (p: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<FaceCrop[]> {
  return workerCall({ kind: 'crop', id: nextId++, baseUrl: appBaseUrl(), file }, onProgress, signal);
}

/** One job in the ingest worker (a photo's faces, zip export or import, leak check), with progress and Cancel. */
function workerCall<T>(
  message: ToIngestWorker,
  onProgress: (p: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<T> {
  const w = ingestWorker();
  return new Promise<T>((resolve, reject) => {
    pending.set(message.id, { resolve: resolve as Pending['resolve'], reject, onProgress });
    signal?.addEventListener(
      'abort',
      () => w.postMessage({ kind: 'cancel', id: message.id } satisfies ToIngestWorker),
      { once: true },
    );
    w.postMessage(message);
  });
}

/** The dataset as a zip: class folders of PNG crops per split plus manifest.json (Keras layout). */
export function exportDatasetZip(
  datasetId: string,
  onProgress: (p: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  return workerCall({ kind: 'exportZip', id: nextId++, datasetId }, onProgress, signal);
}

/**
 * Restores a zip made by exportDatasetZip as a new dataset; nothing already stored is touched. A plain
 * Keras-layout zip (no manifest.json) comes back as its layout when `mode` is not given, else is imported that way.
 */
export async function importDatasetZip(
  file: File,
  onProgress: (p: IngestProgress) => void,
  mode?: PlainImportMode,
  signal?: AbortSignal,
): Promise<ZipImportOutcome> {
  const r = await workerCall<ImportedZip | ZipLayoutSummary | IngestResult>(
    { kind: 'importZip', id: nextId++, file, fileName: file.name, mode, baseUrl: appBaseUrl() },
    onProgress,
    signal,
  );
  if ('perClass' in r) return { kind: 'layout', layout: r };
  if ('crops' in r) return { kind: 'faces', result: r };
  return { kind: 'imported', imported: r };
}

/** A picked or dropped folder of face crops imported as is (resized to 64×64, no detection) as a new dataset. */
export function importCropFiles(
  opts: { name: string; classNames: string[]; files: IngestFile[] },
  onProgress: (p: IngestProgress) => void,
  signal?: AbortSignal,
): Promise<ImportedZip> {
  return workerCall({ kind: 'importCrops', id: nextId++, ...opts }, onProgress, signal);
}

/** The split's leak check (each test crop's distance to its nearest training crop); `resplit` re-splits group-aware first. */
export function checkSplitLeaks(datasetId: string, resplit: boolean): Promise<LeakReport> {
  return workerCall({ kind: 'leakCheck', id: nextId++, datasetId, resplit }, () => {});
}

/** Reliability tests only: asks the running ingest worker to crash (it obeys only under `?fault=debug`). */
export function debugCrashIngestWorker(): boolean {
  worker?.postMessage({ kind: 'debugCrash', id: nextId++ } satisfies ToIngestWorker);
  return worker !== null;
}
