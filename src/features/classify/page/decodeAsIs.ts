/**
 * "Use as is": an image file decoded to the model's 64×64 RGB input without face detection (issue 16 item 6).
 * A 64×64 file keeps its stored pixels bit for bit (no colour-space conversion, no premultiplication, drawn
 * 1:1); any other size is resized to 64×64 and the caller says so. Pure page code: the browser's decoder.
 */
import { SNIFF_BYTES, sizeRefusal, sniffImage } from '../../data/shared/imageSniff';
import { IMAGE_SIDE, PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

export interface AsIsImage {
  name: string;
  /** 64×64×3 RGB, row-major. */
  pixels: Uint8Array;
  width: number;
  height: number;
  resized: boolean;
  /** Pixels with alpha < 255: their colours are as the browser draws them, not necessarily as stored. */
  transparentPixels: number;
}

export async function decodeAsIs(file: Blob, name: string): Promise<AsIsImage> {
  // The header first (issue 18): a small file can declare a size whose decode would take gigabytes.
  const sniffed = sniffImage(new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer()));
  if (!sniffed.ok) throw new Error(`${name}: ${sniffed.reason}.`);
  const refusal =
    sniffed.width !== undefined && sniffed.height !== undefined ? sizeRefusal(sniffed.width, sniffed.height) : null;
  if (refusal) throw new Error(`${name}: ${refusal}.`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch {
    throw new Error(`${name} could not be decoded as an image.`);
  }
  try {
    const { width, height } = bitmap;
    const canvas = document.createElement('canvas');
    canvas.width = IMAGE_SIDE;
    canvas.height = IMAGE_SIDE;
    // A CPU-backed canvas: getImageData returns exactly what was drawn.
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('This browser has no 2-D canvas.');
    const resized = width !== IMAGE_SIDE || height !== IMAGE_SIDE;
    if (resized) {
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, IMAGE_SIDE, IMAGE_SIDE);
    } else {
      ctx.drawImage(bitmap, 0, 0);
    }
    const rgba = ctx.getImageData(0, 0, IMAGE_SIDE, IMAGE_SIDE).data;
    const pixels = new Uint8Array(PIXELS_PER_IMAGE);
    let transparentPixels = 0;
    for (let p = 0; p < IMAGE_SIDE * IMAGE_SIDE; p++) {
      pixels[p * 3] = rgba[p * 4];
      pixels[p * 3 + 1] = rgba[p * 4 + 1];
      pixels[p * 3 + 2] = rgba[p * 4 + 2];
      if (rgba[p * 4 + 3] < 255) transparentPixels++;
    }
    return { name, pixels, width, height, resized, transparentPixels };
  } finally {
    bitmap.close();
  }
}

/** What was classified, in words: exact pixels, or resized from which size. */
export function asIsNote(image: Pick<AsIsImage, 'width' | 'height' | 'resized' | 'transparentPixels'>): string {
  const how = image.resized
    ? `The file is ${image.width}×${image.height}, not 64×64: it was resized to 64×64 (aspect ratio not kept) and classified without face detection.`
    : 'The file is 64×64: its exact pixels were classified, bit for bit, without face detection.';
  const alpha = image.transparentPixels
    ? ` ${image.transparentPixels} pixels are not fully opaque; the model sees their colours as the browser draws them.`
    : '';
  return how + alpha;
}
