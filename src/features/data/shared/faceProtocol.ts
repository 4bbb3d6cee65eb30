/**
 * The face worker's message protocol (src/workers/face.worker.ts ⇄ src/bridge/faceBridge.ts): one
 * discriminated union each way, plain data only (the detect reply carries
 * the time the detection took, model loading included on the first call). The ImageBitmap is transferred, never copied.
 */

/** One detected face, in pixels of the image that was sent. */
export interface FaceDetection {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  /** BlazeFace's six keypoints: right eye, left eye, nose tip, mouth, right ear tragion, left ear tragion. */
  keypoints: { x: number; y: number }[];
}

export type ToFaceWorker =
  /** First message: the app's base URL (MediaPipe's files are under `${baseUrl}vendor/mediapipe/`). */
  | { kind: 'init'; baseUrl: string }
  /** The bitmap is transferred; the worker closes it on every path. */
  | { kind: 'detect'; id: number; bitmap: ImageBitmap };

export type FromFaceWorker =
  { kind: 'detected'; id: number; faces: FaceDetection[]; ms: number } | { kind: 'error'; id: number; message: string };
