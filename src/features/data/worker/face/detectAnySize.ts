/**
 * Face detection on a photo of any shape the ingest accepts (≤ 40 megapixels, but a side may be 40000 px):
 * MediaPipe's image conversion aborts its wasm on a side ≥ 32767 px (OpenCV remap: "dst.cols < SHRT_MAX …"),
 * after which every later detection fails ("Packet timestamp mismatch") — found by e2e/ingest-fuzz.spec.ts
 * with a GIF whose screen said 47391×1. Photos with a side over DETECT_MAX_SIDE are detected on a copy scaled
 * to fit (BlazeFace sees 128×128 anyway) and the faces scaled back to the photo's pixels; the crop is drawn
 * from the full photo.
 */
import type { FaceDetection } from '../../shared/faceProtocol';

/** Longest side given to the detector: under OpenCV's 32767 and the 16384 texture size of common GPUs. */
export const DETECT_MAX_SIDE = 8192;

export async function detectAnySize(
  detect: (bitmap: ImageBitmap) => Promise<FaceDetection[]>,
  bitmap: ImageBitmap,
  maxSide = DETECT_MAX_SIDE,
): Promise<FaceDetection[]> {
  const scale = maxSide / Math.max(bitmap.width, bitmap.height);
  if (scale >= 1) return detect(bitmap);
  const small = await createImageBitmap(bitmap, {
    resizeWidth: Math.max(1, Math.round(bitmap.width * scale)),
    resizeHeight: Math.max(1, Math.round(bitmap.height * scale)),
    resizeQuality: 'medium',
  });
  try {
    const sx = bitmap.width / small.width;
    const sy = bitmap.height / small.height;
    return (await detect(small)).map((f) => ({
      box: { x: f.box.x * sx, y: f.box.y * sy, width: f.box.width * sx, height: f.box.height * sy },
      score: f.score,
      keypoints: f.keypoints.map((k) => ({ x: k.x * sx, y: k.y * sy })),
    }));
  } finally {
    small.close();
  }
}
