/**
 * Main-thread side of the face worker (src/workers/face.worker.ts): one lazily started worker, typed calls.
 * Used by e2e tests through `window.__faces` today; photo ingest will call it.
 */
import { appBaseUrl } from './appBaseUrl';
import type { FaceDetection, FromFaceWorker, ToFaceWorker } from '../features/data/shared/faceProtocol';

export type { FaceDetection };

interface Pending {
  resolve: (faces: FaceDetection[]) => void;
  reject: (err: Error) => void;
}

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
let lastMs = 0;

/** Milliseconds the last detection took inside the worker (the first includes loading the model). */
export function lastFaceDetectionMs(): number {
  return lastMs;
}

function post(message: ToFaceWorker, transfer: Transferable[] = []): void {
  faceWorker().postMessage(message, transfer);
}

function faceWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('../workers/face.worker.ts', import.meta.url), { type: 'module', name: 'face' });
  w.onmessage = (event: MessageEvent<FromFaceWorker>) => {
    const msg = event.data;
    const call = pending.get(msg.id);
    if (!call) return;
    pending.delete(msg.id);
    if (msg.kind === 'detected') {
      lastMs = msg.ms;
      call.resolve(msg.faces);
    } else call.reject(new Error(msg.message));
  };
  w.onerror = (event) => {
    // A worker that failed to load or threw at top level: fail every waiting call and start afresh next time.
    for (const call of pending.values()) call.reject(new Error(event.message || 'face worker failed'));
    pending.clear();
    w.terminate();
    worker = null;
  };
  worker = w;
  post({ kind: 'init', baseUrl: appBaseUrl() });
  return w;
}

/** Detects the faces in an image file; boxes and keypoints in pixels of the decoded image. */
export async function detectFacesInBlob(blob: Blob): Promise<FaceDetection[]> {
  const bitmap = await createImageBitmap(blob);
  const id = nextId++;
  return new Promise<FaceDetection[]>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    try {
      post({ kind: 'detect', id, bitmap }, [bitmap]);
    } catch (err) {
      pending.delete(id);
      bitmap.close();
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
