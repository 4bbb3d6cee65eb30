/**
 * A whole image decoded (EXIF orientation honoured) and drawn at 64×64 on an OffscreenCanvas (worker-side):
 * "use as is" crops are stretched to 64×64 as Keras' image_dataset_from_directory resizes them. No colour-space
 * conversion or premultiplication, so a 64×64 opaque PNG is stored bit for bit; transparency is drawn on black.
 */
import { CROP_SIZE, rgbaToRgb } from '../face/cropGeometry';

let canvas: OffscreenCanvas | null = null;

export async function decodeResized(blob: Blob): Promise<{ width: number; height: number; rgb: Uint8Array }> {
  const bitmap = await createImageBitmap(blob, {
    imageOrientation: 'from-image',
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
  try {
    canvas ??= new OffscreenCanvas(CROP_SIZE, CROP_SIZE);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('OffscreenCanvas 2D is not available');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, CROP_SIZE, CROP_SIZE);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, CROP_SIZE, CROP_SIZE);
    return {
      width: bitmap.width,
      height: bitmap.height,
      rgb: rgbaToRgb(ctx.getImageData(0, 0, CROP_SIZE, CROP_SIZE).data),
    };
  } finally {
    bitmap.close();
  }
}
