/**
 * Compare architectures (paper §4; issue 23: untested). Two presets trained in turn on the same split; the
 * comparison table's numbers must be the ones each run stored (read straight from IndexedDB), for the right
 * architecture, with every epoch of the comparison length. VGG16 (full width: the width multiplier narrows
 * only the compact model) also proves that a checkpoint over Chromium's ≈ 128 MB value limit is stored: its
 * 189 MB checkpoint failed every VGG16 run at epoch 1 before checkpoints were written in parts.
 */
import { configure, expect, generateDemo, test } from './fixtures/lab';
import { readStore } from './fixtures/labDb';

const EPOCHS = 1; // one epoch keeps VGG16 on wasm under a minute; a stale row still names the wrong run
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

test('the comparison table shows exactly what each compared run stored', async ({ page }) => {
  await page.goto('./?backend=wasm#/data');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  await generateDemo(page, 64);
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 16, width: 0.25 });
  const panel = page.getByRole('region', { name: 'Compare architectures' });
  // The default choice is Compact and VGG16 (narrowed by the width multiplier above).
  await panel.getByLabel('Comparison length').fill(String(EPOCHS));
  await panel.getByRole('button', { name: 'Compare' }).click();
  const table = panel.getByRole('table', { name: 'Comparison results' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  for (let i = 0; i < 2; i++) {
    await expect(rows.nth(i).locator('td').nth(1)).toHaveText(/done|failed/, { timeout: 300_000 });
    const why = (await panel.getByRole('alert').allTextContents()).join(' ');
    expect(await rows.nth(i).locator('td').nth(1).textContent(), why).toBe('done');
  }

  const runs = await readStore<{
    id: string;
    datasetId: string;
    status: string;
    config: { architecture: string; epochs: number };
    epochs: Array<{ epoch: number; testAccuracy: number; trainAccuracy: number; testLoss: number; seconds: number }>;
  }>(page, 'runs');
  expect(runs).toHaveLength(2);
  expect(new Set(runs.map((r) => r.datasetId)).size).toBe(1); // the same data for both
  const archs: string[] = [];
  for (let i = 0; i < 2; i++) {
    const row = rows.nth(i);
    const id = await row.getAttribute('data-run-id');
    const run = runs.find((r) => r.id === id)!;
    expect(run, `row ${i} names a stored run`).toBeTruthy();
    archs.push(run.config.architecture);
    expect(run).toMatchObject({ status: 'completed', config: { epochs: EPOCHS } });
    expect(run.epochs.map((m) => m.epoch)).toEqual(Array.from({ length: EPOCHS }, (_, e) => e + 1));
    const last = run.epochs[EPOCHS - 1];
    const best = run.epochs.reduce((b, m) => (m.testAccuracy > b.testAccuracy ? m : b));
    const cells = await row.locator('td').allTextContents();
    console.log(`[e2e] compare row ${i}: ${cells.join(' | ')}`);
    expect(cells.slice(2)).toEqual([
      String(EPOCHS),
      pct(last.testAccuracy),
      `${pct(best.testAccuracy)} (epoch ${best.epoch})`,
      pct(last.trainAccuracy),
      last.testLoss.toFixed(4),
      `${run.epochs.reduce((s, m) => s + m.seconds, 0).toFixed(1)} s`,
    ]);
  }
  expect(archs).toEqual(['compact', 'vgg16']);
});
