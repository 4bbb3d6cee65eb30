import { describe, expect, it } from 'vitest';
import { sniffImage } from './imageSniff';

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
    expect(sniffImage(bytes('GIF89a', [0x40, 0x01, 0xf0, 0x00]))).toEqual({ ok: true, kind: 'gif', width: 320, height: 240 });
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
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, ...app0, ...sof0]))).toEqual({ ok: true, kind: 'jpeg', width: 4000, height: 3000 });
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1]))).toEqual({ ok: true, kind: 'jpeg' });
  });
  it('reports HEIC, empty and non-image files', () => {
    expect(sniffImage(bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0]))).toEqual({ ok: false, reason: 'HEIC is not supported: convert to JPEG' });
    expect(sniffImage(bytes([0, 0, 0, 0x18], 'ftypmif1'))).toMatchObject({ ok: false, reason: expect.stringContaining('HEIC') });
    expect(sniffImage(new Uint8Array(0))).toEqual({ ok: false, reason: 'empty file (0 bytes)' });
    expect(sniffImage(bytes('hello, these are my notes'))).toEqual({ ok: false, reason: 'not an image' });
    expect(sniffImage(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'))).toEqual({ ok: false, reason: 'not an image' });
    expect(sniffImage(bytes([0, 0, 0, 0x18], 'ftypmp42'))).toEqual({ ok: false, reason: 'not an image' });
  });
});
