/**
 * "Where it looks" on a real-photo dataset (fixtures/realPhotoSet.ts), which has no true region masks: the
 * region table is measured on approximate masks from the face detector's stored keypoints, labelled so on the
 * page and in the CSV; a test face whose keypoints are missing (overwritten with NaN in IndexedDB here, as a
 * crop stored without them reads) is skipped and counted. The table's area column equals the approximate
 * masks' areas computed in Node from the boxes and keypoints read straight from IndexedDB (so the worker used
 * the stored detections, mapped into the crop frame), every column of shares sums to 100 %, each ratio is
 * share ÷ area, and the downloaded CSV holds the table's numbers.
 */
import type { Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_SIZE } from '../src/db/schema';
import { approximateMaskOf } from '../src/features/see/worker/photoRegions';
import { APPROX_REGION_NAMES } from '../src/features/see/shared/keypointRegions';
import { configure, expect, openLab, test } from './fixtures/lab';
import { writeRealPhotoFolder } from './fixtures/realPhotoSet';

const FACES = 5; // the first test faces measured; one of them is stripped of its keypoints
let root = '';

test.beforeAll(async () => {
  test.setTimeout(5 * 60_000);
  root = join(mkdtempSync(join(tmpdir(), 'lookalike-regions-')), 'real');
  await writeRealPhotoFolder(root, { perClass: 12 });
});

test.afterAll(() => {
  if (root) rmSync(join(root, '..'), { recursive: true, force: true });
});

interface TestFaces {
  indices: number[];
  boxes: number[][];
  keypoints: number[][];
}

/** The first `n` test faces of the one photo dataset (split order), with their stored boxes and keypoints; strips `strip`'s keypoints (NaN) if given. */
async function testFaces(page: Page, n: number, strip?: number): Promise<TestFaces> {
  return page.evaluate(
    async ({ n, strip, chunkSize }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('lookalike-lab');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const req = <T>(r: IDBRequest) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result as T);
          r.onerror = () => reject(r.error);
        });
      const [ds] = (
        await req<Array<{ id: string; kind: string }>>(db.transaction('datasets').objectStore('datasets').getAll())
      ).filter((d) => d.kind === 'photos');
      const split = await req<{ codes: Uint8Array; excluded?: Uint8Array }>(
        db.transaction('splits').objectStore('splits').get(ds.id),
      );
      const indices: number[] = [];
      for (let i = 0; i < split.codes.length && indices.length < n; i++)
        if (split.codes[i] === 1 && !split.excluded?.[i]) indices.push(i);
      const out = { indices, boxes: [] as number[][], keypoints: [] as number[][] };
      for (const i of indices) {
        const chunk = await req<{ boxes: Float32Array; keypoints: Float32Array }>(
          db
            .transaction('images')
            .objectStore('images')
            .get([ds.id, Math.floor(i / chunkSize)]),
        );
        const slot = i % chunkSize;
        if (strip === indices.indexOf(i)) {
          chunk.keypoints.fill(NaN, slot * 12, slot * 12 + 12);
          await req(db.transaction('images', 'readwrite').objectStore('images').put(chunk));
        }
        out.boxes.push(Array.from(chunk.boxes.subarray(slot * 4, slot * 4 + 4)));
        out.keypoints.push(Array.from(chunk.keypoints.subarray(slot * 12, slot * 12 + 12)));
      }
      db.close();
      return out;
    },
    { n, strip, chunkSize: CHUNK_SIZE },
  );
}

const percent = (cell: string) => Number(/([\d.]+) %/.exec(cell)![1]);
const times = (cell: string) => Number(/\(([\d.]+)×\)/.exec(cell)![1]);

