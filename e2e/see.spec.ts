/**
 * See page on a trained model: every conv filter, feature maps, a filter clicked in the grids showing its feature
 * map, four saliency maps (overlay opacity and heatmaps) and a grid of 8 activation-maximised filters; the tabs
 * by keyboard and in the URL.
 */
import type { Locator } from '@playwright/test';
import { test, expect, openLab, generateDemo, configure } from './fixtures/lab';

/** A canvas's RGB bytes, row by row (alpha dropped), and its width. */
const rgbOf = (canvas: Locator) =>
  canvas.evaluate((c) => {
    const el = c as HTMLCanvasElement;
    const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
    return { width: el.width, rgb: Array.from(d).filter((_, i) => i % 4 !== 3) };
  });

test('shows filters, feature maps, saliency maps and activation maximisation of a trained compact model', async ({
  page,
}) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 64);
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 16 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy-1')).toBeVisible({ timeout: 120_000 });

  await page.getByRole('link', { name: 'See' }).click();
  await page.getByRole('button', { name: 'Show filters' }).click();
  const filters = page.getByRole('region', { name: 'Filters' });
  await expect(filters).toContainText('4 conv layers, 176 filters');
  const tiles = await filters
    .getByRole('img', { name: /^Filters of/ })
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-tiles'))));
  expect(tiles).toEqual([16, 32, 64, 64]);
  // Each layer has its weight histogram, and deeper layers can show one input channel instead of the mean.
  await expect(filters.getByRole('img', { name: /^Weight histogram of conv\d: -?[\d.]+ to [\d.]+$/ })).toHaveCount(4);
  const meanView = await filters.getByRole('img', { name: 'Filters of conv2' }).screenshot();
  await filters.getByRole('combobox', { name: 'View of conv2' }).selectOption({ label: 'input channel 3' });
  expect(await filters.getByRole('img', { name: 'Filters of conv2' }).screenshot()).not.toEqual(meanView);

  await page.getByLabel('Image index').fill('5');
  await page.getByRole('tab', { name: 'Feature maps' }).click();
  await page.getByRole('button', { name: 'Show feature maps' }).click();
  const maps = page.getByRole('region', { name: 'Feature maps' });
  await expect(maps.getByRole('img', { name: /Feature maps of/ })).toHaveCount(4);
  // Real pixels: the first layer's grid is not one flat colour.
  const distinct = await maps.getByRole('img', { name: 'Feature maps of conv1' }).evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return new Set(Array.from({ length: data.length / 4 }, (_, i) => data[i * 4])).size;
  });
  expect(distinct).toBeGreaterThan(20);
  await expect(maps).toContainText(/predicted: (Asha|Bela)/);

  // A filter clicked in the Filters grid shows its feature map on image 5: exactly that filter's tile in the
  // feature-map grid (the third strongest of conv2, so not simply the first tile), and not its neighbour's.
  const conv2Maps = maps.getByRole('img', { name: 'Feature maps of conv2' });
  const channels = (await conv2Maps.getAttribute('data-channels'))!.split(',').map(Number);
  const grid = await rgbOf(conv2Maps);
  const tileOf = (t: number) => {
    const [ox, oy] = [1 + (t % 8) * 33, 1 + Math.floor(t / 8) * 33];
    return Array.from(
      { length: 32 * 32 * 3 },
      (_, i) => grid.rgb[((oy + Math.floor(i / 96)) * grid.width + ox + Math.floor((i % 96) / 3)) * 3 + (i % 3)],
    );
  };
  const chosen = channels[2];
  await page.getByRole('tab', { name: 'Filters' }).click();
  const conv2Filters = filters.getByRole('img', { name: 'Filters of conv2' });
  const box = (await conv2Filters.boundingBox())!;
  const at = (f: number) => ({ x: ((1 + f * 4 + 1.5) * box.width) / 129, y: (2.5 * box.height) / 5 }); // 32 tiles of 3 px + 1-px gaps
  await conv2Filters.click({ position: at(chosen) });
  const inspector = page.getByRole('complementary', { name: 'Filter inspector' });
  await expect(inspector.getByRole('heading')).toHaveText(`conv2 · filter ${chosen}`);
  const shown = await rgbOf(
    inspector.getByRole('img', { name: `Feature map of conv2 filter ${chosen} on test image 5` }),
  );
  const inner = Array.from(
    { length: 32 * 32 * 3 },
    (_, i) => shown.rgb[((1 + Math.floor(i / 96)) * shown.width + 1 + Math.floor((i % 96) / 3)) * 3 + (i % 3)],
  );
  expect(inner).toEqual(tileOf(2));
  expect(inner).not.toEqual(tileOf(3));
  // Hovering another filter shows it while the pointer stays; leaving the grid returns to the clicked one.
  const other = channels[5];
  await conv2Filters.hover({ position: at(other) });
  await expect(inspector.getByRole('heading')).toHaveText(`conv2 · filter ${other}`);
  await page.mouse.move(0, 0);
  await expect(inspector.getByRole('heading')).toHaveText(`conv2 · filter ${chosen}`);

  // All four saliency methods on that image, each a real (non-flat) overlay.
  await page.getByRole('tab', { name: 'Saliency' }).click();
  await page.getByRole('button', { name: 'Show saliency maps' }).click();
  const saliency = page.getByRole('region', { name: 'Saliency maps' });
  for (const name of ['Vanilla gradient', 'SmoothGrad', 'Grad-CAM', 'Integrated Gradients']) {
    const canvas = saliency.getByRole('img', { name: new RegExp(`^${name}.* saliency$`) });
    await expect(canvas).toBeVisible({ timeout: 60_000 });
    const colours = await canvas.evaluate((c) => {
      const el = c as HTMLCanvasElement;
      const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
      return new Set(Array.from({ length: d.length / 4 }, (_, i) => `${d[i * 4]},${d[i * 4 + 1]}`)).size;
    });
    expect(colours, name).toBeGreaterThan(50);
    // Beside it, its heatmap: far from one colour.
    const heat = await rgbOf(saliency.getByRole('img', { name: new RegExp(`^${name}.* heatmap$`) }));
    expect(
      new Set(Array.from({ length: heat.rgb.length / 3 }, (_, i) => heat.rgb.slice(i * 3, i * 3 + 3).join())).size,
      `${name} heatmap`,
    ).toBeGreaterThan(50);
  }
  // The opacity slider blends face and heatmap: at 0 % the overlay is the face, at 100 % the heatmap, between them neither.
  const overlay = saliency.getByRole('img', { name: 'Vanilla gradient saliency' });
  const opacity = saliency.getByRole('slider', { name: 'Overlay opacity' });
  const face = (await rgbOf(saliency.getByRole('img', { name: 'Test image 5' }))).rgb;
  const heatmap = (await rgbOf(saliency.getByRole('img', { name: 'Vanilla gradient heatmap' }))).rgb;
  const blended = (await rgbOf(overlay)).rgb;
  expect(blended).not.toEqual(face);
  expect(blended).not.toEqual(heatmap);
  await opacity.fill('0');
  await expect.poll(async () => (await rgbOf(overlay)).rgb).toEqual(face);
  await opacity.fill('100');
  await expect.poll(async () => (await rgbOf(overlay)).rgb).toEqual(heatmap);

  // A layer grid of 8 activation-maximised filters, each with its gain over the test-set mean.
  await page.getByRole('tab', { name: 'Activation maximisation' }).click();
  await page.getByRole('combobox', { name: 'Layer' }).selectOption('conv3');
  await page.getByRole('button', { name: 'Maximise 8 filters' }).click();
  const actMax = page.getByRole('region', { name: 'Activation maximisation' });
  await expect(actMax.getByRole('img', { name: /^Filter \d+ of conv3, maximised$/ })).toHaveCount(8, {
    timeout: 120_000,
  });
  const gains = (await actMax.locator('figcaption').allTextContents()).map((t) =>
    Number(t.match(/gain ([\d.]+)×/)?.[1]),
  );
  console.log(`[e2e] activation gains, conv3 filters 0-7: ${gains.join(', ')}`);
  expect(gains.filter((g) => g > 1).length).toBeGreaterThanOrEqual(4);
});

