/**
 * sniffImage (shared/imageSniff.ts) on a file: the first SNIFF_BYTES, and for a JPEG whose SOF is not among
 * them (it can sit behind large APP segments: EXIF thumbnails, ICC profiles) the whole file, so its size is
 * known before it is decoded. Without this a 147 KB JPEG whose SOF claimed 16000×16000 behind 128 KB of APP2
 * was decoded (1 GB, ~8 s) before the 40-megapixel check refused it (found by e2e/ingest-fuzz.spec.ts). The
 * decoder reads every byte of the file anyway.
 */
import { SNIFF_BYTES, sniffImage, type Sniffed } from '../../shared/imageSniff';

export async function sniffFile(file: Blob): Promise<Sniffed> {
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const sniffed = sniffImage(head);
  if (sniffed.ok && sniffed.kind === 'jpeg' && sniffed.width === undefined && file.size > head.length) {
    return sniffImage(new Uint8Array(await file.arrayBuffer()));
  }
  return sniffed;
}
