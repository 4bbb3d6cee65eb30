/**
 * Image type sniffing from magic bytes (never from the file name), pure: what the ingest worker decodes,
 * what it reports as unsupported, and the pixel size read from the header where that is cheap (PNG, GIF,
 * BMP, JPEG), so an oversized photo is refused before it is decoded.
 */

export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

export type Sniffed =
  | { ok: true; kind: ImageKind; width?: number; height?: number }
  | { ok: false; reason: string };

/** Bytes sniffImage wants to see (JPEG SOF markers can sit after large EXIF blocks; read more for those). */
export const SNIFF_BYTES = 64 * 1024;

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'heif']);

const ascii = (b: Uint8Array, start: number, end: number) => String.fromCharCode(...b.subarray(start, end));

export function sniffImage(b: Uint8Array): Sniffed {
  if (b.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return { ok: true, kind: 'jpeg', ...jpegSize(b) };
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 4) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) {
    const size = b.length >= 24 ? { width: u32be(b, 16), height: u32be(b, 20) } : {};
    return { ok: true, kind: 'png', ...size };
  }
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    const size = b.length >= 10 ? { width: b[6] | (b[7] << 8), height: b[8] | (b[9] << 8) } : {};
    return { ok: true, kind: 'gif', ...size };
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return { ok: true, kind: 'webp' };
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) {
    const size = b.length >= 26 ? { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) } : {};
    return { ok: true, kind: 'bmp', ...size };
  }
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    const brand = ascii(b, 8, 12);
    if (HEIF_BRANDS.has(brand)) return { ok: false, reason: 'HEIC is not supported: convert to JPEG' };
    if (brand === 'avif' || brand === 'avis') return { ok: false, reason: 'AVIF is not supported: convert to JPEG' };
  }
  return { ok: false, reason: 'not an image' };
}

function u32be(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

function i32le(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/** Walks JPEG marker segments to the first SOFn; {} when it is not within the bytes given. */
function jpegSize(b: Uint8Array): { width?: number; height?: number } {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return {};
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    const length = (b[i + 2] << 8) | b[i + 3];
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8] };
    if (marker === 0xda || marker === 0xd9) return {};
    i += 2 + length;
  }
  return {};
}
