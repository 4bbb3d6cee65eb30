/**
 * Reliability (issue #9 item 4, first slice): while one tab trains a run, a second tab of the same browser
 * shows that run as "training in another tab" (Web Locks) instead of "interrupted", offers no Resume, and the
 * Data page shows the storage used.
 */
import { test, expect, openLab, generateDemo, configure } from './fixtures/lab';

test('a second tab does not offer to resume a run another tab is training', async ({ page, context }) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 256);
  await expect(page.getByTestId('storage-use')).toContainText(/Storage: [\d.]+ MB used of [\d.]+ MB/);
  await configure(page, { architecture: 'Compact', epochs: 30, batchSize: 16, width: 0.5 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('epoch 1', { timeout: 120_000 });

  const second = await context.newPage();
  await second.goto('./?backend=wasm#/train');
  const row = second.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'training in another tab', { timeout: 30_000 });
  await expect(row.getByRole('button', { name: 'Resume' })).toHaveCount(0);

  // Stop the first tab's training: the lock is released and the run is stopped, resumable from either tab.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });
  await second.reload();
  const after = second.getByTestId('run-row').first();
  await expect(after).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await expect(after.getByRole('button', { name: 'Resume' })).toBeVisible();
});
