/** See page on a trained model: every conv filter, feature maps, four saliency maps and a grid of 8 activation-maximised filters. */
import { test, expect, openLab, generateDemo, configure } from './fixtures/lab';

test('shows filters, feature maps, saliency maps and activation maximisation of a trained compact model', async ({ page }) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 64);
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 16 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy-1')).toBeVisible({ timeout: 120_000 });

  await page.getByRole('link', { name: 'See' }).click();
  await page.getByRole('button', { name: 'Show filters' }).click();
  const filters = page.getByRole('region', { name: 'Filters' });
  await expect(filters).toContainText('4 conv layers, 176 filters');
  const tiles = await filters.getByRole('img', { name: /^Filters of/ }).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-tiles'))));
  expect(tiles).toEqual([16, 32, 64, 64]);
  // Each layer has its weight histogram, and deeper layers can show one input channel instead of the mean.
  await expect(filters.getByRole('img', { name: /^Weight histogram of conv\d: -?[\d.]+ to [\d.]+$/ })).toHaveCount(4);
  const meanView = await filters.getByRole('img', { name: 'Filters of conv2' }).screenshot();
  await filters.getByRole('combobox', { name: 'View of conv2' }).selectOption({ label: 'input channel 3' });
  expect(await filters.getByRole('img', { name: 'Filters of conv2' }).screenshot()).not.toEqual(meanView);

  await page.getByLabel('Image index').fill('5');
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

  // All four saliency methods on that image, each a real (non-flat) overlay.
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
  }

  // A layer grid of 8 activation-maximised filters, each with its gain over the test-set mean.
  await page.getByRole('combobox', { name: 'Layer' }).selectOption('conv3');
  await page.getByRole('button', { name: 'Maximise 8 filters' }).click();
  const actMax = page.getByRole('region', { name: 'Activation maximisation' });
  await expect(actMax.getByRole('img', { name: /^Filter \d+ of conv3, maximised$/ })).toHaveCount(8, { timeout: 120_000 });
  const gains = (await actMax.locator('figcaption').allTextContents()).map((t) => Number(t.match(/gain ([\d.]+)×/)?.[1]));
  console.log(`[e2e] activation gains, conv3 filters 0-7: ${gains.join(', ')}`);
  expect(gains.filter((g) => g > 1).length).toBeGreaterThanOrEqual(4);
});

test('where the demo model looks, measured against the region masks of 32 test faces', async ({ page }) => {
  await page.goto('./?demo&backend=wasm#/see');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  const panel = page.getByRole('region', { name: 'Where it looks' });
  await panel.getByRole('button', { name: 'Measure where it looks' }).click();
  const table = panel.getByRole('table', { name: 'Region table' });
  await expect(table).toBeVisible({ timeout: 300_000 });
  await expect(table.getByRole('rowheader')).toHaveCount(8); // 7 regions + the pointing game
  console.log(`[e2e] where it looks (demo model, 32 faces): ${(await table.innerText()).replace(/\t/g, ' | ').replace(/\n/g, ' // ')}`);
  for (const method of ['gradient', 'gradcam', 'smoothgrad', 'integrated-gradients']) {
    await expect(panel.getByTestId(`pointing-${method}`)).toContainText(/\d+\.\d % \(\d+\.\d %\)/);
  }
});
