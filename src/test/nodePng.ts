/** fast-png stands in, in Node tests, for the worker's OffscreenCanvas PNG codec (src/features/fool/worker/pngCodec.ts). */
import { decode, encode } from 'fast-png';
import type { PngCodec } from '../features/fool/worker/pngCodec';

export const nodePng: PngCodec = {
  async encode(rgb, width, height) {
    return encode({ width, height, data: rgb, channels: 3, depth: 8 });
  },
  async decode(png) {
    const img = decode(png);
    return { rgb: Uint8Array.from(img.data as Uint8Array), width: img.width, height: img.height };
  },
};
