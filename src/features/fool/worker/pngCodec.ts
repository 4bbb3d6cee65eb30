/**
 * 8-bit RGB ↔ PNG bytes with the browser's own encoder and decoder (OffscreenCanvas in the worker), the path
 * a user's saved file takes. Alpha is opaque, no colour-space conversion or premultiplication, so the round
 * trip is lossless for a correct implementation — which is what "saved means saved" checks.
 */
export interface PngCodec {
  encode(rgb: Uint8Array, width: number, height: number): Promise<Uint8Array>;
  decode(png: Uint8Array): Promise<{ rgb: Uint8Array; width: number; height: number }>;
}

function context(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser has no 2-D OffscreenCanvas in workers (needed to save PNGs).');
  return ctx;
}

export const canvasPngCodec: PngCodec = {
  async encode(rgb, width, height) {
    const ctx = context(width, height);
    const image = ctx.createImageData(width, height);
    for (let p = 0; p < width * height; p++) {
      image.data[p * 4] = rgb[p * 3];
      image.data[p * 4 + 1] = rgb[p * 3 + 1];
      image.data[p * 4 + 2] = rgb[p * 3 + 2];
      image.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const blob = await (ctx.canvas as OffscreenCanvas).convertToBlob({ type: 'image/png' });
    return new Uint8Array(await blob.arrayBuffer());
  },
  async decode(png) {
    const bitmap = await createImageBitmap(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }), {
      premultiplyAlpha: 'none',
      colorSpaceConversion: 'none',
    });
    try {
      const { width, height } = bitmap;
      const ctx = context(width, height);
      ctx.drawImage(bitmap, 0, 0);
      const rgba = ctx.getImageData(0, 0, width, height).data;
      const rgb = new Uint8Array(width * height * 3);
      for (let p = 0; p < width * height; p++) {
        rgb[p * 3] = rgba[p * 4];
        rgb[p * 3 + 1] = rgba[p * 4 + 1];
        rgb[p * 3 + 2] = rgba[p * 4 + 2];
      }
      return { rgb, width, height };
    } finally {
      bitmap.close();
    }
  },
};
