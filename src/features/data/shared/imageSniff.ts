/**
 * Image type sniffing from magic bytes (never from the file name), pure: what the ingest worker decodes,
 * what it reports as unsupported (with a reason a person can act on: HEIC, AVIF, TIFF and SVG say so; PDF
 * and ZIP files are named), and the pixel size read from the header where that is cheap (PNG, GIF, BMP,
 * JPEG, WebP), so an oversized photo is refused before it is decoded. `decodeFailureReason` words a failed decode.
 */

export type ImageKind = 'jpeg' | 'png' | 'webp' | 'gif' | 'bmp';

export type Sniffed = { ok: true; kind: ImageKind; width?: number; height?: number } | { ok: false; reason: string };

/** Photos larger than this are refused before decoding (decoded RGBA would be 160 MB). */
export const MAX_PIXELS = 40_000_000;
/** The report reason for a photo of width×height over MAX_PIXELS, else null. */
export function sizeRefusal(width: number, height: number): string | null {
  if (width * height <= MAX_PIXELS) return null;
  return `too large: ${width}×${height} (${((width * height) / 1e6).toFixed(0)} megapixels, limit 40)`;
}

/** Bytes sniffImage wants to see (JPEG SOF markers can sit after large EXIF blocks; read more for those). */
export const SNIFF_BYTES = 64 * 1024;

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'heif']);
const AVIF_BRANDS = new Set(['avif', 'avis']);

export const UNSUPPORTED = {
  heic: 'HEIC is not supported: convert to JPEG',
  avif: 'AVIF is not supported: convert to JPEG',
  tiff: 'TIFF is not supported: convert to JPEG',
  svg: 'SVG is not supported: convert to PNG or JPEG',
  pdf: 'not an image (a PDF document)',
  zip: 'not an image (a ZIP archive: unzip it and pick the folder)',
  other: 'not an image',
} as const;

const ascii = (b: Uint8Array, start: number, end: number) => String.fromCharCode(...b.subarray(start, end));

export function sniffImage(b: Uint8Array): Sniffed {
  if (b.length === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff)
    return { ok: true, kind: 'jpeg', ...jpegSize(b) };
  if (
    b.length >= 8 &&
    b[0] === 0x89 &&
    ascii(b, 1, 4) === 'PNG' &&
    b[4] === 0x0d &&
    b[5] === 0x0a &&
    b[6] === 0x1a &&
    b[7] === 0x0a
  ) {
    // The size is IHDR's, when IHDR comes first as it must; other bytes there are no size (a PNG without IHDR
    // was reported as "too large: 2019439805×4149714055", found by e2e/ingest-fuzz.spec.ts).
    const size = b.length >= 24 && ascii(b, 12, 16) === 'IHDR' ? { width: u32be(b, 16), height: u32be(b, 20) } : {};
    return { ok: true, kind: 'png', ...size };
  }
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    const size = b.length >= 10 ? { width: b[6] | (b[7] << 8), height: b[8] | (b[9] << 8) } : {};
    return { ok: true, kind: 'gif', ...size };
  }
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP')
    return { ok: true, kind: 'webp', ...webpSize(b) };
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) {
    const size = b.length >= 26 ? { width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) } : {};
    return { ok: true, kind: 'bmp', ...size };
  }
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') {
    // The major brand, then the compatible brands up to the end of the ftyp box: an AVIF file may carry
    // the generic HEIF brand 'mif1' as its major brand and 'avif' only among the compatible ones.
    const boxEnd = Math.min(u32be(b, 0), b.length);
    const brands = [ascii(b, 8, 12)];
    for (let i = 16; i + 4 <= boxEnd; i += 4) brands.push(ascii(b, i, i + 4));
    if (brands.some((x) => AVIF_BRANDS.has(x))) return { ok: false, reason: UNSUPPORTED.avif };
    if (HEIF_BRANDS.has(brands[0])) return { ok: false, reason: UNSUPPORTED.heic };
  }
  if (b.length >= 4 && (ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*'))
    return { ok: false, reason: UNSUPPORTED.tiff };
  if (b.length >= 5 && ascii(b, 0, 5) === '%PDF-') return { ok: false, reason: UNSUPPORTED.pdf };
  if (b.length >= 4 && ascii(b, 0, 2) === 'PK' && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6))) {
    return { ok: false, reason: UNSUPPORTED.zip };
  }
  if (isSvg(b)) return { ok: false, reason: UNSUPPORTED.svg };
  return { ok: false, reason: UNSUPPORTED.other };
}

/**
 * An SVG document: optional BOM and whitespace, an optional XML declaration, comments and a doctype, then an
 * `<svg` element, within the first kilobyte. Never rendered here (it could hold scripts); only named.
 */
function isSvg(b: Uint8Array): boolean {
  const text = ascii(b, 0, Math.min(b.length, 1024));
  // A comment body cannot contain "-->" ((?:[^-]|-(?!->))*), so a run of comments splits one way only. The
  // lazy [\s\S]*? it replaces could also span several comments: 146 empty ones before a non-SVG byte gave
  // 2^145 ways to backtrack, hanging the ingest worker on a 1 KB file (found by imageSniff.fuzz.test.ts).
  return /^(\xef\xbb\xbf)?\s*(<\?xml[^>]*\?>\s*)?(<!--(?:[^-]|-(?!->))*-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(
    text,
  );
}

/**
 * The report reason for a file that sniffed as `kind` but failed to decode. Chromium's createImageBitmap
 * rejects every undecodable blob — truncated (it does not decode part of a file), corrupt, or a format
 * variant it cannot read — with an InvalidStateError "The source image could not be decoded.", which says
 * nothing a person can act on; other errors (e.g. out of memory) keep their message.
 */
export function decodeFailureReason(kind: ImageKind, err: unknown): string {
  const what = `could not decode ${kind.toUpperCase()}`;
  const name = typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : '';
  const text = err instanceof Error ? err.message : String(err ?? '');
  if (name === 'InvalidStateError' || /could not be decoded/i.test(text))
    return `${what}: the file is damaged or incomplete`;
  return `${what}: ${text || 'corrupt data'}`;
}

function u32be(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

function i32le(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/**
 * The canvas size of a WebP: simple lossy (VP8), simple lossless (VP8L) or extended (VP8X); {} when the first
 * chunk is cut short or none of these. Without it a 32-byte lossless WebP claiming 16384×16384 was decoded
 * (1 GB, ~10 s) before the size check refused it (found by e2e/ingest-fuzz.spec.ts).
 */
function webpSize(b: Uint8Array): { width?: number; height?: number } {
  if (b.length < 30) return {};
  const chunk = ascii(b, 12, 16);
  const u24le = (i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
  if (chunk === 'VP8X') return { width: 1 + u24le(24), height: 1 + u24le(27) };
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0; // 14 bits width − 1, 14 bits height − 1
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
  }
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return { width: (b[26] | (b[27] << 8)) & 0x3fff, height: (b[28] | (b[29] << 8)) & 0x3fff }; // 2 high bits: scaling
  }
  return {};
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
