/**
 * MediaPipe FaceDetector (BlazeFace short range, metadata-patched at build time) in a module worker of the
 * production build: one face on a real portrait, none on a cat, nothing fetched from another origin.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/lab';
import { ensureFacePhotos, facePhoto, type FacePhoto } from './fixtures/faces';

interface Face {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  keypoints: { x: number; y: number }[];
}

test.beforeAll(() => {
  ensureFacePhotos();
});

async function detect(page: Page, name: FacePhoto): Promise<{ faces: Face[]; workerMs: number; roundTripMs: number }> {
  const base64 = facePhoto(name).toString('base64');
  return page.evaluate(async (b64) => {
    const api = (
      window as unknown as {
        __faces: { detectFacesInBlob(blob: Blob): Promise<Face[]>; lastFaceDetectionMs(): number };
      }
    ).__faces;
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const started = performance.now();
    const faces = await api.detectFacesInBlob(new Blob([bytes], { type: 'image/png' }));
    return { faces, workerMs: api.lastFaceDetectionMs(), roundTripMs: performance.now() - started };
  }, base64);
}

test('BlazeFace finds the astronaut and not the cat, from our own origin', async ({ page }) => {
  await page.goto('./#/data');
  await page.waitForFunction(() => '__faces' in window);

  const first = await detect(page, 'astronaut.png');
  console.log(`[e2e] astronaut: ${JSON.stringify(first.faces)}`);
  console.log(`[e2e] first detection (model load included): ${first.workerMs.toFixed(0)} ms in the worker`);
  expect(first.faces).toHaveLength(1);
  const [face] = first.faces;
  expect(face.score).toBeGreaterThan(0.8);
  expect(Math.abs(face.box.x - 177)).toBeLessThanOrEqual(15);
  expect(Math.abs(face.box.y - 82)).toBeLessThanOrEqual(15);
  expect(Math.abs(face.box.width - 95)).toBeLessThanOrEqual(15);
  expect(Math.abs(face.box.height - 95)).toBeLessThanOrEqual(15);
  expect(face.keypoints).toHaveLength(6);
  for (const k of face.keypoints) {
    // Keypoints (eyes, nose, mouth, ears) lie in or near the box, in pixels.
    expect(k.x).toBeGreaterThan(face.box.x - 20);
    expect(k.x).toBeLessThan(face.box.x + face.box.width + 20);
    expect(k.y).toBeGreaterThan(face.box.y - 20);
    expect(k.y).toBeLessThan(face.box.y + face.box.height + 20);
  }

  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const again = await detect(page, 'astronaut.png');
    expect(again.faces).toHaveLength(1);
    times.push(again.workerMs);
  }
  times.sort((a, b) => a - b);
  console.log(
    `[e2e] warm detections, 512×512, CPU delegate: median ${times[2].toFixed(1)} ms (${times.map((t) => t.toFixed(1)).join(', ')})`,
  );

  const cat = await detect(page, 'chelsea.png');
  console.log(`[e2e] chelsea: ${JSON.stringify(cat.faces)}`);
  expect(cat.faces).toEqual([]);
});
