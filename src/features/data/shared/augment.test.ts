import { describe, expect, it } from 'vitest';
import { augmentBatch, rotateMirror } from './augment';
import { Rng } from '../../../shared/synthetic/rng';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

function gradientImage(): Uint8Array {
  const img = new Uint8Array(PIXELS_PER_IMAGE);
  for (let y = 0; y < 64; y++)
    for (let x = 0; x < 64; x++) {
      img[(y * 64 + x) * 3] = x * 4;
      img[(y * 64 + x) * 3 + 1] = y * 4;
      img[(y * 64 + x) * 3 + 2] = 128;
    }
  return img;
}

describe('augmentation', () => {
  it('0° without mirror is the identity', () => {
    const src = gradientImage();
    const dst = new Uint8Array(src.length);
    rotateMirror(src, dst, 0, false);
    expect(dst).toEqual(src);
  });

  it('mirror flips across the vertical axis', () => {
    const src = gradientImage();
    const dst = new Uint8Array(src.length);
    rotateMirror(src, dst, 0, true);
    for (let y = 0; y < 64; y += 7)
      for (let x = 0; x < 64; x += 5)
        for (let c = 0; c < 3; c++) expect(dst[(y * 64 + x) * 3 + c]).toBe(src[(y * 64 + 63 - x) * 3 + c]);
  });

  it('a 5° rotation moves pixels away from the centre but keeps the centre', () => {
    const src = gradientImage();
    const dst = new Uint8Array(src.length);
    rotateMirror(src, dst, 5, false);
    expect(dst).not.toEqual(src);
    // Near the centre the rotation barely moves anything.
    const centre = (32 * 64 + 32) * 3;
    expect(Math.abs(dst[centre] - src[centre])).toBeLessThanOrEqual(8);
    // 21.5 px above the centre a 5° turn shifts x by ~1.9 px, i.e. ~7.5 levels of the x gradient.
    const above = (10 * 64 + 32) * 3;
    expect(Math.abs(dst[above] - src[above])).toBeGreaterThan(4);
  });

  it('augmentBatch is reproducible from its seed', () => {
    const a = new Uint8Array([...gradientImage(), ...gradientImage()]);
    const b = a.slice();
    augmentBatch(a, 2, new Rng(7));
    augmentBatch(b, 2, new Rng(7));
    expect(a).toEqual(b);
  });
});
