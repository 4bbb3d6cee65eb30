import { describe, expect, it } from 'vitest';
import { decodeFailureReason, sniffImage, UNSUPPORTED } from './imageSniff';

const bytes = (...parts: Array<string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

function png(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b;
}

describe('sniffImage', () => {
  it('recognises the accepted formats by their magic bytes', () => {
    expect(sniffImage(png(512, 384))).toEqual({ ok: true, kind: 'png', width: 512, height: 384 });
    expect(sniffImage(bytes('GIF89a', [0x40, 0x01, 0xf0, 0x00]))).toEqual({
      ok: true,
      kind: 'gif',
      width: 320,
      height: 240,
    });
    expect(sniffImage(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '))).toEqual({ ok: true, kind: 'webp' });
    const bmp = new Uint8Array(26);
    bmp.set(bytes('BM'));
    new DataView(bmp.buffer).setInt32(18, 100, true);
    new DataView(bmp.buffer).setInt32(22, -50, true); // top-down BMP
    expect(sniffImage(bmp)).toEqual({ ok: true, kind: 'bmp', width: 100, height: 50 });
  });
  it('reads a JPEG size from its SOF marker, past APPn segments', () => {
    const app0 = [0xff, 0xe0, 0x00, 0x10, ...new Array(14).fill(0)];
    const sof0 = [0xff, 0xc0, 0x00, 0x11, 0x08, 0x0b, 0xb8, 0x0f, 0xa0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, ...app0, ...sof0]))).toEqual({
      ok: true,
      kind: 'jpeg',
      width: 4000,
      height: 3000,
    });
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1]))).toEqual({ ok: true, kind: 'jpeg' });
  });
  it('reports HEIC, empty and non-image files', () => {
    expect(sniffImage(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0]))).toEqual({
      ok: false,
      reason: 'HEIC is not supported: convert to JPEG',
    });
    expect(sniffImage(bytes([0, 0, 0, 0x18], 'ftypmif1'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('HEIC'),
    });
    expect(sniffImage(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty file (0 bytes)' });
    expect(sniffImage(bytes('hello, these are my notes'))).toEqual({ ok: false, reason: 'not an image' });
    expect(sniffImage(bytes([0, 0, 0, 0x18], 'ftypmp42'))).toEqual({ ok: false, reason: 'not an image' });
  });
  it('names the formats a photo folder may hold by mistake, with what to do', () => {
    const svg = { ok: false, reason: 'SVG is not supported: convert to PNG or JPEG' };
    expect(sniffImage(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toEqual(svg);
    expect(
      sniffImage(bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0"?>\n<!-- drawn by hand -->\n<!DOCTYPE svg>\n<SVG\n>')),
    ).toEqual(svg);
    expect(sniffImage(bytes('<html><body><svg></svg></body></html>'))).toEqual({ ok: false, reason: 'not an image' });
    expect(sniffImage(bytes('<svgfoo/>'))).toEqual({ ok: false, reason: 'not an image' });
    expect(sniffImage(bytes('%PDF-1.4\n%'))).toEqual({ ok: false, reason: 'not an image (a PDF document)' });
    expect(sniffImage(bytes('PK', [3, 4, 20, 0]))).toEqual({ ok: false, reason: UNSUPPORTED.zip });
    expect(sniffImage(bytes('PK', [5, 6, 0, 0]))).toEqual({ ok: false, reason: UNSUPPORTED.zip }); // an empty archive
    expect(UNSUPPORTED.zip).toBe('not an image (a ZIP archive: unzip it and pick the folder)');
    expect(sniffImage(bytes('II*', [0, 8, 0, 0, 0]))).toEqual({
      ok: false,
      reason: 'TIFF is not supported: convert to JPEG',
    });
    expect(sniffImage(bytes('MM', [0, 42, 0, 0, 0, 8]))).toEqual({ ok: false, reason: UNSUPPORTED.tiff });
  });
  it('tells AVIF from HEIC by every brand of the ftyp box, not only the major one', () => {
    const ftyp = (major: string, ...compatible: string[]) =>
      bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible, [0, 0, 0, 0x20], 'meta');
    expect(sniffImage(ftyp('avif', 'mif1', 'miaf'))).toEqual({
      ok: false,
      reason: 'AVIF is not supported: convert to JPEG',
    });
    expect(sniffImage(ftyp('mif1', 'avif', 'miaf'))).toEqual({ ok: false, reason: UNSUPPORTED.avif });
    expect(sniffImage(ftyp('mif1', 'mif1', 'heic'))).toEqual({ ok: false, reason: UNSUPPORTED.heic });
    expect(sniffImage(ftyp('heic', 'mif1', 'heic'))).toEqual({ ok: false, reason: UNSUPPORTED.heic });
    // 'avif' after the ftyp box (here: in the next box) is not a brand.
    expect(sniffImage(bytes([0, 0, 0, 16], 'ftypheic', [0, 0, 0, 0], [0, 0, 0, 12], 'avif'))).toEqual({
      ok: false,
      reason: UNSUPPORTED.heic,
    });
  });
});

describe('decodeFailureReason', () => {
  it("turns Chromium's undecodable-image error into what it means for a photo", () => {
    // What createImageBitmap rejects with for a truncated or corrupt file (seen in e2e/ingest-bad-input.spec.ts).
    const chromium = new DOMException('The source image could not be decoded.', 'InvalidStateError');
    expect(decodeFailureReason('jpeg', chromium)).toBe('could not decode JPEG: the file is damaged or incomplete');
    expect(decodeFailureReason('gif', new Error('The source image could not be decoded.'))).toBe(
      'could not decode GIF: the file is damaged or incomplete',
    );
  });
  it('keeps any other message, and says something when there is none', () => {
    expect(decodeFailureReason('png', new RangeError('Out of memory'))).toBe('could not decode PNG: Out of memory');
    expect(decodeFailureReason('webp', new Error(''))).toBe('could not decode WEBP: corrupt data');
    expect(decodeFailureReason('bmp', undefined)).toBe('could not decode BMP: corrupt data');
  });
});
