/**
 * Dataset zip (issue 3 item 8): export a dataset from the Data page, import the downloaded file in the same
 * browser, and compare every stored pixel, label and split code of the two datasets; a hostile zip (zip-slip
 * entry name) is refused with a message and leaves the stored datasets as they were.
 */
import { writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { strToU8, zipSync } from 'fflate';
import { expect, generateDemo, openLab, test } from './fixtures/lab';
import { readLabDb } from './fixtures/labDb';

/** Every dataset's name, labels, split codes and a hash of its pixels, in storage order. */
async function datasets(page: Page) {
  return (await readLabDb(page)).datasets.map((d) => ({
    name: d.name,
    count: d.count,
    stored: d.stored,
    pixelsHash: d.pixelsHash,
    labels: d.labels.join(''),
    codes: d.codes?.join(''),
    seed: d.seed,
  }));
}

test('an exported dataset zip imports to identical pixels, labels and splits; a zip-slip zip is refused', async ({
  page,
}, testInfo) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 96);
  const [original] = await datasets(page);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export dataset zip' }).click();
  const zipPath = testInfo.outputPath('dataset.zip');
  await (await download).saveAs(zipPath);
  // The outcome is a toast in the polite live region, naming the file.
  await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(`Exported ${original.name} as`);

  await page.getByLabel('Import dataset zip').setInputFiles(zipPath);
  await expect(page.getByRole('status', { name: 'Dataset zip result' })).toContainText(
    `Imported ${original.count} images`,
    {
      timeout: 60_000,
    },
  );
  const [before, imported] = await datasets(page);
  console.log(`[e2e] original ${JSON.stringify({ ...original, labels: undefined, codes: undefined })}`);
  expect(before).toEqual(original);
  expect({ ...imported, name: original.name }).toEqual(original);

  // A zip whose entry escapes its folder: refused before anything is inflated or written.
  const evil = testInfo.outputPath('evil.zip');
  writeFileSync(evil, zipSync({ 'manifest.json': strToU8('{}'), '../../evil.png': new Uint8Array(10) }));
  await page.getByLabel('Import dataset zip').setInputFiles(evil);
  await expect(page.getByRole('alert').filter({ hasText: /evil\.png/ })).toBeVisible();
  console.log(
    `[e2e] ${await page
      .getByRole('alert')
      .filter({ hasText: /evil\.png/ })
      .textContent()}`,
  );
  expect(await datasets(page)).toEqual([original, imported]);
});
