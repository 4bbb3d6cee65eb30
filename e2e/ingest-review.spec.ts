/**
 * Photo-folder ingest, cleaning and resuming (issue 3, items 4 and 6): the review grid puts the doubtful
 * faces first and its keyboard decisions land in IndexedDB; a reload in the middle of an ingest loses nothing
 * stored, and picking the same folder again skips every photo already done and completes the same dataset.
 * Photos are variants of the astronaut (python3-skimage) made here with fast-png: mirrored (a different
 * crop, not a duplicate), two copies side by side (two faces in one photo), and an exact copy (a duplicate).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { configure, expect, openLab, test } from './fixtures/lab';
import {
  astronaut as loadAstronaut,
  barred,
  mirrored,
  png,
  sideBySide,
  writeManyFaces,
} from './fixtures/astronautVariants';
import { ensureFacePhotos, facePhoto } from './fixtures/faces';
import { readLabDb, type StoredDataset } from './fixtures/labDb';

let base = '';
/** Photos in the folder that is interrupted by a reload. */
const PHOTOS = 120;

test.beforeAll(() => {
  ensureFacePhotos();
  base = mkdtempSync(join(tmpdir(), 'lookalike-review-'));
  const astronaut = loadAstronaut();
  const small = join(base, 'small');
  mkdirSync(join(small, 'alice'), { recursive: true });
  mkdirSync(join(small, 'bob'), { recursive: true });
  writeFileSync(join(small, 'alice', 'a1.png'), facePhoto('astronaut.png'));
  writeFileSync(join(small, 'alice', 'a2.png'), png(mirrored(astronaut)));
  // Bars over the chin (left) and the hairline (right) so neither face is a near-duplicate of a1 or a2.
  const pair = sideBySide(barred(astronaut, 160, 200, 150, 300, 0), barred(mirrored(astronaut), 40, 90, 200, 370, 255));
  writeFileSync(join(small, 'bob', 'pair.png'), png(pair));
  writeFileSync(join(small, 'bob', 'copy.png'), facePhoto('astronaut.png'));

  // Many photos (so an ingest takes a few seconds and can be interrupted): every file a different file.
  writeManyFaces(join(base, 'many'), PHOTOS);
});

test.afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

/** The photo datasets as stored in IndexedDB. */
async function photoDataset(page: Page): Promise<StoredDataset[]> {
  return (await readLabDb(page)).datasets.filter((d) => d.kind === 'photos');
}

