/**
 * The paper's noise sorting from the Data page (wasm, 64 synthetic lookalikes + 13 validation): the bin sizes
 * shown equal the ones stored in IndexedDB, which equal the stored per-face bins counted, and they sum to the
 * dataset's size; a second sorting cancelled mid-way stores nothing (the first is kept byte for byte). On Train,
 * the class-weights line says why this balanced set gets none.
 */
import type { Page } from '@playwright/test';
import { test, expect, openLab, generateDemo } from './fixtures/lab';
import { readStore } from './fixtures/labDb';

interface StoredBins {
  counts: number[];
  bins: number[];
  confidence: number[];
  createdAt: number;
}

async function storedBins(page: Page): Promise<StoredBins[]> {
  return page.evaluate(
    () =>
      new Promise<StoredBins[]>((resolve, reject) => {
        const open = indexedDB.open('lookalike-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('noiseBins').objectStore('noiseBins').getAll();
          req.onsuccess = () => {
            open.result.close();
            resolve(
              (
                req.result as Array<{ counts: number[]; bins: Uint8Array; confidence: Float32Array; createdAt: number }>
              ).map((r) => ({
                counts: r.counts,
                bins: Array.from(r.bins),
                confidence: Array.from(r.confidence),
                createdAt: r.createdAt,
              })),
            );
          };
        };
      }),
  );
}

test('noise sorting: bins shown = bins stored, summing to the dataset; Cancel stores nothing', async ({ page }) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 64);
  const [dataset] = await readStore<{ count: number }>(page, 'datasets');

  const section = page.getByRole('region', { name: 'Noise sorting' });
  const t0 = Date.now();
  await section.getByRole('button', { name: 'Sort by label confidence' }).click();
  await expect(section.getByRole('status', { name: 'Noise sorting progress' })).toBeVisible();
  const shown = section.getByTestId('noise-bins');
  await expect(shown).toBeVisible({ timeout: 300_000 });
  const counts = (await shown.getAttribute('data-counts'))!.split(',').map(Number);
  const text = (await shown.textContent())!;
  console.log(`[e2e] noise sorting of ${dataset.count} faces in ${((Date.now() - t0) / 1000).toFixed(0)} s: ${text}`);
  expect(text).toContain(
    `≥ 90 %: ${counts[0]} · 60–90 %: ${counts[1]} · < 60 %: ${counts[2]} of ${dataset.count} faces`,
  );

  const [stored] = await storedBins(page);
  expect(stored.counts).toEqual(counts);
  expect([0, 1, 2].map((b) => stored.bins.filter((x) => x === b).length)).toEqual(counts);
  expect(stored.bins).toHaveLength(dataset.count);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(dataset.count);
  // Each bin from its own confidence, by the paper's edges.
  stored.confidence.forEach((c, i) => expect(stored.bins[i]).toBe(c >= 0.9 ? 0 : c >= 0.6 ? 1 : 2));

  // Sort again and cancel while the first model trains: nothing stored, the first sorting unchanged.
  await section.getByRole('button', { name: 'Sort again' }).click();
  await expect(section.getByRole('status', { name: 'Noise sorting progress' })).toContainText(
    'model 1 of 2: training steps',
    { timeout: 60_000 },
  );
  await section.getByRole('button', { name: 'Cancel' }).click();
  await expect(section.getByRole('alert')).toContainText('Cancelled: nothing was stored');
  expect(await storedBins(page)).toEqual([stored]);
  await expect(shown).toHaveAttribute('data-counts', counts.join(','));

  // Train: the lookalikes are balanced, so the automatic class weights are none, and the page says why.
  await page.getByRole('link', { name: 'Train' }).click();
  const weights = page.getByRole('note', { name: 'Class weights' });
  await expect(weights).toContainText('No class weights');
  await expect(weights).toContainText('automatic chose none');
  await expect(weights).toHaveAttribute('data-weights', '');
});
