/**
 * Approximate region masks for real face crops, from what the face detector stored with each crop: its box and
 * BlazeFace's six keypoints (right eye, left eye, nose tip, mouth, right and left ear tragion), both in the
 * source photo's pixels. They are mapped into the 64×64 crop frame with the crop's own transform
 * (src/features/data/worker/face/cropGeometry.ts: a square around the box, rotated so the eyes are level), and regions are drawn
 * around them: eyes, brows, nose and mouth as shapes sized from the inter-ocular distance d, the face as the
 * ellipse inscribed in the detector's box, and everything else "hair/background" (keypoints cannot tell hair
 * from background). Region ids index APPROX_REGION_NAMES; the names match the synthetic faces' masks
 * (src/shared/synthetic/lookalikes.ts) where they correspond, so the region table reads the same.
 *
 * The part sizes are adult proportions (eye fissure ≈ 0.46 d wide, mouth ≈ 0.8 d, nose wings ≈ 0.55 d, brows
 * ≈ 0.33 d above the pupils), not fitted to the synthetic faces, which only serve to check them (docs/see.md).
 * Pure TypeScript, no DOM or worker API: used by the lab worker and unit tests.
 */
import { IMAGE_SIDE } from '../../../shared/imageGeometry';

export const APPROX_REGION_NAMES = ['hair/background', 'face', 'brows', 'eyes', 'nose', 'mouth'] as const;
export type ApproxRegionName = (typeof APPROX_REGION_NAMES)[number];
/** What the UI and CSV call these masks, so a reader never takes them for ground truth. */
export const APPROX_REGIONS_LABEL = 'approximate (from face keypoints)';

const FACE = 1,
  BROWS = 2,
  EYES = 3,
  NOSE = 4,
  MOUTH = 5;

export interface Point {
  x: number;
  y: number;
}

/** Where a crop came from (src/features/data/worker/face/cropGeometry.ts's CropGeometry): centre and side in photo pixels, eye-line angle. */
export interface CropFrame {
  cx: number;
  cy: number;
  side: number;
  angle: number;
}

/** A photo point in the crop's pixels (0..size): the drawing transform, crop = R(−angle)·(p − c)·size/side + size/2. */
export function imageToCrop(frame: CropFrame, p: Point, size = IMAGE_SIDE): Point {
  const k = size / frame.side;
  const dx = p.x - frame.cx;
  const dy = p.y - frame.cy;
  const c = Math.cos(frame.angle);
  const s = Math.sin(frame.angle);
  return { x: (dx * c + dy * s) * k + size / 2, y: (-dx * s + dy * c) * k + size / 2 };
}

/** The detector's output for one crop, in the crop's pixels. */
export interface FaceInCrop {
  /** right eye, left eye, nose tip, mouth, right ear, left ear. */
  keypoints: Point[];
  /** The detection box's corners (top-left, top-right, bottom-right, bottom-left of the photo's box). */
  box: [Point, Point, Point, Point];
}

/**
 * The stored box ([x, y, width, height]) and keypoints (12 numbers, x y pairs) mapped into the crop frame;
 * null when they are missing or not finite (crops stored without detection), or the eyes coincide.
 */
export function faceInCrop(
  frame: CropFrame,
  box: ArrayLike<number> | undefined,
  keypoints: ArrayLike<number> | undefined,
  size = IMAGE_SIDE,
): FaceInCrop | null {
  if (!box || !keypoints || box.length < 4 || keypoints.length < 12) return null;
  const values = [...Array.from(box).slice(0, 4), ...Array.from(keypoints).slice(0, 12)];
  if (!values.every(Number.isFinite) || box[2] <= 0 || box[3] <= 0) return null;
  const at = (x: number, y: number) => imageToCrop(frame, { x, y }, size);
  const points = Array.from({ length: 6 }, (_, i) => at(keypoints[2 * i], keypoints[2 * i + 1]));
  if (Math.hypot(points[1].x - points[0].x, points[1].y - points[0].y) < 1e-6) return null;
  const [x, y, w, h] = [box[0], box[1], box[2], box[3]];
  return { keypoints: points, box: [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)] };
}

