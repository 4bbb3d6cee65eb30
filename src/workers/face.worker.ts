/**
 * The face worker: owns MediaPipe's FaceDetector (src/features/data/worker/face/detector.ts). Speaks the protocol in
 * shared/faceProtocol.ts; every received ImageBitmap is closed, whatever happens.
 */
import { detectAnySize } from '../features/data/worker/face/detectAnySize';
import { createFaceDetector, type FaceDetectorHandle } from '../features/data/worker/face/detector';
import type { FromFaceWorker, ToFaceWorker } from '../features/data/shared/faceProtocol';
import { sameOriginOnly } from '../shared/sameOriginOnly';
import { errorMessage } from '../shared/errorMessage';

declare const self: DedicatedWorkerGlobalScope;
sameOriginOnly(self); // the page's CSP does not reach workers

let detector: FaceDetectorHandle | null = null;

function reply(message: FromFaceWorker): void {
  self.postMessage(message);
}

async function detect(id: number, bitmap: ImageBitmap): Promise<void> {
  const started = performance.now();
  try {
    const handle = detector;
    if (!handle) throw new Error('The face worker got no init message.');
    // A side over 32,766 px aborts MediaPipe's wasm for good (src/features/data/worker/face/detectAnySize.ts).
    const faces = await detectAnySize((b) => handle.detectFaces(b), bitmap);
    reply({ kind: 'detected', id, faces, ms: performance.now() - started });
  } catch (err) {
    reply({ kind: 'error', id, message: errorMessage(err) });
  } finally {
    bitmap.close();
  }
}

self.onmessage = (event: MessageEvent<ToFaceWorker>) => {
  const msg = event.data;
  switch (msg.kind) {
    case 'init':
      detector?.close();
      detector = createFaceDetector(msg.baseUrl);
      break;
    case 'detect':
      void detect(msg.id, msg.bitmap);
      break;
  }
};
