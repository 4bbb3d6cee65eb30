/**
 * Where a face crop comes from, pure: a square around the detection box with a margin, centred on the box,
 * rotated so the line through the two eye keypoints is horizontal. The ingest worker turns this into
 * OffscreenCanvas transforms; unit tests check the geometry directly.
 */
import type { FaceDetection } from '../../shared/faceProtocol';
import { IMAGE_SIDE } from '../../../../shared/imageGeometry';

/** Margin added on each side, as a fraction of the box's longer side (so the square is 1.5× the box). */
export const CROP_MARGIN = 0.25;
export const CROP_SIZE = IMAGE_SIDE;

export interface CropGeometry {
  /** Centre of the crop in image pixels. */
  cx: number;
  cy: number;
  /** Side of the square in image pixels (before resizing to CROP_SIZE). */
  side: number;
  /** Angle of the eye line in radians (image y down); the crop is rotated by -angle to level the eyes. */
  angle: number;
}

export function cropGeometry(face: FaceDetection, margin = CROP_MARGIN): CropGeometry {
  const { x, y, width, height } = face.box;
  const side = Math.max(width, height) * (1 + 2 * margin);
  // BlazeFace keypoints 0 and 1: the subject's right eye (image left) and left eye (image right).
  const [r, l] = face.keypoints;
  let angle = r && l ? Math.atan2(l.y - r.y, l.x - r.x) : 0;
  if (!Number.isFinite(angle)) angle = 0;
  return { cx: x + width / 2, cy: y + height / 2, side, angle };
}

/** Maps a point of the output crop (0..size) back to image pixels: the inverse of the drawing transform. */
export function cropToImage(g: CropGeometry, u: number, v: number, size = CROP_SIZE): { x: number; y: number } {
  const s = g.side / size;
  const dx = (u - size / 2) * s;
  const dy = (v - size / 2) * s;
  const c = Math.cos(g.angle);
  const sn = Math.sin(g.angle);
  return { x: g.cx + dx * c - dy * sn, y: g.cy + dx * sn + dy * c };
}

/** RGBA (getImageData) → packed RGB, as the datasets store pixels. */
export function rgbaToRgb(
  rgba: Uint8ClampedArray | Uint8Array,
  out = new Uint8Array((rgba.length / 4) * 3),
): Uint8Array {
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    out[j] = rgba[i];
    out[j + 1] = rgba[i + 1];
    out[j + 2] = rgba[i + 2];
  }
  return out;
}
