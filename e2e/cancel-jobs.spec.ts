/**
 * Cancel on long jobs (the page-side job hook, src/ui/useWorkerJob.ts): on the `?demo` data (wasm), each job
 * is started, its real <progress> is seen part-way (0 < value < max), Cancel is clicked, and then (a) the page
 * says it was cancelled and shows no result, (b) IndexedDB holds exactly what it held before the job (every
 * store's keys and records), (c) the same job, run again smaller, completes. One page and one demo install for
 * the three jobs (each step starts from what the previous left; each takes its own snapshot first): the install
 * is a large share of each job's time on this CPU.
 */
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/lab';
import { readStore } from './fixtures/labDb';

/** Every object store of the app's database, as JSON of all its records (typed arrays by their bytes). */
async function snapshotDb(page: Page): Promise<Record<string, string>> {
  const names = await page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('lookalike-lab');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const list = Array.from(open.result.objectStoreNames);
          open.result.close();
          resolve(list);
        };
      }),
  );
  const out: Record<string, string> = {};
  for (const name of names) {
    const records = await readStore<unknown>(page, name);
    out[name] = JSON.stringify(records, (_, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) : v));
  }
  return out;
}

/** Waits until the job's bar is part-way, clicks Cancel, and checks the page says cancelled. */
async function cancelMidway(page: Page, label: string): Promise<void> {
  const bar = page.getByRole('progressbar', { name: label });
  await expect
    .poll(async () => Number((await bar.getAttribute('value')) ?? 0), { timeout: 120_000, intervals: [100] })
    .toBeGreaterThan(0);
  const value = Number(await bar.getAttribute('value'));
  const max = Number(await bar.getAttribute('max'));
  console.log(`[e2e] ${label}: cancelled at ${value} / ${max}`);
  expect(value).toBeLessThan(max);
  await page.getByRole('group', { name: 'Job progress' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status', { name: 'Job cancelled' })).toContainText(`Cancelled: ${label}. Nothing was stored.`, { timeout: 60_000 });
  await expect(bar).toHaveCount(0);
}

test('Cancel mid-way stores nothing and the job then runs to the end: Fool batch, success rate against the budget, survey building', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await page.goto('./?demo&backend=wasm');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  await expect(page.locator('button[data-correct="true"]').first()).toBeVisible({ timeout: 120_000 });

  await test.step('Fool batch: cancelled mid-way, nothing shown or stored; runs again to the end', async () => {
    await page.getByLabel('Bound').selectOption('range');
    const before = await snapshotDb(page);
    await page.getByLabel('Images per class').fill('24');
    await page.getByRole('button', { name: 'Fool batch' }).click();
    await cancelMidway(page, 'Fooling a batch');
    await expect(page.getByRole('region', { name: 'Batch fooling report' })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(before);

    await page.getByLabel('Images per class').fill('4');
    await page.getByRole('button', { name: 'Fool batch' }).click();
    await expect(page.getByRole('region', { name: 'Batch fooling report' })).toContainText('full range', { timeout: 300_000 });
    await expect(page.getByRole('status', { name: 'Job cancelled' })).toHaveCount(0);
  });

  await test.step('success rate against the budget: cancelled mid-way, no curve; runs again to the end', async () => {
    await page.getByLabel('Bound').selectOption('relative'); // the page's default, as a fresh page has it
    const before = await snapshotDb(page);
    await page.getByLabel('Images per class').fill('4');
    await page.getByLabel('Max change per pixel (%)').fill('0.5, 1, 1.5, 2, 2.5, 5');
    await page.getByRole('button', { name: 'Success rate vs budget' }).click();
    await cancelMidway(page, 'Success rate against the budget');
    await expect(page.getByRole('figure', { name: 'Success rate against the budget' })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(before);

    await page.getByLabel('Max change per pixel (%)').fill('1, 2.5');
    await page.getByRole('button', { name: 'Success rate vs budget' }).click();
    await expect(page.getByRole('figure', { name: 'Success rate against the budget' })).toContainText('2.5:', { timeout: 300_000 });
  });

  await test.step('survey building: cancelled mid-way, no kit stored; built again to the end', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Survey', exact: true }).click();
    const before = await snapshotDb(page);
    await page.getByLabel('Training faces per person').fill('2');
    await page.getByLabel('Test pairs').fill('30');
    await page.getByLabel('Condition').selectOption('post');
    await page.getByRole('button', { name: 'Create survey' }).click();
    await cancelMidway(page, 'Building the survey');
    await expect(page.getByText(/Survey “Lookalike survey” saved/)).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(before);

    await page.getByLabel('Test pairs').fill('4');
    await page.getByRole('button', { name: 'Create survey' }).click();
    await expect(page.getByText(/Survey “Lookalike survey” saved: 4 training faces, 4 pairs/)).toBeVisible({ timeout: 300_000 });
    expect((await readStore<{ id: string }>(page, 'surveys')).length).toBe(JSON.parse(before.surveys ?? '[]').length + 1);
  });
});
