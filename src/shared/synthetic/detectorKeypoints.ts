/**
 * What the face detector (BlazeFace, src/features/data/worker/face/detector.ts) would store for a synthetic lookalike, derived from
 * the face's known geometry rather than by running the detector (MediaPipe runs only in a browser worker, and
 * BlazeFace is not made for 64×64 cartoon faces): keypoints at the eye centres, the nose tip, the mouth centre
 * and the ear tragions (the face outline, halfway between eye line and nose tip), and a square box placed on
 * them as BlazeFace placed it on a real portrait — on `astronaut.png` (e2e/face-detector.spec.ts) its box runs
 * from ear to ear (x 177–272; the tragions at 178 and 272), is square (95×95), and its top lies 0.60 × the
 * eye-to-mouth distance above the eyes (25.0 of 41.6 px). Used to validate keypointRegions.ts against the true
 * masks. Pure.
 */
import { detCos, detSin } from './rng';
import type { FaceParams } from './lookalikes';

/** Face ellipse vertical radius in head units (lookalikes.ts's FACE_RY). */
const FACE_RY = 21;
/** Box top above the eye line, as a fraction of the eye-to-mouth distance (BlazeFace on the astronaut). */
const BOX_TOP_OVER_EYES = 0.6;

export interface DetectorLike {
  /** x, y, width, height in the 64×64 image's pixels. */
  box: [number, number, number, number];
  /** 12 numbers: right eye, left eye, nose tip, mouth, right ear, left ear (x, y each). */
  keypoints: number[];
}

export function detectorLikeFace(p: FaceParams): DetectorLike {
  const c = detCos(p.tilt);
  const s = detSin(p.tilt);
  // Head frame (u right, v down, centred on the face ellipse) → image pixels, as lookalikes.ts renders it.
  const at = (u: number, v: number): [number, number] => [
    p.centerX + p.scale * (u * c - v * s),
    p.centerY + p.scale * (u * s + v * c),
  ];
  const rx = FACE_RY * p.faceAspect;
  const earV = p.eyeY + 0.5 * (p.noseY - p.eyeY);
  // The subject's right eye is on the image's left (u < 0), as BlazeFace's keypoint 0.
  const points = [
    at(-p.eyeSpacing, p.eyeY),
    at(p.eyeSpacing, p.eyeY),
    at(0, p.noseY),
    at(0, p.mouthY),
    at(-rx, earV),
    at(rx, earV),
  ];
  const [rEye, lEye, , mouth, rEar, lEar] = points;
  const eyesY = (rEye[1] + lEye[1]) / 2;
  const width = Math.abs(lEar[0] - rEar[0]);
  const top = eyesY - BOX_TOP_OVER_EYES * (mouth[1] - eyesY);
  return { box: [Math.min(rEar[0], lEar[0]), top, width, width], keypoints: points.flat() };
}
