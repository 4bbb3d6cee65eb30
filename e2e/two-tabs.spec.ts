/**
 * Reliability (issue #9 item 4): while one tab trains a run, a second tab of the same browser shows that run
 * as "training in another tab" (Web Locks) instead of "interrupted", offers no Resume, and the Data page shows
 * the storage used. A tab whose schema is older than one another tab opened is told to reload, and lets the
 * upgrade through (its connection closes) with nothing lost.
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
  // Issue 18: nor Delete (the run would come back with the first tab's next checkpoint).
  await expect(row.getByRole('button', { name: 'Delete run' })).toBeDisabled();

  // Stop the first tab's training: the lock is released and the run is stopped, resumable from either tab.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });
  await second.reload();
  const after = second.getByTestId('run-row').first();
  await expect(after).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await expect(after.getByRole('button', { name: 'Resume' })).toBeVisible();
});

test('a tab is told to reload when another tab upgrades the database to a newer schema', async ({ page, context }) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 16); // the tab now holds an open connection
  const newer = await context.newPage();
  await newer.goto('./?backend=wasm#/data');
  // What a newer build of the app would do: open the same database at a higher version.
  const upgraded = await newer.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const r = indexedDB.open('lookalike-lab', 99);
        r.onsuccess = () => {
          const v = r.result.version;
          r.result.close();
          resolve(v);
        };
        r.onerror = () => reject(r.error);
        r.onblocked = () => reject(new Error('upgrade blocked: an old tab kept its connection open'));
      }),
  );
  expect(upgraded).toBe(99);
  await expect(page.getByRole('alert', { name: 'Reload needed' })).toContainText('Reload this tab');
  // The demo dataset written before the upgrade is still there.
  const count = await newer.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const r = indexedDB.open('lookalike-lab');
        r.onsuccess = () => {
          const q = r.result.transaction('datasets').objectStore('datasets').count();
          q.onsuccess = () => resolve(q.result);
        };
      }),
  );
  expect(count).toBe(1);
});
