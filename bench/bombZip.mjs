/**
 * A dataset zip in the app's own export format (src/features/data/shared/datasetZip.ts: manifest.json + <split>/<class>/<NNNNNN>.png,
 * PNGs stored, the manifest deflated) holding valid 64×64 crops and, optionally, image decompression bombs: valid
 * 1-bit PNGs (correct CRCs, a complete IDAT) that declare 16384×16384 pixels in ~33 KB, as issue 18's outside probe
 * used. A decoder that trusts one allocates 16384 × 16384 × 4 bytes = 1 GiB of pixels for it.
 *
 * Shared by e2e/zip-bomb.spec.ts and bench/zip-bomb.mjs (plain ESM so Node runs it without a TypeScript loader;
 * types in bombZip.d.mts). Built with node:zlib and fflate, deterministic for the same arguments.
 */
// Node's own CRC-32 (zlib.crc32, Node ≥ 20.15) rather than a second copy of the table in src/features/data/worker/ingest/datasetZipIo.ts.
import { crc32, deflateSync } from 'node:zlib';
import { zipSync, strToU8 } from 'fflate';

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** A PNG of `width`×`height` from its filtered scanlines (`raw`: one filter byte, then the row's bytes, per row). */
function png(width, height, depth, colorType, raw) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return new Uint8Array(
    Buffer.concat([
      signature,
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw, { level: 9 })),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** BOMB_SIDE × BOMB_SIDE pixels, 1 bit each: 32 MiB of scanlines that deflate to ~33 KB. */
export const BOMB_SIDE = 16384;
let bomb = null;

/** The decompression bomb: a valid 1-bit grayscale PNG of BOMB_SIDE × BOMB_SIDE black pixels (~33 KB; built once). */
export function bombPng() {
  bomb ??= png(BOMB_SIDE, BOMB_SIDE, 1, 0, Buffer.alloc(BOMB_SIDE * (1 + BOMB_SIDE / 8)));
  return bomb;
}

/** A valid 64×64 8-bit RGB PNG whose pixels depend on `seed` (a gradient and a checker, so crops differ). */
export function cropPng(seed) {
  const raw = Buffer.alloc(64 * (1 + 64 * 3));
  for (let y = 0; y < 64; y++) {
    const row = y * (1 + 64 * 3);
    for (let x = 0; x < 64; x++) {
      const at = row + 1 + x * 3;
      raw[at] = (x * 4 + seed * 7) & 255;
      raw[at + 1] = (y * 4 + seed * 13) & 255;
      raw[at + 2] = ((x >> 3) + (y >> 3) + seed) & 1 ? 220 : 30;
    }
  }
  return png(64, 64, 8, 2, raw);
}

const CLASS_NAMES = ['Asha', 'Bela'];
const SPLITS = ['train', 'train', 'train', 'train', 'train', 'train', 'train', 'test', 'test', 'validation'];

/**
 * The dataset zip: `crops + bombs` images in two classes (label = index % 2; split by index, 70/20/10), the bombs
 * spread evenly through the dataset order (the first at index `firstBomb`, default 5) in place of crops. Returns the
 * zip's bytes and where the bombs are.
 */
export function datasetZip({ crops, bombs = 0, name = 'bomb test', firstBomb = 5 }) {
  const total = crops + bombs;
  const bombAt = new Set();
  const step = bombs > 1 ? Math.max(1, Math.floor((total - 1 - firstBomb) / (bombs - 1))) : 1;
  for (let b = 0; b < bombs; b++) bombAt.add(Math.min(total - 1, firstBomb + b * step));
  for (let i = total - 1; bombAt.size < bombs; i--) bombAt.add(i); // only when total is tiny
  const files = {};
  const images = [];
  for (let i = 0; i < total; i++) {
    const label = i % 2;
    const split = SPLITS[i % SPLITS.length];
    const file = `${split}/${CLASS_NAMES[label]}/${String(i).padStart(6, '0')}.png`;
    files[file] = [bombAt.has(i) ? bombPng() : cropPng(i), { level: 0 }];
    images.push({ file, label, split });
  }
  const manifest = {
    format: 'lookalike-lab-dataset',
    version: 1,
    name,
    kind: 'photos',
    classNames: CLASS_NAMES,
    seed: 7,
    images,
  };
  files['manifest.json'] = [strToU8(JSON.stringify(manifest)), { level: 6 }];
  return {
    zip: zipSync(files, { mtime: new Date(1980, 0, 1) }),
    bombIndices: [...bombAt].sort((a, b) => a - b),
    files: images.map((im) => im.file),
  };
}
