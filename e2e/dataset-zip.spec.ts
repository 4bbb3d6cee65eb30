/**
 * Dataset zip (issue 3 item 8): export a dataset from the Data page, import the downloaded file in the same
 * browser, and compare every stored pixel, label and split code of the two datasets; a hostile zip (zip-slip
 * entry name) is refused with a message and leaves the stored datasets as they were.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { expect, generateDemo, openLab, test } from './fixtures/lab';

/** Every dataset's name, labels, split codes and a hash of its pixels, in storage order. */
async function datasets(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('lookalike-lab');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((resolve) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result as T[]);
      });
    const records = await all<{ id: string; name: string; count: number; createdAt: number }>('datasets');
    const chunks = await all<{ datasetId: string; chunk: number; pixels: Uint8Array; labels: Uint8Array }>('images');
    const splits = await all<{ datasetId: string; codes: Uint8Array; seed: number }>('splits');
    db.close();
    return records
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((d) => {
        const mine = chunks.filter((c) => c.datasetId === d.id).sort((a, b) => a.chunk - b.chunk);
        let hash = 2166136261;
        for (const c of mine) for (const v of c.pixels) hash = Math.imul(hash ^ v, 16777619) >>> 0;
        const split = splits.find((s) => s.datasetId === d.id)!;
        return {
          name: d.name,
          count: d.count,
          bytes: mine.reduce((n, c) => n + c.pixels.length, 0),
          pixelsHash: hash,
          labels: mine.flatMap((c) => Array.from(c.labels)).join(''),
          codes: Array.from(split.codes).join(''),
          seed: split.seed,
        };
      });
  });
}

test('an exported dataset zip imports to identical pixels, labels and splits; a zip-slip zip is refused', async ({ page }, testInfo) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 96);
  const [original] = await datasets(page);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export dataset zip' }).click();
  const zipPath = testInfo.outputPath('dataset.zip');
  await (await download).saveAs(zipPath);
  await expect(page.getByRole('status', { name: 'Dataset zip result' })).toContainText('Exported');

  await page.getByLabel('Import dataset zip').setInputFiles(zipPath);
  await expect(page.getByRole('status', { name: 'Dataset zip result' })).toContainText(`Imported ${original.count} images`, {
    timeout: 60_000,
  });
  const [before, imported] = await datasets(page);
  console.log(`[e2e] original ${JSON.stringify({ ...original, labels: undefined, codes: undefined })}`);
  expect(before).toEqual(original);
  expect({ ...imported, name: original.name }).toEqual(original);

  // A zip whose entry escapes its folder: refused before anything is inflated or written.
  const evil = testInfo.outputPath('evil.zip');
  writeFileSync(evil, zipSync({ 'manifest.json': strToU8('{}'), '../../evil.png': new Uint8Array(10) }));
  await page.getByLabel('Import dataset zip').setInputFiles(evil);
  await expect(page.getByRole('alert').filter({ hasText: /evil\.png/ })).toBeVisible();
  console.log(`[e2e] ${await page.getByRole('alert').filter({ hasText: /evil\.png/ }).textContent()}`);
  expect(await datasets(page)).toEqual([original, imported]);
});
