/**
 * The See page on WebGPU (forced; SwiftShader here, the CPU emulating a GPU, so every step is kept small): all
 * filters of the shipped demo model (compact, 176) and of the paper model (1,536 in 13 conv layers: 64 + 64 + 11 × 128,
 * the issue's "1,472" is one 64 short; untrained,
 * its seeded initial weights: one training step of the paper model takes minutes on SwiftShader), a layer grid
 * of 8 activation-maximised filters (16 steps each instead of 128), all four saliency maps of a chosen face, the
 * region table on one test face, and the paper filters' PNG figure, downloaded and decoded (fast-png).
 */
import { readFile } from 'node:fs/promises';
import { decode } from 'fast-png';
import type { Locator } from '@playwright/test';
import { test, expect } from './fixtures/lab';

/** Distinct values of the red channel of a canvas: a flat or empty canvas has one or two. */
const reds = (canvas: Locator) =>
  canvas.evaluate((c) => {
    const el = c as HTMLCanvasElement;
    const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
    return new Set(Array.from({ length: d.length / 4 }, (_, i) => d[i * 4])).size;
  });

test('See on WebGPU: filters of compact and of the paper model, 8 maximised filters, four saliency maps, region table, PNG', async ({
  page,
}) => {
  const t0 = Date.now();
  const lap = (what: string) => console.log(`[e2e] ${what} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.goto('./?demo&backend=webgpu#/see');
  const status = page.getByRole('status', { name: 'Backend' });
  await expect(status).toContainText('Backend:', { timeout: 120_000 });
  const backend = (await status.textContent()) ?? '';
  console.log(`[e2e] ${backend}`);
  expect(backend).toContain('webgpu');
  expect(backend.toLowerCase()).toContain('swiftshader');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  lap('demo installed');

  // Every filter of the trained compact model: one grid per conv layer, one tile per filter, real pixels.
  await page.getByRole('button', { name: 'Show filters' }).click();
  const filters = page.getByRole('region', { name: 'Filters', exact: true });
  await expect(filters).toContainText('4 conv layers, 176 filters', { timeout: 120_000 });
  const tiles = (region: Locator) =>
    region
      .getByRole('img', { name: /^Filters of/ })
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-tiles'))));
  expect(await tiles(filters)).toEqual([16, 32, 64, 64]);
  expect(await reds(filters.getByRole('img', { name: 'Filters of conv3' }))).toBeGreaterThan(50);
  lap('compact filters');

  // The paper model's 1,536 filters, timing the page's longest main-thread task while they are drawn.
  await page.evaluate(() => {
    const w = window as unknown as { longestTask: number };
    w.longestTask = 0;
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => (w.longestTask = Math.max(w.longestTask, e.duration))),
    ).observe({ type: 'longtask' });
  });
  const untrained = page.getByRole('region', { name: 'Untrained model' });
  await expect(untrained.getByRole('combobox', { name: 'Untrained architecture' })).toHaveValue('paper');
  const p0 = Date.now();
  await untrained.getByRole('button', { name: 'Show untrained filters' }).click();
  const paper = page.getByRole('region', { name: 'Untrained paper' });
  await expect(paper).toContainText('13 conv layers, 1536 filters', { timeout: 120_000 });
  expect(await tiles(paper)).toEqual([64, 64, ...new Array<number>(11).fill(128)]); // 1,536
  expect(await reds(paper.getByRole('img', { name: 'Filters of conv13' }))).toBeGreaterThan(50);
  const longest = await page.evaluate(() => (window as unknown as { longestTask: number }).longestTask);
  console.log(
    `[e2e] paper model: 1,536 filters built, read and drawn in ${((Date.now() - p0) / 1000).toFixed(1)} s; longest main-thread task ${longest.toFixed(0)} ms`,
  );
  expect(longest).toBeLessThan(1000);

  // Its PNG figure downloads and decodes: 13 grids of 3×3 tiles, upscaled, with captions.
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    paper.getByRole('button', { name: 'Export PNG' }).click(),
  ]);
  expect(png.suggestedFilename()).toBe('filters-untrained-paper.png');
  const figure = decode(await readFile((await png.path())!));
  const levels = new Set<number>();
  for (let i = 0; i < figure.width * figure.height; i++) levels.add(figure.data[i * figure.channels]);
  console.log(
    `[e2e] paper filters figure: ${figure.width}×${figure.height}, ${figure.channels} channels, ${levels.size} levels in red`,
  );
  expect(figure.width).toBeGreaterThan(32 * 4 * 6); // 32 tiles of 3 px + gaps per row, at 6×
  expect(figure.height).toBeGreaterThan(13 * 4 * 4 * 6); // 13 layers, ≥ 4 rows of tiles each from conv3 on
  expect(levels.size).toBeGreaterThan(100);
  lap('paper filters + PNG');

  // All four saliency methods on test image 5, each a real (non-flat) overlay.
  await page.getByLabel('Image index').fill('5');
  await page.getByRole('tab', { name: 'Saliency' }).click();
  await page.getByRole('button', { name: 'Show saliency maps' }).click();
  const saliency = page.getByRole('region', { name: 'Saliency maps' });
  for (const name of ['Vanilla gradient', 'SmoothGrad', 'Grad-CAM', 'Integrated Gradients']) {
    const canvas = saliency.getByRole('img', { name: new RegExp(`^${name}.* saliency$`) });
    await expect(canvas).toBeVisible({ timeout: 180_000 });
    expect(await reds(canvas), name).toBeGreaterThan(50);
  }
  console.log(`[e2e] saliency on webgpu: ${(await saliency.locator('figcaption').allTextContents()).join(', ')}`);
  lap('saliency');

  // A layer grid of 8 activation-maximised filters of conv1 (the cheapest layer with ≥ 8 filters), 16 steps each.
  await page.getByRole('tab', { name: 'Activation maximisation' }).click();
  await page.getByRole('combobox', { name: 'Layer' }).selectOption('conv1');
  await page.getByRole('spinbutton', { name: 'Steps' }).fill('16');
  await page.getByRole('button', { name: 'Maximise 8 filters' }).click();
  const actMax = page.getByRole('region', { name: 'Activation maximisation' });
  const images = actMax.getByRole('img', { name: /^Filter \d of conv1, maximised$/ });
  await expect(images).toHaveCount(8, { timeout: 180_000 });
  await expect(actMax).toContainText('16 steps of gradient ascent');
  const gains = (await actMax.locator('figcaption').allTextContents()).map((t) =>
    Number(t.match(/gain ([\d.]+)×/)?.[1]),
  );
  const ms = await actMax.locator('figure').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-ms'))));
  console.log(`[e2e] conv1 gains after 16 steps: ${gains.join(', ')}; ms per image: ${ms.join(', ')}`);
  // Each image excites its filter more than the mean test face does (seeded: 2.7–317× in the runs here) …
  for (const g of gains) expect(g).toBeGreaterThan(1);
  // … and each is its own image, not a shared or blank canvas.
  const signatures = await images.evaluateAll((els) =>
    els.map((c) => {
      const el = c as HTMLCanvasElement;
      return Array.from(
        el
          .getContext('2d')!
          .getImageData(0, 0, el.width, el.height)
          .data.filter((_, i) => i % 97 === 0),
      ).join(',');
    }),
  );
  expect(new Set(signatures).size).toBe(8);
  lap('activation maximisation');

  // The region table on one test face: 7 regions + the pointing game, a cell per method.
  await page.getByRole('tab', { name: 'Where it looks' }).click();
  const where = page.getByRole('region', { name: 'Where it looks' });
  await where.getByLabel('Test faces').fill('1');
  await where.getByRole('button', { name: 'Measure where it looks' }).click();
  const table = where.getByRole('table', { name: 'Region table' });
  await expect(table).toBeVisible({ timeout: 180_000 });
  await expect(table.getByRole('rowheader')).toHaveCount(8);
  for (const method of ['gradient', 'gradcam', 'smoothgrad', 'integrated-gradients']) {
    await expect(where.getByTestId(`pointing-${method}`)).toContainText(/^(0\.0|100\.0) % \(\d+\.\d %\)$/);
  }
  console.log(
    `[e2e] region table (1 face, webgpu): ${(await table.innerText()).replace(/\t/g, ' | ').replace(/\n/g, ' // ')}`,
  );
  lap('region table');
});
