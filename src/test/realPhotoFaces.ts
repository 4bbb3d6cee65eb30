/**
 * Test helper (Node only): 64×64 face crops of the real-photo fixture's two people, cropped at known face boxes
 * in Node (no detector), for unit tests and experiments that need a model trained on real photos.
 */
import { Rng } from '../shared/synthetic/rng';
import { IMAGE_SIDE, PIXELS_PER_IMAGE } from '../shared/imageGeometry';

const SIDE = IMAGE_SIDE;
const SIZE = PIXELS_PER_IMAGE;

export interface Rgb {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** Bilinear 64×64 crop of a square box (centre cx, cy, side s, rotation r radians), optional mirror. */
export function cropFace(img: Rgb, cx: number, cy: number, s: number, r: number, mirror: boolean): Float32Array {
  const out = new Float32Array(SIZE);
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const u = ((mirror ? SIDE - 1 - x : x) + 0.5) / SIDE - 0.5;
      const v = (y + 0.5) / SIDE - 0.5;
      const sx = cx + s * (u * cos - v * sin) - 0.5;
      const sy = cy + s * (u * sin + v * cos) - 0.5;
      const x0 = Math.max(0, Math.min(img.width - 2, Math.floor(sx)));
      const y0 = Math.max(0, Math.min(img.height - 2, Math.floor(sy)));
      const fx = Math.max(0, Math.min(1, sx - x0));
      const fy = Math.max(0, Math.min(1, sy - y0));
      for (let c = 0; c < 3; c++) {
        const at = (xx: number, yy: number) =>
          img.data[(yy * img.width + xx) * img.channels + (img.channels === 1 ? 0 : Math.min(c, img.channels - 1))];
        const a = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
        const b = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
        out[(y * SIDE + x) * 3 + c] = a * (1 - fy) + b * fy;
      }
    }
  }
  return out;
}

/**
 * Collins vs Hopper, the real-photo fixture's two people (e2e/fixtures/realPhotoSet.ts, same sources and face
 * boxes, same lighting ranges: gain 0.6–1.35, offset ±25, γ 0.75–1.3, colour cast, 15 % grey, 40 % noise 2–8),
 * cropped at the known face box with framing jitter, ±10° rotation and mirroring: what ingest would crop.
 */
export async function collinsHopper(
  perPerson: number,
  seed: number,
): Promise<{ pixels: Uint8Array[]; labels: number[] }> {
  const fx = await import('../../e2e/fixtures/realPhotoSet');
  const boxes: Array<[number, number, number]> = [
    [177 + 47.5, 82 + 47.5 + 5, 95 * 1.15],
    [165 + 95, 150 + 95 + 10, 190 * 1.15],
  ];
  const srcs = ['collins', 'hopper'].map((c) => {
    const img = fx.loadSource(c);
    return { width: img.width, height: img.height, channels: 3, data: img.data } as Rgb;
  });
  const rng = new Rng(seed);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  const pixels: Uint8Array[] = [];
  const labels: number[] = [];
  for (let i = 0; i < perPerson; i++) {
    for (const [label, img] of srcs.entries()) {
      const [cx, cy, s] = boxes[label];
      const f = cropFace(
        img,
        cx + u(-0.06, 0.06) * s,
        cy + u(-0.06, 0.06) * s,
        s * u(0.9, 1.1),
        (u(-10, 10) * Math.PI) / 180,
        rng.next() < 0.5,
      );
      const gain = u(0.6, 1.35);
      const offset = u(-25, 25);
      const gamma = u(0.75, 1.3);
      const cast = [u(0.92, 1.08), 1, u(0.92, 1.08)];
      const grey = rng.next() < 0.15;
      const noise = rng.next() < 0.4 ? u(2, 8) : 0;
      const px = new Uint8Array(SIZE);
      for (let k = 0; k < SIDE * SIDE; k++) {
        const c3 = [0, 1, 2].map((c) => 255 * Math.pow(f[k * 3 + c] / 255, gamma) * cast[c]);
        const g = 0.299 * c3[0] + 0.587 * c3[1] + 0.114 * c3[2];
        const nz = noise ? (rng.next() + rng.next() + rng.next() - 1.5) * 2 * noise : 0;
        for (let c = 0; c < 3; c++)
          px[k * 3 + c] = Math.max(0, Math.min(255, Math.round((grey ? g : c3[c]) * gain + offset + nz)));
      }
      pixels.push(px);
      labels.push(label);
    }
  }
  return { pixels, labels };
}
