/**
 * Sanity checks on the See page (issue #4 items 6–7) with the shipped demo model: cascading randomisation plus a
 * copy trained on shuffled labels, the Spearman table and the maps side by side; the panel's PNG figure
 * downloads and decodes (fast-png), and the region table downloads as CSV with one row per region.
 * Small settings (2 faces, 16 shuffled-label faces × 2 epochs) keep it to about a minute on wasm.
 */
import { readFile } from 'node:fs/promises';
import { decode } from 'fast-png';
import { test, expect } from './fixtures/lab';

const METHODS = ['gradient', 'smoothgrad', 'gradcam', 'integrated-gradients'];

test('sanity checks of the demo model, exported as PNG; the region table as CSV', async ({ page }) => {
  await page.goto('./?demo&backend=wasm#/see');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });

  await page.getByRole('tab', { name: 'Sanity checks' }).click();
  const panel = page.getByRole('region', { name: 'Sanity checks' });
  await panel.getByLabel('Test faces').fill('2');
  await panel.getByLabel(/shuffled labels/).check();
  await panel.getByLabel('Shuffled-label faces').fill('16');
  await panel.getByLabel('Epochs').fill('2');
  const t0 = Date.now();
  await panel.getByRole('button', { name: 'Run sanity checks' }).click();
  const table = panel.getByRole('table', { name: 'Spearman correlation with the original maps' });
  await expect(table).toBeVisible({ timeout: 180_000 });
  console.log(
    `[e2e] sanity checks (2 faces, 8 stages × 4 methods) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${(await table.innerText()).replace(/\t/g, ' | ').replace(/\n/g, ' // ')}`,
  );
  // original, the six cascade stages of the compact model (output first), shuffled labels.
  // The headers as shown (innerText: a stage's hidden tooltip, which layers it randomised, is not header text;
  // the table's CSS shows headers in capitals, hence ignoreCase).
  await expect(table.locator('thead th')).toHaveText(
    ['Method', 'original', '↓ predictions', '↓ dense64', '↓ conv4', '↓ conv3', '↓ conv2', '↓ conv1', 'labels shuffled'],
    {
      useInnerText: true,
      ignoreCase: true,
    },
  );
  await expect(
    table.getByRole('columnheader', { name: '↓ conv1' }).getByRole('tooltip', { includeHidden: true }),
  ).toHaveText(/^random: .*conv1/);
  await expect(table.getByRole('rowheader')).toHaveCount(4);
  for (const m of METHODS) {
    await expect(panel.getByTestId(`rho-${m}-original`)).toHaveText('1.00');
    await expect(panel.getByTestId(`rho-${m}-conv1`)).toHaveText(/^-?[01]\.\d\d/);
  }
  await expect(panel.getByRole('img', { name: / map, / })).toHaveCount(4 * 8);
  const grey = await panel.getByRole('img', { name: 'Gradient map, original' }).evaluate((c) => {
    const el = c as HTMLCanvasElement;
    const d = el.getContext('2d')!.getImageData(0, 0, el.width, el.height).data;
    return new Set(Array.from({ length: d.length / 4 }, (_, i) => d[i * 4])).size;
  });
  expect(grey).toBeGreaterThan(20);

  const [png] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Export PNG' }).click(),
  ]);
  expect(png.suggestedFilename()).toMatch(/^sanity-checks-face-\d+\.png$/);
  const figure = decode(await readFile((await png.path())!));
  const channels = figure.channels;
  const colours = new Set<number>();
  for (let i = 0; i < figure.width * figure.height; i++) colours.add(figure.data[i * channels]);
  console.log(
    `[e2e] sanity-check figure: ${figure.width}×${figure.height}, ${channels} channels, ${colours.size} grey levels in red`,
  );
  expect(figure.width).toBeGreaterThan(9 * 96);
  expect(figure.height).toBeGreaterThan(4 * 96);
  expect(colours.size).toBeGreaterThan(100);

  await page.getByRole('tab', { name: 'Where it looks' }).click();
  const where = page.getByRole('region', { name: 'Where it looks' });
  await where.getByLabel('Test faces').fill('2');
  await where.getByRole('button', { name: 'Measure where it looks' }).click();
  await expect(where.getByRole('table', { name: 'Region table' })).toBeVisible({ timeout: 120_000 });
  const [csv] = await Promise.all([
    page.waitForEvent('download'),
    where.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  expect(csv.suggestedFilename()).toBe('where-it-looks-2-faces.csv');
  const rows = (await readFile((await csv.path())!, 'utf8')).trimEnd().split('\r\n');
  expect(rows[0]).toBe(
    'region,discriminative,area_share,' +
      ['gradient', 'gradcam', 'smoothgrad', 'integrated-gradients']
        .map((m) => `${m}_attribution_share,${m}_ratio`)
        .join(',') +
      ',masks',
  );
  expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual([
    'background',
    'hair',
    'face',
    'brows',
    'eyes',
    'nose',
    'mouth',
    'pointing game (eyes/nose/mouth)',
  ]);
  expect(rows.slice(1).every((r) => r.endsWith(',true (synthetic faces)'))).toBe(true); // the masks column
  const shares = rows.slice(1, 8).map((r) => Number(r.split(',')[3]));
  expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
});
