/**
 * Activation maximisation across every conv layer on the shipped demo model (compact: conv1–conv4), wasm:
 * a small run shows one captioned row per conv layer, and its PNG figure holds rows × N tiles where the
 * figure's layout puts them; a cancelled run keeps fewer rows than layers and shows no error.
 */
import { readFile } from 'node:fs/promises';
import { decode } from 'fast-png';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/lab';
import { layoutFigure, type Figure } from '../src/features/see/page/exportFigure';

async function openDemoSee(page: Page) {
  await page.goto('./?demo&backend=wasm#/see');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  await page.getByRole('tab', { name: 'Activation maximisation' }).click();
  return page.getByRole('region', { name: 'Every conv layer maximised' });
}

test('maximises N filters of every conv layer, row by row, and exports them as one PNG of rows × N tiles', async ({
  page,
}) => {
  const panel = await openDemoSee(page);
  // ALL_LAYERS_N / ALL_LAYERS_STEPS: a bigger run to time (docs/see.md); the checks hold for any N ≤ 16.
  const N = Number(process.env.ALL_LAYERS_N ?? 3);
  const steps = Number(process.env.ALL_LAYERS_STEPS ?? 4);
  await panel.getByLabel('Filters per layer').fill(String(N));
  await panel.getByLabel('Iterations per filter').fill(String(steps));
  const t0 = Date.now();
  await panel.getByRole('button', { name: 'Maximise every layer' }).click();
  await expect(panel.getByTestId('all-layers-progress')).toContainText('Done: 4 of 4 layers', { timeout: 600_000 });
  const rows = panel.getByRole('figure', { name: /^Maximised filters of / });
  await expect(rows).toHaveCount(4);
  const rowMs = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-ms'))));
  console.log(
    `[e2e] all layers, ${N} filters × ${steps} steps: ${Date.now() - t0} ms from the click; per layer ${rowMs.join(', ')} ms; ${await panel.getByTestId('all-layers-progress').innerText()}`,
  );
  // The demo model's conv layers have 16, 32, 64, 64 filters; N evenly spaced of each (0, 5, 10 / 0, 10, 21 / 0, 21, 42 at N = 3).
  const spaced = (c: number) => Array.from({ length: N }, (_, i) => Math.floor((i * c) / N));
  const expected = [
    ['conv1', spaced(16), 16],
    ['conv2', spaced(32), 32],
    ['conv3', spaced(64), 64],
    ['conv4', spaced(64), 64],
  ] as const;
  for (const [i, [layer, filters, channels]] of expected.entries()) {
    await expect(rows.nth(i).locator('xpath=./figcaption')).toContainText(
      `${layer}: filters ${filters.join(', ')} of ${channels}`,
    );
    for (const f of filters)
      await expect(rows.nth(i).getByRole('img', { name: `Filter ${f} of ${layer}, maximised` })).toBeVisible();
  }

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Export PNG (all rows)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('activation-max-all-layers.png');
  const png = decode(await readFile((await download.path())!));
  // The same figure shape without text widths (nothing wraps: every caption is two short lines) gives the height and where
  // each of the rows × N tiles lies; each tile must hold an image, not the white background.
  const shape: Figure = {
    title: '',
    subtitle: ['', ''],
    cells: Array.from({ length: 4 * N }, () => ({
      image: { width: 64, height: 64, rgba: new Uint8ClampedArray(64 * 64 * 4), tiles: 1 },
      caption: 'a\nb',
    })),
    columns: N,
  };
  const layout = layoutFigure(shape, () => 0);
  console.log(
    `[e2e] all-layers PNG ${png.width}×${png.height}, layout height ${layout.height}, ${layout.cells.length} tiles`,
  );
  expect(png.height).toBe(layout.height);
  expect(png.width).toBeGreaterThanOrEqual(layout.width);
  const channels = png.channels;
  const white = (x: number, y: number) => [0, 1, 2].every((c) => png.data[(y * png.width + x) * channels + c] === 255);
  for (const cell of layout.cells) {
    let inked = 0;
    for (let y = cell.y; y < cell.y + cell.height; y += 4)
      for (let x = cell.x; x < cell.x + cell.width; x += 4) if (!white(x, y)) inked++;
    expect(inked / ((cell.width / 4) * (cell.height / 4))).toBeGreaterThan(0.5);
    // The gap right of the tile is background.
    expect(white(cell.x + cell.width + 2, cell.y + cell.height / 2)).toBe(true);
  }
});

test('cancel mid-way keeps the finished rows, fewer than the layers, with no error', async ({ page }) => {
  const panel = await openDemoSee(page);
  await panel.getByLabel('Filters per layer').fill('4');
  await panel.getByLabel('Iterations per filter').fill('24');
  await panel.getByRole('button', { name: 'Maximise every layer' }).click();
  const rows = panel.getByRole('figure', { name: /^Maximised filters of / });
  await expect(rows.first()).toBeVisible({ timeout: 180_000 });
  await expect(panel.getByTestId('all-layers-progress')).toContainText(
    /[12] of 4 layers done · \d+ of 16 filters · about \d+ (s|min) left/,
  );
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel.getByTestId('all-layers-progress')).toContainText(/^Cancelled: [123] of 4 layers/, {
    timeout: 60_000,
  });
  const kept = await rows.count();
  console.log(`[e2e] cancelled: ${await panel.getByTestId('all-layers-progress').innerText()}`);
  expect(kept).toBeGreaterThanOrEqual(1);
  expect(kept).toBeLessThan(4);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Export PNG (all rows)' })).toBeEnabled();
});
