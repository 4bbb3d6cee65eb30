/**
 * The fastest backend here (wasm with our conv-gradient kernels: ~107 images/s for compact against 3–5 on
 * webgpu/webgl/cpu, measured in e2e/README.md): 512 demo images, compact for 2 epochs, both charts grow and
 * test accuracy > 0.6; the tab is reloaded during epoch 3, and the run is restored and resumed from its
 * epoch-2 checkpoint.
 */
import { test, expect, openLab, generateDemo, configure } from './fixtures/lab';

test('trains compact for 2 epochs, survives a reload, resumes from the checkpoint', async ({ page }) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 512);
  await expect(page.getByTestId('split-counts')).toContainText('train 410 · test 102 · validation 102');

  await configure(page, { architecture: 'Compact', epochs: 3, batchSize: 16 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();

  const points = (name: string) => page.getByRole('figure', { name }).getAttribute('data-points').then(Number);
  await expect(page.getByTestId('test-accuracy-2')).toBeVisible({ timeout: 300_000 });
  expect(await points('Loss per batch')).toBeGreaterThanOrEqual(2 * 26);
  expect(await points('Accuracy per batch')).toBeGreaterThanOrEqual(2 * 26);
  expect(await points('Accuracy per epoch')).toBeGreaterThanOrEqual(4); // train + test, 2 epochs
  const accuracy2 = Number(await page.getByTestId('test-accuracy-2').textContent());
  console.log(`[e2e] compact on wasm, test accuracy after 2 epochs: ${accuracy2}`);
  expect(accuracy2).toBeGreaterThan(0.6);
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('checkpoint saved: epoch 2');

  // Reload while epoch 3 is running: the worker dies with the page.
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('epoch 3');
  await page.reload();
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 60_000 });
  await page.getByRole('link', { name: 'Train' }).click();
  const row = page.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'interrupted');
  await expect(row).toContainText('checkpoint: epoch 2');
  await expect(row).toContainText('epoch 2/3');

  await row.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('test-accuracy-3')).toBeVisible({ timeout: 300_000 });
  // History up to the checkpoint was restored, then epoch 3 added to it.
  await expect(page.getByTestId('test-accuracy-1')).toBeVisible();
  await expect(row).toHaveAttribute('data-status', 'completed');
  await expect(row).toContainText('checkpoint: epoch 3');

  // Evaluation: confusion matrix on the validation set.
  await row.getByRole('button', { name: 'Evaluate validation' }).click();
  await expect(page.getByRole('table', { name: 'Confusion matrix' })).toBeVisible();
  await expect(page.getByText(/validation set: accuracy/)).toBeVisible();
});
