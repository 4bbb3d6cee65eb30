/** Draws one face crop on an OffscreenCanvas (worker-side): the transform of face/cropGeometry.ts. */
import { CROP_SIZE, cropGeometry, rgbaToRgb } from '../face/cropGeometry';
import type { FaceDetection } from '../../shared/faceProtocol';

let canvas: OffscreenCanvas | null = null;

export function drawCrop(bitmap: ImageBitmap, face: FaceDetection, size = CROP_SIZE): Uint8Array {
  canvas ??= new OffscreenCanvas(size, size);
  if (canvas.width !== size) canvas.width = canvas.height = size;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('OffscreenCanvas 2D is not available');
  const g = cropGeometry(face);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, size, size); // outside the photo stays black
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  // crop = R(-angle) · (image − centre) · size / side + size / 2
  ctx.translate(size / 2, size / 2);
  ctx.scale(size / g.side, size / g.side);
  ctx.rotate(-g.angle);
  ctx.translate(-g.cx, -g.cy);
  ctx.drawImage(bitmap, 0, 0);
  return rgbaToRgb(ctx.getImageData(0, 0, size, size).data);
}
