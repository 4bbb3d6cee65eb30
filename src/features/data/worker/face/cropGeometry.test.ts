import { describe, expect, it } from 'vitest';
import type { FaceDetection } from '../../shared/faceProtocol';
import { cropGeometry, cropToImage, rgbaToRgb } from './cropGeometry';

function face(rightEye: [number, number], leftEye: [number, number]): FaceDetection {
  return {
    box: { x: 100, y: 200, width: 80, height: 100 },
    score: 0.9,
    keypoints: [
      { x: rightEye[0], y: rightEye[1] },
      { x: leftEye[0], y: leftEye[1] },
      { x: 140, y: 260 },
      { x: 140, y: 280 },
      { x: 100, y: 240 },
      { x: 180, y: 240 },
    ],
  };
}

describe('cropGeometry', () => {
  it('is a square 1.5× the box, centred on it, level when the eyes are', () => {
    const g = cropGeometry(face([120, 240], [160, 240]));
    expect(g).toEqual({ cx: 140, cy: 250, side: 150, angle: 0 });
    expect(cropToImage(g, 0, 0)).toEqual({ x: 65, y: 175 });
    expect(cropToImage(g, 64, 64)).toEqual({ x: 215, y: 325 });
  });
  it('levels tilted eyes: both eyes land on one row of the crop, right eye on the left', () => {
    const re = { x: 120, y: 230 };
    const le = { x: 160, y: 260 };
    const g = cropGeometry(face([re.x, re.y], [le.x, le.y]));
    expect(g.angle).toBeCloseTo(Math.atan2(30, 40));
    // Invert cropToImage numerically for each eye: find (u, v) with cropToImage(u, v) = eye.
    const toCrop = (p: { x: number; y: number }) => {
      const s = g.side / 64;
      const dx = p.x - g.cx;
      const dy = p.y - g.cy;
      const c = Math.cos(g.angle);
      const sn = Math.sin(g.angle);
      return { u: (dx * c + dy * sn) / s + 32, v: (-dx * sn + dy * c) / s + 32 };
    };
    const a = toCrop(re);
    const b = toCrop(le);
    expect(a.v).toBeCloseTo(b.v);
    expect(a.u).toBeLessThan(b.u);
    const back = cropToImage(g, a.u, a.v);
    expect(back.x).toBeCloseTo(re.x);
    expect(back.y).toBeCloseTo(re.y);
  });
  it('packs RGBA to RGB', () => {
    expect([...rgbaToRgb(Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 0]))]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
