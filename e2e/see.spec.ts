/** See page: every filter of every conv layer and the feature maps of one image, drawn from a trained model. */
import { test, expect, openLab, generateDemo, configure } from './fixtures/lab';

test('shows all filters and feature maps of a trained compact model', async ({ page }) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 64);
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 16 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy-1')).toBeVisible({ timeout: 120_000 });

  await page.getByRole('link', { name: 'See' }).click();
  await page.getByRole('button', { name: 'Show filters' }).click();
  const filters = page.getByRole('region', { name: 'Filters' });
  await expect(filters).toContainText('4 conv layers, 176 filters');
  const tiles = await filters.getByRole('img').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-tiles'))));
  expect(tiles).toEqual([16, 32, 64, 64]);

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
});
