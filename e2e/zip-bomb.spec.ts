/**
 * Image decompression bombs in a dataset zip, through the Data page's real import (issue 18 item 1). The zip is in
 * the app's own export format and holds 200 valid 64×64 crops and 32 valid 1-bit PNGs that each declare 16384×16384
 * pixels in ~33 KB (bench/bombZip.mjs): the old import decoded them (1 GiB of pixels each, up to 256 at once; eight
 * took 44 s and 12.8 GB) before its size check. Asserted: the refusal names the first bomb and says it was refused
 * before decoding, it comes at once, nothing new is stored and the earlier dataset is byte-identical; then the same
 * zip with crops in the bombs' places imports whole (so the refusal was the bombs, not the zip). Memory is measured
 * by `npm run bench:bomb` (bench/zip-bomb.mjs), not here.
 */
import { writeFileSync } from 'node:fs';
import { datasetZip } from '../bench/bombZip.mjs';
import { expect, generateDemo, openLab, test } from './fixtures/lab';
import { readLabDb } from './fixtures/labDb';
import { datasetBytes } from './fixtures/storedBytes';

const CROPS = 200;
const BOMBS = 32;

test('a dataset zip with 32 decompression-bomb PNGs is refused at once by their headers; nothing is stored', async ({
  page,
}, testInfo) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 16);
  const [earlier] = (await readLabDb(page)).datasets;
  const earlierBytes = await datasetBytes(page, earlier.id);

  const bombs = datasetZip({ crops: CROPS, bombs: BOMBS });
  expect(bombs.bombIndices).toHaveLength(BOMBS);
  const bombPath = testInfo.outputPath('bombs.zip');
  writeFileSync(bombPath, bombs.zip);
  const firstBomb = bombs.files[bombs.bombIndices[0]];

  const started = Date.now();
  await page.getByLabel('Import dataset zip').setInputFiles(bombPath);
  const alert = page.getByRole('alert').filter({ hasText: /16384/ });
  // The old import decoded every bomb first (minutes, or a crashed tab): 20 s is generous for a header check.
  await expect(alert).toHaveText(
    `"${firstBomb}" declares 16384×16384 pixels; every image must be 64×64 (refused before decoding).`,
    { timeout: 20_000 },
  );
  const refusedMs = Date.now() - started;
  console.log(
    `[e2e] ${(bombs.zip.length / 1e6).toFixed(2)} MB zip, ${BOMBS} bombs: refused in ${refusedMs} ms: ${await alert.textContent()}`,
  );
  await expect(page.getByRole('status', { name: 'Dataset zip result' })).toHaveCount(0);

  // Nothing stored: still one dataset, byte for byte the one before (a partial import would be a second record).
  const after = await readLabDb(page);
  expect(after.datasets.map((d) => d.id)).toEqual([earlier.id]);
  expect(await datasetBytes(page, earlier.id)).toEqual(earlierBytes);
  const chunks = await page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const r = indexedDB.open('lookalike-lab');
        r.onsuccess = () => {
          const q = r.result.transaction('images').objectStore('images').count();
          q.onsuccess = () => (r.result.close(), resolve(q.result));
          q.onerror = () => reject(q.error);
        };
        r.onerror = () => reject(r.error);
      }),
  );
  expect(chunks).toBe(Math.ceil(earlier.count / 256)); // the earlier dataset's chunks only

  // The same zip with crops where the bombs were imports whole: only the bombs were wrong with it.
  const good = datasetZip({ crops: CROPS + BOMBS, name: 'no bombs' });
  const goodPath = testInfo.outputPath('good.zip');
  writeFileSync(goodPath, good.zip);
  const importStarted = Date.now();
  await page.getByLabel('Import dataset zip').setInputFiles(goodPath);
  await expect(page.getByRole('status', { name: 'Dataset zip result' })).toHaveText(
    `Imported ${CROPS + BOMBS} images from good.zip.`,
    { timeout: 60_000 },
  );
  console.log(`[e2e] the same zip without bombs: ${CROPS + BOMBS} images imported in ${Date.now() - importStarted} ms`);
  const imported = (await readLabDb(page)).datasets.find((d) => d.name === 'no bombs');
  expect(imported).toMatchObject({ count: CROPS + BOMBS, stored: CROPS + BOMBS, complete: true });
  expect(imported!.labels).toEqual(good.files.map((_, i) => i % 2));
});
