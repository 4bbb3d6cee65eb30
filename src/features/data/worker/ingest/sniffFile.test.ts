/**
 * sniffFile / sniffImage know a photo's size before it is decoded, for the headers that e2e/ingest-fuzz.spec.ts
 * found decoded first (a ~1 GB decode from a few bytes): WebP (VP8L, VP8X, VP8) and a JPEG whose SOF sits
 * behind more than SNIFF_BYTES of APP segments. A PNG without IHDR first has no size (it was reported as
 * "too large" with IDAT bytes for a size).
 */
import { describe, expect, it } from 'vitest';
import { encodeJpeg } from '../../../../../e2e/fixtures/jpegEncode';
import { solidWebp } from '../../../../../e2e/fixtures/hostileFiles';
import { sniffImage } from '../../shared/imageSniff';
import { sniffFile } from './sniffFile';

const riff = (fourcc: string, payload: number[]) => {
  const b = new Uint8Array(20 + payload.length);
  b.set([...'RIFF'].map((c) => c.charCodeAt(0)));
  b.set(
    [...`WEBP${fourcc}`].map((c) => c.charCodeAt(0)),
    8,
  );
  b.set(payload, 20);
  return b;
};

describe('sizes read before decoding', () => {
  it('WebP: lossless (VP8L), extended (VP8X) and lossy (VP8)', () => {
    expect(sniffImage(solidWebp(16384, 16384, [1, 2, 3, 255]))).toEqual({
      ok: true,
      kind: 'webp',
      width: 16384,
      height: 16384,
    });
    expect(sniffImage(solidWebp(3, 5000, [1, 2, 3, 255]))).toEqual({ ok: true, kind: 'webp', width: 3, height: 5000 });
    // VP8X: flags, 3 reserved bytes, canvas width − 1 and height − 1 in 24 bits each.
    expect(sniffImage(riff('VP8X', [0, 0, 0, 0, 0xff, 0xff, 0xff, 0x0f, 0x27, 0]))).toEqual({
      ok: true,
      kind: 'webp',
      width: 16777216,
      height: 10000,
    });
    // VP8: frame tag, start code 9D 01 2A, 14-bit width and height.
    expect(sniffImage(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x40, 0x1f, 0xb8, 0x0b]))).toEqual({
      ok: true,
      kind: 'webp',
      width: 8000,
      height: 3000,
    });
    expect(sniffImage(riff('VP8 ', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toEqual({ ok: true, kind: 'webp' });
  });

  it('a PNG whose first chunk is not IHDR has no size', () => {
    const b = new Uint8Array(40);
    b.set([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0xff, 0xff, 0xf7,
      0x5a, 0x8e, 0x01,
    ]);
    expect(sniffImage(b)).toEqual({ ok: true, kind: 'png' });
  });

  it('a JPEG whose SOF sits behind 128 KB of APP2: its size comes from the whole file', async () => {
    const jpeg = Uint8Array.from(
      encodeJpeg({ width: 16, height: 8, data: new Uint8Array(16 * 8 * 3).fill(99), channels: 3 }),
    );
    const app = new Uint8Array(65537);
    app.set([0xff, 0xe2, 0xff, 0xff]);
    const file = new Blob([jpeg.subarray(0, 2), app, app, jpeg.subarray(2)]);
    expect(sniffImage(new Uint8Array(await file.slice(0, 64 * 1024).arrayBuffer()))).toEqual({
      ok: true,
      kind: 'jpeg',
    });
    expect(await sniffFile(file)).toEqual({ ok: true, kind: 'jpeg', width: 16, height: 8 });
    expect(await sniffFile(new Blob([jpeg]))).toEqual({ ok: true, kind: 'jpeg', width: 16, height: 8 });
  });
});
