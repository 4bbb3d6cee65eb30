/**
 * Reliability (issue #9 item 4): while one tab trains a run, a second tab of the same browser shows that run
 * as "training in another tab" (Web Locks) instead of "interrupted", offers no Resume, and the Data page shows
 * the storage used. A tab whose schema is older than one another tab opened is told to reload, and lets the
 * upgrade through (its connection closes) with nothing lost.
 * Issue 18 item 7: nor is the run deleted or compared there — on the Fool page of the second tab it is labelled
 * "training in another tab — its numbers change until it finishes", Transfer to it is refused with that message, and
 * the robustness report says it is left out; once the first tab stops, the comparison is offered again.
 */
import type { Page } from '@playwright/test';
import { test, expect, openLab, generateDemo, configure } from './fixtures/lab';

/** The second tab's runs, newest first, as its store holds them (ids and planned epochs). */
const storedRuns = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { __lab: { getState(): { runs: Array<{ id: string; config: { epochs: number } }> } } }).__lab
      .getState()
      .runs.map((r) => ({ id: r.id, epochs: r.config.epochs })),
  );

test('a second tab does not offer to resume a run another tab is training', async ({ page, context }) => {
  await openLab(page, 'wasm');
  await generateDemo(page, 256);
  await expect(page.getByTestId('storage-use')).toContainText(/Storage: [\d.]+ MB used of [\d.]+ MB/);
  // A finished one-epoch run first, to compare the trained run with on the Fool page.
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 16, width: 0.5 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('finished', { timeout: 120_000 });
  await configure(page, { architecture: 'Compact', epochs: 30, batchSize: 16, width: 0.5 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('checkpoint saved: epoch 1', {
    timeout: 120_000,
  });

  const second = await context.newPage();
  await second.goto('./?backend=wasm#/train');
  const row = second.getByTestId('run-row').first();
  await expect(row).toHaveAttribute('data-status', 'training in another tab', { timeout: 30_000 });
  await expect(row.getByRole('button', { name: 'Resume' })).toHaveCount(0);
  // Issue 18: nor Delete (the run would come back with the first tab's next checkpoint).
  await expect(row.getByRole('button', { name: 'Delete run' })).toBeDisabled();

  // Nor compared with (issue 18): the Fool page offers it labelled as such, refuses Transfer to it, and leaves it out
  // of the robustness report.
  const [training, finished] = await storedRuns(second);
  expect([training.epochs, finished.epochs]).toEqual([30, 1]);
  await second.getByRole('link', { name: 'Fool' }).click();
  await second.getByRole('combobox', { name: 'Model', exact: true }).selectOption(finished.id);
  const target = second.getByRole('combobox', { name: 'Target model' });
  await expect(target).toHaveValue(training.id);
  await expect(target.locator('option:checked')).toContainText(
    'training in another tab — its numbers change until it finishes',
  );
  await expect(second.getByRole('button', { name: 'Transfer', exact: true })).toBeDisabled();
  await expect(second.getByRole('alert', { name: 'Transfer refused' })).toHaveText(
    /^The target model \(compact · epoch \d+ · .+\) is training in another tab — its numbers change until it finishes: compare it once it finishes there, or stop it in that tab\.$/,
  );
  await expect(second.getByRole('note', { name: 'Left out of the report' })).toContainText(
    'training in another tab — its numbers change until it finishes',
  );
  await expect(second.getByRole('button', { name: 'Robustness report' })).toBeEnabled(); // the finished run alone
  console.log(`[e2e] ${await second.getByRole('alert', { name: 'Transfer refused' }).textContent()}`);
  await second.getByRole('link', { name: 'Train' }).click();

  // Stop the first tab's training: the lock is released and the run is stopped, resumable from either tab.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('run-row').first()).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });
  await second.reload();
  const after = second.getByTestId('run-row').first();
  await expect(after).toHaveAttribute('data-status', 'stopped', { timeout: 30_000 });
  await expect(after.getByRole('button', { name: 'Resume' })).toBeVisible();
  // ... and compared with again.
  await second.getByRole('link', { name: 'Fool' }).click();
  await second.getByRole('combobox', { name: 'Model', exact: true }).selectOption(finished.id);
  await expect(second.getByRole('button', { name: 'Transfer', exact: true })).toBeEnabled();
  await expect(second.getByRole('alert', { name: 'Transfer refused' })).toHaveCount(0);
  await expect(second.getByRole('combobox', { name: 'Target model' }).locator('option:checked')).not.toContainText(
    'another tab',
  );
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
