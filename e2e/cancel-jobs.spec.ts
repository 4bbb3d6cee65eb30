/**
 * Cancel on long jobs (the page-side job hook, src/ui/useWorkerJob.ts): on the `?demo` data (wasm), each job
 * is started, its real <progress> is seen part-way (0 < value < max), Cancel is clicked, and then (a) the page
 * says it was cancelled and shows no result, (b) IndexedDB holds exactly what it held before the job (every
 * store's keys and records), (c) the same job, run again smaller, completes. One page and one demo install for
 * the three jobs (each step starts from what the previous left; each takes its own snapshot first): the install
 * is a large share of each job's time on this CPU.
 */
import { test, expect } from './fixtures/lab';
import { readStore } from './fixtures/labDb';
import { cancelMidway, snapshotDb } from './fixtures/cancelJob';

test('Cancel mid-way stores nothing: Fool batch, success rate, robustness report, survey building, last layer, where it looks, sanity checks, evaluation', async ({
  page,
}) => {
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
    await expect(page.getByRole('region', { name: 'Batch fooling report' })).toContainText('full range', {
      timeout: 300_000,
    });
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
    await expect(page.getByRole('figure', { name: 'Success rate against the budget' })).toContainText('2.5:', {
      timeout: 300_000,
    });
  });

  await test.step('robustness report: cancelled mid-way, no table, nothing stored', async () => {
    const before = await snapshotDb(page);
    await page.getByLabel('Images per class').fill('8');
    await page.getByRole('button', { name: 'Robustness report' }).click();
    await cancelMidway(page, 'Robustness report');
    await expect(page.getByRole('table', { name: 'Robustness report' })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(before);
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
    await expect(page.getByText(/Survey “Lookalike survey” saved: 4 training faces, 4 pairs/)).toBeVisible({
      timeout: 300_000,
    });
    expect((await readStore<{ id: string }>(page, 'surveys')).length).toBe(Number(before.surveys.split(' ')[0]) + 1);
  });

  await test.step('last-layer extraction: cancelled mid-way, no CSV, nothing stored', async () => {
    const panel = page.getByRole('region', { name: 'Last layer' });
    const before = await snapshotDb(page);
    await panel.getByLabel('Images per class').fill('24');
    await panel.getByRole('button', { name: 'Extract last layer' }).click();
    await cancelMidway(page, 'Extracting the last layer', panel);
    await expect(panel.getByRole('button', { name: 'Download last-layer CSV' })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(before);
  });

  await test.step('See: where it looks and the sanity checks, each cancelled mid-way: no table, nothing stored', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'See', exact: true }).click();
    await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
    const before = await snapshotDb(page);
    await page.getByRole('tab', { name: 'Where it looks' }).click();
    const where = page.getByRole('region', { name: 'Where it looks' });
    await where.getByLabel('Test faces').fill('64');
    await where.getByRole('button', { name: 'Measure where it looks' }).click();
    await cancelMidway(page, 'Measuring where it looks', where);
    await expect(where.getByRole('table', { name: 'Region table' })).toHaveCount(0);

    await page.getByRole('tab', { name: 'Sanity checks' }).click();
    const sanity = page.getByRole('region', { name: 'Sanity checks' });
    await sanity.getByRole('button', { name: 'Run sanity checks' }).click();
    await cancelMidway(page, 'Sanity checks', sanity);
    await expect(sanity.getByRole('table', { name: 'Spearman correlation with the original maps' })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(before);
  });

  await test.step('evaluation: cancelled mid-way, no confusion matrix, nothing stored', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Train', exact: true }).click();
    const runs = page.getByRole('region', { name: 'Runs' });
    const before = await snapshotDb(page);
    await runs.getByRole('button', { name: 'Evaluate test' }).first().click();
    await cancelMidway(page, 'Evaluating on the test set', runs);
    await expect(page.getByRole('table', { name: 'Confusion matrix' })).toHaveCount(0);
    expect(await snapshotDb(page)).toEqual(before);
  });
});