test('where the demo model looks, measured against the region masks of 32 test faces; the tabs by keyboard and in the URL', async ({
  page,
}) => {
  // The tab named in the link opens.
  await page.goto('./?demo&backend=wasm#/see?tab=where');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  await expect(page.getByRole('tab', { name: 'Where it looks' })).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByRole('region', { name: 'Where it looks' });
  await panel.getByRole('button', { name: 'Measure where it looks' }).click();
  const table = panel.getByRole('table', { name: 'Region table' });
  await expect(table).toBeVisible({ timeout: 300_000 });
  await expect(table.getByRole('rowheader')).toHaveCount(8); // 7 regions + the pointing game
  console.log(
    `[e2e] where it looks (demo model, 32 faces): ${(await table.innerText()).replace(/\t/g, ' | ').replace(/\n/g, ' // ')}`,
  );
  for (const method of ['gradient', 'gradcam', 'smoothgrad', 'integrated-gradients']) {
    await expect(panel.getByTestId(`pointing-${method}`)).toContainText(/\d+\.\d % \(\d+\.\d %\)/);
  }

  // Arrow keys move between the tabs (only the selected one is a Tab stop); a reload keeps the tab.
  const whereTab = page.getByRole('tab', { name: 'Where it looks' });
  await expect(whereTab).toHaveAttribute('tabindex', '0');
  await whereTab.focus();
  await page.keyboard.press('ArrowRight');
  const sanityTab = page.getByRole('tab', { name: 'Sanity checks' });
  await expect(sanityTab).toBeFocused();
  await expect(sanityTab).toHaveAttribute('aria-selected', 'true');
  await expect(panel).toBeHidden();
  await expect(page.getByRole('tabpanel', { name: 'Sanity checks' })).toBeVisible();
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Filters' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft'); // wraps to the last tab
  await expect(sanityTab).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/#\/see\?tab=sanity$/);
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Sanity checks' })).toHaveAttribute('aria-selected', 'true', {
    timeout: 120_000,
  });
  await expect(page.getByRole('region', { name: 'Sanity checks' })).toBeVisible();
});