test('the region table on real photos: approximate masks from face keypoints, labelled, faces without keypoints counted', async ({
  page,
}) => {
  test.setTimeout(10 * 60_000);
  await openLab(page, 'wasm');
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(root);
  await expect(page.getByRole('status', { name: 'Ingest result' })).toContainText('faces from', { timeout: 240_000 });

  // Crop 2 of the first test faces loses its keypoints, as a crop stored without them reads.
  const stored = await testFaces(page, FACES, 1);
  expect(stored.indices.length).toBe(FACES);
  expect(stored.keypoints[1].every(Number.isNaN)).toBe(true);
  const nodeMasks = stored.indices.map((_, k) =>
    approximateMaskOf({ box: stored.boxes[k], keypoints: stored.keypoints[k] }),
  );
  expect(nodeMasks.map((m) => m !== null)).toEqual([true, false, true, true, true]);

  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 8, width: 0.25 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy-1')).toBeVisible({ timeout: 300_000 });

  await page.getByRole('link', { name: 'See' }).click();
  await page.getByRole('tab', { name: 'Where it looks' }).click();
  const panel = page.getByRole('region', { name: 'Where it looks' });
  await panel.getByLabel('Test faces').fill(String(FACES));
  await panel.getByRole('button', { name: 'Measure where it looks' }).click();
  const table = panel.getByRole('table', { name: 'Region table' });
  // A refusal (an alert) ends the wait at once rather than after the timeout.
  await expect(table.or(page.getByRole('alert'))).toBeVisible({ timeout: 300_000 });
  await expect(table).toBeVisible();
  console.log(
    `[e2e] where it looks, real photos, compact × 0.25 after 1 epoch: ${(await table.innerText()).replace(/\t/g, ' | ').replace(/\n/g, ' // ')}`,
  );
  await expect(panel.getByTestId('region-masks')).toHaveText('Regions: approximate (from face keypoints)');
  await expect(panel.getByTestId('region-masks-note')).toContainText(
    `1 of the first ${FACES} test faces skipped: stored without face keypoints.`,
  );
  await expect(panel).toContainText(`${FACES - 1} test faces, each explained`);

  const heads = await table.getByRole('rowheader').allTextContents();
  expect(heads).toEqual([
    ...APPROX_REGION_NAMES.map((r) => (['eyes', 'nose', 'mouth'].includes(r) ? `${r} *` : r)),
    'Pointing game on eyes / nose / mouth (chance)',
  ]);
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')));
  const regionRows = rows.slice(0, APPROX_REGION_NAMES.length);

  for (const column of [0, 1, 2, 3, 4]) {
    // Shares over the regions sum to 100 % (each cell rounded to 0.1 %).
    const sum = regionRows.reduce((s, cells) => s + percent(cells[column]), 0);
    expect(Math.abs(sum - 100), `column ${column}`).toBeLessThanOrEqual(0.05 * regionRows.length + 1e-9);
  }

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  const csv = readFileSync((await download.path())!, 'utf8')
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(','));
  expect(csv[0].at(-1)).toBe('masks');
  expect(csv.slice(1).map((r) => r[0])).toEqual([...APPROX_REGION_NAMES, 'pointing game (eyes/nose/mouth)']);
  expect(csv.slice(1).every((r) => r.at(-1) === 'approximate (from face keypoints)')).toBe(true);
  const csvRegions = csv.slice(1, 1 + APPROX_REGION_NAMES.length).map((r) => r.map(Number));
  // The area column is the approximate masks' mean area share, as computed here from the stored detections.
  const kept = nodeMasks.filter((m) => m !== null);
  const nodeArea = APPROX_REGION_NAMES.map(
    (_, r) => kept.reduce((s, m) => s + m.filter((v) => v === r).length / m.length, 0) / kept.length,
  );
  console.log(
    `[e2e] approximate areas from the stored detections: ${nodeArea.map((a, r) => `${APPROX_REGION_NAMES[r]} ${(a * 100).toFixed(2)} %`).join(', ')}`,
  );
  csvRegions.forEach((r, i) => expect(r[2], APPROX_REGION_NAMES[i]).toBeCloseTo(nodeArea[i], 5));
  for (let m = 0; m < 4; m++) {
    // Each method's shares sum to 1; each ratio is share ÷ area.
    expect(csvRegions.reduce((s, r) => s + r[3 + 2 * m], 0)).toBeCloseTo(1, 4);
    for (const r of csvRegions) expect(r[4 + 2 * m] / (r[3 + 2 * m] / r[2])).toBeCloseTo(1, 4);
  }
  // Every share and ratio on the page is the CSV's, rounded as the page rounds it.
  csvRegions.forEach((r, i) => {
    expect((r[2] * 100).toFixed(1)).toBe(percent(regionRows[i][0]).toFixed(1));
    for (let m = 0; m < 4; m++) {
      expect((r[3 + 2 * m] * 100).toFixed(1)).toBe(percent(regionRows[i][1 + m]).toFixed(1));
      expect(r[4 + 2 * m].toFixed(2)).toBe(times(regionRows[i][1 + m]).toFixed(2));
    }
  });
  const pointing = rows[APPROX_REGION_NAMES.length];
  const csvPointing = csv[1 + APPROX_REGION_NAMES.length].map(Number);
  for (let m = 0; m < 4; m++)
    expect((csvPointing[3 + 2 * m] * 100).toFixed(1)).toBe(percent(pointing[1 + m]).toFixed(1));
});