/** Is q inside the ellipse centred at c with semi-axes a (along unit vector e) and b (along n)? */
function inEllipse(q: Point, c: Point, e: Point, n: Point, a: number, b: number): boolean {
  const dx = q.x - c.x;
  const dy = q.y - c.y;
  const u = (dx * e.x + dy * e.y) / a;
  const v = (dx * n.x + dy * n.y) / b;
  return u * u + v * v <= 1;
}

/**
 * A size×size mask of APPROX_REGION_NAMES ids for one crop. Parts are drawn in the synthetic faces' order
 * (face, brows, eyes, nose, mouth; a later part wins where two overlap), each pixel tested at its centre.
 */
export function approximateRegionMask(face: FaceInCrop, size = IMAGE_SIDE): Uint8Array {
  const [rEye, lEye, nose, mouth] = face.keypoints;
  const d = Math.hypot(lEye.x - rEye.x, lEye.y - rEye.y);
  const e = { x: (lEye.x - rEye.x) / d, y: (lEye.y - rEye.y) / d }; // along the eye line, image left → right
  const n = { x: -e.y, y: e.x }; // down the face
  const eyesMid = { x: (rEye.x + lEye.x) / 2, y: (rEye.y + lEye.y) / 2 };
  const above = (p: Point, k: number) => ({ x: p.x - n.x * k * d, y: p.y - n.y * k * d });
  // Face: the ellipse inscribed in the box (a rectangle in the crop frame, rotated when the eyes were not level).
  const [tl, tr, , bl] = face.box;
  const boxCentre = { x: (face.box[0].x + face.box[2].x) / 2, y: (face.box[0].y + face.box[2].y) / 2 };
  const boxW = Math.hypot(tr.x - tl.x, tr.y - tl.y);
  const boxH = Math.hypot(bl.x - tl.x, bl.y - tl.y);
  const boxE = { x: (tr.x - tl.x) / boxW, y: (tr.y - tl.y) / boxW };
  const boxN = { x: (bl.x - tl.x) / boxH, y: (bl.y - tl.y) / boxH };
  // Nose: the bridge from the eye line down to the tip, widening from 0.08 d to the wings' 0.275 d.
  const tipDepth = (nose.x - eyesMid.x) * n.x + (nose.y - eyesMid.y) * n.y;
  const tipAcross = (nose.x - eyesMid.x) * e.x + (nose.y - eyesMid.y) * e.y;
  const browR = above(rEye, 0.33);
  const browL = above(lEye, 0.33);

  const mask = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const q = { x: x + 0.5, y: y + 0.5 };
      let region = 0;
      if (inEllipse(q, boxCentre, boxE, boxN, boxW / 2, boxH / 2)) region = FACE;
      if (inEllipse(q, browR, e, n, 0.36 * d, 0.08 * d) || inEllipse(q, browL, e, n, 0.36 * d, 0.08 * d))
        region = BROWS;
      if (inEllipse(q, rEye, e, n, 0.23 * d, 0.1 * d) || inEllipse(q, lEye, e, n, 0.23 * d, 0.1 * d)) region = EYES;
      const t = tipDepth > 0 ? ((q.x - eyesMid.x) * n.x + (q.y - eyesMid.y) * n.y) / tipDepth : -1;
      const across = (q.x - eyesMid.x) * e.x + (q.y - eyesMid.y) * e.y - tipAcross * Math.max(0, t);
      const inBridge = t >= 0 && t <= 1 && Math.abs(across) <= (0.08 + 0.195 * t * t) * d;
      if (inBridge || inEllipse(q, nose, e, n, 0.275 * d, 0.15 * d)) region = NOSE;
      if (inEllipse(q, mouth, e, n, 0.4 * d, 0.13 * d)) region = MOUTH;
      mask[y * size + x] = region;
    }
  }
  return mask;
}
