/**
 * Region masks for "where it looks" on photo datasets, which have no true masks: each crop's approximate mask
 * from the box and keypoints the detector stored with it (src/features/see/shared/keypointRegions.ts), in the crop frame that
 * src/features/data/worker/face/cropGeometry.ts cut it with. A crop stored without them (a dataset zip without keypoints, say) gets
 * null, and the caller counts it as skipped.
 */
import { cropGeometry } from '../../data/worker/face/cropGeometry';
import { approximateRegionMask, faceInCrop } from '../shared/keypointRegions';
import { IMAGE_SIDE } from '../../../shared/imageGeometry';

export interface StoredDetection {
  /** x, y, width, height in the source photo's pixels. */
  box?: ArrayLike<number>;
  /** Six (x, y) keypoints in the source photo's pixels, flattened (NaN where none was stored). */
  keypoints?: ArrayLike<number>;
}

export function approximateMaskOf(stored: StoredDetection, size = IMAGE_SIDE): Uint8Array | null {
  const { box, keypoints } = stored;
  if (!box || !keypoints || box.length < 4 || keypoints.length < 12) return null;
  // The same geometry the crop was drawn with (src/features/data/worker/ingest/drawCrop.ts), rebuilt from what was stored.
  const frame = cropGeometry({
    box: { x: box[0], y: box[1], width: box[2], height: box[3] },
    score: 1,
    keypoints: Array.from({ length: 6 }, (_, i) => ({ x: keypoints[2 * i], y: keypoints[2 * i + 1] })),
  });
  const face = faceInCrop(frame, box, keypoints, size);
  return face ? approximateRegionMask(face, size) : null;
}

/**
 * The approximate masks of some test faces, in order, leaving out those stored without keypoints: `kept` are
 * the positions (into `detections`) that have a mask. Throws, saying why, when none has one.
 */
export function approximateMasksOf(detections: StoredDetection[]): {
  kept: number[];
  masks: Uint8Array[];
  skipped: number;
} {
  const kept: number[] = [];
  const masks: Uint8Array[] = [];
  detections.forEach((d, k) => {
    const mask = approximateMaskOf(d);
    if (mask) {
      kept.push(k);
      masks.push(mask);
    }
  });
  if (kept.length === 0) {
    throw new Error(
      `None of the first ${detections.length} test faces has the face detector's keypoints (their crops were stored without them), so there are no regions to measure against.`,
    );
  }
  return { kept, masks, skipped: detections.length - kept.length };
}
