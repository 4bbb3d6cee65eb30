/**
 * MediaPipe FaceDetector (BlazeFace short range), worker-only. Owns the one detector instance of its worker:
 * created lazily on the first call, from our own origin only (wasm and the metadata-patched model are
 * copied to vendor/mediapipe/ by vite.config.ts). Returns plain data in pixels, never MediaPipe objects.
 */
import { FaceDetector, FilesetResolver } from '@mediapipe/tasks-vision';
import type { FaceDetection } from '../../shared/faceProtocol';

export interface FaceDetectorHandle {
  /** Detects faces; the first call creates the detector (wasm + model load, ≈ 1 s). */
  detectFaces(image: ImageBitmap): Promise<FaceDetection[]>;
  close(): void;
}

const MODEL_FILE = 'face_detection_short_range.tflite';

async function loadDetector(baseUrl: string): Promise<FaceDetector> {
  // tasks-vision joins `${path}/vision_wasm_…`, so drop the trailing slash. `true`: load the ES-module
  // variant, the only one that works in a module worker (without it: "ModuleFactory not set").
  const vendor = new URL('vendor/mediapipe/', baseUrl).href;
  const fileset = await FilesetResolver.forVisionTasks(vendor.replace(/\/$/, ''), true);
  routeWasmLog();
  return FaceDetector.createFromOptions(fileset, {
    baseOptions: { modelAssetPath: new URL(MODEL_FILE, vendor).href, delegate: 'CPU' },
    runningMode: 'IMAGE',
    minDetectionConfidence: 0.5,
  });
}

/**
 * MediaPipe's wasm writes everything on stderr, which Emscripten sends to console.error — including glog
 * INFO lines such as "INFO: Created TensorFlow Lite XNNPACK delegate for CPU." tasks-vision passes a
 * global `Module` object, when one exists, to the wasm module factory (and clears it afterwards), whose
 * `printErr` replaces that default. Keep real errors as errors; demote INFO (glog "I…") and warnings.
 */
function routeWasmLog(): void {
  const printErr = (text: string): void => {
    if (/^(INFO:|I\d{4} )/.test(text)) console.info(text);
    else if (/^(WARNING:|W\d{4} )/.test(text)) console.warn(text);
    else console.error(text);
  };
  (self as unknown as { Module?: { printErr: (text: string) => void } }).Module = { printErr };
}

export function createFaceDetector(baseUrl: string): FaceDetectorHandle {
  let pending: Promise<FaceDetector> | null = null;
  return {
    async detectFaces(image) {
      pending ??= loadDetector(baseUrl).catch((err: unknown) => {
        pending = null; // a later call may retry
        throw err;
      });
      const detector = await pending;
      return toPlain(detector.detect(image).detections, image.width, image.height);
    },
    close() {
      void pending?.then((d) => d.close()).catch(() => undefined);
      pending = null;
    },
  };
}

function toPlain(
  detections: ReturnType<FaceDetector['detect']>['detections'],
  width: number,
  height: number,
): FaceDetection[] {
  return detections.map((d) => ({
    box: {
      x: d.boundingBox?.originX ?? 0,
      y: d.boundingBox?.originY ?? 0,
      width: d.boundingBox?.width ?? 0,
      height: d.boundingBox?.height ?? 0,
    },
    score: d.categories[0]?.score ?? 0,
    // Keypoints come normalised to [0, 1]; the box is already in pixels.
    keypoints: d.keypoints.map((k) => ({ x: k.x * width, y: k.y * height })),
  }));
}