test('the review grid shows doubtful faces first and keyboard decisions are stored', async ({ page }) => {
  await openLab(page, 'wasm');
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(join(base, 'small'));
  const result = page.getByRole('status', { name: 'Ingest result' });
  await expect(result).toContainText('5 faces from 4 of 4 photos', { timeout: 120_000 });
  await expect(result).toContainText('1 duplicate crops left out');

  const grid = page.getByRole('list', { name: 'Faces to review' });
  const tiles = grid.getByRole('button');
  // Kept faces: a1, a2 and the two faces of pair.png; the copy of a1 is left out. The pair's faces come first.
  await expect(tiles).toHaveCount(4);
  await expect(tiles.nth(0)).toHaveAccessibleName(/2 faces in its photo/);
  await expect(tiles.nth(1)).toHaveAccessibleName(/2 faces in its photo/);
  await expect(page.getByRole('table', { name: 'Class balance' })).toContainText('bob');

  // Reject the first face of the pair (R), move the second to alice (M).
  await tiles.nth(0).focus();
  await page.keyboard.press('r');
  await expect(tiles.nth(0)).toHaveAccessibleName(/rejected/);
  await expect(tiles.nth(1)).toBeFocused();
  await page.keyboard.press('m');
  await expect(tiles.nth(1)).toHaveAccessibleName(/^Face \d+: alice, accepted/);

  const [ds] = await photoDataset(page);
  console.log(`[e2e] sources ${JSON.stringify(ds.sources)} excluded ${JSON.stringify(ds.excluded)}`);
  const pairIndices = ds.sources.map((s, i) => (s.endsWith('pair.png') ? i : -1)).filter((i) => i >= 0);
  expect(pairIndices).toHaveLength(2);
  // One pair face rejected (1), the other moved to alice (label 0); the copy excluded as a duplicate (2).
  expect(pairIndices.map((i) => ds.excluded![i]).sort()).toEqual([0, 1]);
  const moved = pairIndices.find((i) => ds.excluded![i] === 0)!;
  expect(ds.labels[moved]).toBe(0);
  expect(ds.excluded![ds.sources.findIndex((s) => s.endsWith('copy.png'))]).toBe(2);

  // The decisions survive a reload.
  await page.reload();
  await page.getByRole('combobox', { name: 'Show' }).selectOption('rejected');
  await expect(page.getByRole('list', { name: 'Faces to review' }).getByRole('button')).toHaveCount(2);

  // Once a model is trained on the dataset, review can rank faces by the model's belief in their label.
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 2, width: 0.25 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('checkpoint saved: epoch 1', {
    timeout: 120_000,
  });
  await page.getByRole('link', { name: 'Data' }).click();
  const picker = page.getByRole('combobox', { name: 'Model to check labels' });
  const runId = await picker.locator('option').nth(1).getAttribute('value');
  await picker.selectOption(runId!);
  await expect(page.getByRole('status').filter({ hasText: 'checking' })).toHaveCount(0, { timeout: 60_000 });
  // The value review uses is the model's own probability of the stored label (cross-checked with classify).
  const check = await page.evaluate(async (runId) => {
    const w = window as unknown as { __labBridge: () => { call(m: string, a: unknown): Promise<unknown> } };
    const { confidence } = (await w.__labBridge().call('labelConfidence', { runId })) as { confidence: Float32Array };
    const db = await new Promise<IDBDatabase>((resolve) => {
      const r = indexedDB.open('lookalike-lab');
      r.onsuccess = () => resolve(r.result);
    });
    const ds = await new Promise<Array<{ id: string; kind: string }>>((resolve) => {
      const r = db.transaction('datasets').objectStore('datasets').getAll();
      r.onsuccess = () => resolve(r.result);
    });
    const chunk = await new Promise<{ pixels: Uint8Array; labels: Uint8Array }>((resolve) => {
      const r = db
        .transaction('images')
        .objectStore('images')
        .get([ds.find((d) => d.kind === 'photos')!.id, 0]);
      r.onsuccess = () => resolve(r.result);
    });
    db.close();
    const { probs } = (await w.__labBridge().call('classify', { runId, pixels: chunk.pixels.slice(0, 12288) })) as {
      probs: number[];
    };
    return { confidence: Array.from(confidence), viaClassify: probs[chunk.labels[0]] };
  }, runId);
  expect(check.confidence).toHaveLength(5);
  expect(check.confidence[0]).toBeCloseTo(check.viaClassify, 4);
  for (const c of check.confidence) expect(c).toBeGreaterThanOrEqual(0);
});

test('a reload mid-ingest loses nothing, and the same folder again skips what is done', async ({ page }) => {
  await openLab(page, 'wasm');
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(join(base, 'many'));
  const progress = page.getByRole('progressbar', { name: 'Ingesting photos' });
  await expect(progress).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(async () => Number(await progress.getAttribute('value')), { timeout: 120_000, intervals: [50] })
    .toBeGreaterThanOrEqual(10);
  await page.waitForTimeout(1200); // at least one save (about every second) after the first photos
  await page.reload();
  await openLab(page, 'wasm');
  const [interrupted] = await photoDataset(page);
  console.log(`[e2e] after reload: ${interrupted.count} crops stored, ${interrupted.processed} files recorded as done`);
  expect(interrupted.complete).toBe(false);
  // Saved about every second (images, files done and report in one transaction), so the two always agree.
  expect(interrupted.count).toBeGreaterThanOrEqual(1);
  expect(interrupted.count).toBeLessThan(PHOTOS);
  expect(interrupted.count).toBe(interrupted.processed);
  await expect(
    page.getByRole('radio', { name: /incomplete: pick or drop the same folder again to continue/ }),
  ).toBeVisible();

  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(join(base, 'many'));
  const result = page.getByRole('status', { name: 'Ingest result' });
  await expect(result).toContainText(`${PHOTOS - interrupted.processed} faces from`, { timeout: 120_000 });
  await expect(result).toContainText(`${interrupted.processed} photos done by an earlier run were skipped`);
  const after = await photoDataset(page);
  expect(after).toHaveLength(1);
  expect(after[0]).toMatchObject({
    id: interrupted.id,
    count: PHOTOS,
    complete: true,
    processed: PHOTOS,
    stored: PHOTOS,
  });
  expect(new Set(after[0].sources).size).toBe(PHOTOS);

  // Once more: nothing left to do, nothing added.
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(join(base, 'many'));
  await expect(result).toContainText(`0 faces from 0 of ${PHOTOS} photos`, { timeout: 60_000 });
  expect((await photoDataset(page))[0].count).toBe(PHOTOS);
});
