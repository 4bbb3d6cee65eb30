/**
 * The paper's augmentation (§3.3): rotation by up to ±5° and mirroring across the vertical axis, on 64×64
 * RGB uint8 crops. Plain TypeScript (bilinear sampling, edge pixels replicated so rotated corners are not
 * black), identical on every backend and usable both on the fly in training and for stored augmentations.
 */
import type { Rng } from '../../../shared/synthetic/rng';

export const MAX_ROTATION_DEGREES = 5;

/** Rotates `src` (size×size×3) by `degrees` about its centre, optionally mirrored, into `dst`. */
export function rotateMirror(src: Uint8Array, dst: Uint8Array, degrees: number, mirror: boolean, size = 64): void {
  const rad = (degrees * Math.PI) / 180;
  const cos = Math.cos(rad);
  const sin = Math.sin(rad);
  const c = (size - 1) / 2;
  const max = size - 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Inverse mapping: where in the source does this destination pixel come from?
      const dx = (mirror ? max - x : x) - c;
      const dy = y - c;
      const sx = Math.min(max, Math.max(0, cos * dx + sin * dy + c));
      const sy = Math.min(max, Math.max(0, -sin * dx + cos * dy + c));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(max, x0 + 1);
      const y1 = Math.min(max, y0 + 1);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * size + x) * 3;
      const a = (y0 * size + x0) * 3;
      const b = (y0 * size + x1) * 3;
      const d = (y1 * size + x0) * 3;
      const e = (y1 * size + x1) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const top = src[a + ch] * (1 - fx) + src[b + ch] * fx;
        const bottom = src[d + ch] * (1 - fx) + src[e + ch] * fx;
        dst[o + ch] = Math.round(top * (1 - fy) + bottom * fy);
      }
    }
  }
}

/** Augments a batch in place: each image gets its own random angle in ±5° and a coin-flip mirror. */
export function augmentBatch(pixels: Uint8Array, count: number, rng: Rng, size = 64): void {
  const n = size * size * 3;
  const scratch = new Uint8Array(n);
  for (let i = 0; i < count; i++) {
    const view = pixels.subarray(i * n, (i + 1) * n);
    const degrees = (rng.next() * 2 - 1) * MAX_ROTATION_DEGREES;
    rotateMirror(view, scratch, degrees, rng.next() < 0.5, size);
    view.set(scratch);
  }
}
