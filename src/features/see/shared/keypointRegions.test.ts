import { describe, expect, it } from 'vitest';
import { cropGeometry, cropToImage } from '../../data/worker/face/cropGeometry';
import type { FaceDetection } from '../../data/shared/faceProtocol';
import { APPROX_REGION_NAMES, approximateRegionMask, faceInCrop, imageToCrop } from './keypointRegions';

/** BlazeFace on astronaut.png (e2e/face-detector.spec.ts): box and six keypoints in photo pixels. */
const ASTRONAUT: FaceDetection = {
  box: { x: 177, y: 82, width: 95, height: 95 },
  score: 0.92,
  keypoints: [
    { x: 201.5, y: 104.9 },
    { x: 245.85, y: 109.1 },
    { x: 220.43, y: 127.26 },
    { x: 219.82, y: 148.61 },
    { x: 178.19, y: 115.72 },
    { x: 272.2, y: 123.87 },
  ],
};
const flat = (f: FaceDetection) => ({
  box: [f.box.x, f.box.y, f.box.width, f.box.height],
  keypoints: f.keypoints.flatMap((k) => [k.x, k.y]),
});

/** The same face in a photo rotated by `angle` about (ox, oy) (the detector's box stays axis-aligned: its rotated centre, same size). */
function rotated(f: FaceDetection, angle: number, ox = 300, oy = 200): FaceDetection {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const rot = (p: { x: number; y: number }) => ({
    x: ox + (p.x - ox) * c - (p.y - oy) * s,
    y: oy + (p.x - ox) * s + (p.y - oy) * c,
  });
  const centre = rot({ x: f.box.x + f.box.width / 2, y: f.box.y + f.box.height / 2 });
  return {
    ...f,
    box: { ...f.box, x: centre.x - f.box.width / 2, y: centre.y - f.box.height / 2 },
    keypoints: f.keypoints.map(rot),
  };
}

function cropFace(f: FaceDetection) {
  const { box, keypoints } = flat(f);
  const face = faceInCrop(cropGeometry(f), box, keypoints);
  if (!face) throw new Error('no face');
  return face;
}

describe('imageToCrop', () => {
  it('inverts cropToImage (the transform the crop was drawn with)', () => {
    const g = cropGeometry(rotated(ASTRONAUT, 0.5));
    for (const [u, v] of [
      [0, 0],
      [64, 0],
      [10, 50],
      [32, 32],
      [63.5, 17.25],
    ]) {
      const p = cropToImage(g, u, v);
      const back = imageToCrop(g, p);
      expect(back.x).toBeCloseTo(u, 9);
      expect(back.y).toBeCloseTo(v, 9);
    }
  });
});

describe('faceInCrop', () => {
  it('puts the eyes level and the face upright in the crop, however the photo was turned', () => {
    const upright = cropFace(ASTRONAUT);
    for (const angle of [0, 0.35, -0.6, 2.5]) {
      const face = cropFace(rotated(ASTRONAUT, angle));
      const [r, l, nose, mouth] = face.keypoints;
      expect(l.y - r.y).toBeCloseTo(0, 9); // the crop levels the eye line
      expect(l.x).toBeGreaterThan(r.x);
      expect(mouth.y).toBeGreaterThan(nose.y);
      expect(nose.y).toBeGreaterThan(r.y);
      face.keypoints.forEach((k, i) => {
        expect(k.x).toBeCloseTo(upright.keypoints[i].x, 6);
        expect(k.y).toBeCloseTo(upright.keypoints[i].y, 6);
      });
    }
    // The crop is 1.5× the 95-px box: 44.5 px between the eyes becomes 44.5 · 64 / 142.5 ≈ 20 px.
    const [r, l] = upright.keypoints;
    expect(Math.hypot(l.x - r.x, l.y - r.y)).toBeCloseTo((Math.hypot(245.85 - 201.5, 109.1 - 104.9) * 64) / 142.5, 6);
    // The box is centred in the crop and spans 64 / 1.5 px.
    const [tl, tr] = upright.box;
    expect((upright.box[0].x + upright.box[2].x) / 2).toBeCloseTo(32, 6);
    expect(Math.hypot(tr.x - tl.x, tr.y - tl.y)).toBeCloseTo(64 / 1.5, 6);
  });

  it('is null for crops stored without keypoints or box', () => {
    const { box, keypoints } = flat(ASTRONAUT);
    const g = cropGeometry(ASTRONAUT);
    expect(faceInCrop(g, box, undefined)).toBeNull();
    expect(faceInCrop(g, undefined, keypoints)).toBeNull();
    expect(faceInCrop(g, box, new Float32Array(12).fill(NaN))).toBeNull();
    expect(faceInCrop(g, box, keypoints.slice(0, 10))).toBeNull();
    expect(faceInCrop(g, [0, 0, 0, 0], keypoints)).toBeNull();
  });
});

describe('approximateRegionMask', () => {
  const mask = approximateRegionMask(cropFace(ASTRONAUT));
  const at = (p: { x: number; y: number }) => APPROX_REGION_NAMES[mask[Math.floor(p.y) * 64 + Math.floor(p.x)]];

  it('puts each keypoint in its region and every region in the crop', () => {
    const [r, l, nose, mouth] = cropFace(ASTRONAUT).keypoints;
    expect([at(r), at(l), at(nose), at(mouth)]).toEqual(['eyes', 'eyes', 'nose', 'mouth']);
    expect(at({ x: 0.5, y: 0.5 })).toBe('hair/background');
    const counts = APPROX_REGION_NAMES.map((_, id) => mask.filter((v) => v === id).length);
    counts.forEach((c, id) => expect(c, APPROX_REGION_NAMES[id]).toBeGreaterThan(0));
    // Sizes from the inter-ocular distance d ≈ 20 px: two eyes of π·0.23d·0.1d ≈ 29 px, a mouth of π·0.4d·0.13d ≈ 65 px.
    expect(counts[3]).toBeGreaterThan(40);
    expect(counts[3]).toBeLessThan(80);
    expect(counts[5]).toBeGreaterThan(45);
    expect(counts[5]).toBeLessThan(85);
    // Brows above the eyes, face around them.
    expect(at({ x: r.x, y: r.y - 0.33 * 20 })).toBe('brows');
    expect(at({ x: 32, y: (r.y + mouth.y) / 2 + 0.2 * 20 + 3 })).not.toBe('hair/background');
  });

  it('does not depend on where the face was in the photo, nor how it was turned', () => {
    for (const angle of [0.35, -0.6])
      expect(Array.from(approximateRegionMask(cropFace(rotated(ASTRONAUT, angle))))).toEqual(Array.from(mask));
  });
});
