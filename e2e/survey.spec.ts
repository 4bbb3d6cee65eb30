/**
 * Survey (issue #6): a whole participant session in kiosk mode with the real timing code at 450 ms, the
 * results page (accuracy, CNN on the same pairs, features table, timing), then the kit exported, opened in a
 * fresh browser context, run there, and its result file merged back. Prints the measured display times.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/lab';

async function runParticipant(page: Page, answers: (i: number) => 'Same' | 'Different', pairs = 10): Promise<string> {
  await page.getByRole('button', { name: 'I agree, start' }).click();
  const pid = (await page.getByTestId('participant-id').textContent())!;
  await page.getByRole('radio', { name: 'No' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Start training' }).click();
  await page.getByRole('button', { name: 'Start the test' }).click({ timeout: 60_000 });
  for (let i = 0; i < pairs; i++) {
    await expect(page.getByText(`Pair ${i + 1} of ${pairs}`)).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: answers(i), exact: true }).click();
  }
  await page.getByRole('checkbox', { name: 'eyes' }).check();
  await page.getByRole('checkbox', { name: 'nose' }).check();
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByRole('status', { name: 'Participant finished' })).toContainText(pid);
  return pid;
}

test('kiosk session at 450 ms, results, kit exported to a fresh context and its result merged back', async ({
  page,
  browser,
}) => {
  await page.goto('./?demo&backend=wasm#/survey');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  await page.getByLabel('Training faces per person').fill('2');
  await page.getByLabel('Test pairs').fill('10');
  await page.getByLabel('Display time (ms)').fill('450');
  await page.getByRole('button', { name: 'Create survey' }).click();
  await expect(page.getByText(/Survey “Lookalike survey” saved: 4 training faces, 10 pairs/)).toBeVisible({
    timeout: 120_000,
  });

  await page.getByRole('button', { name: 'Run survey' }).first().click();
  await runParticipant(page, (i) => (i % 2 ? 'Same' : 'Different'));

  const results = page.getByRole('region', { name: 'Survey results' });
  await expect(results.getByTestId('people-accuracy')).toContainText('%');
  const timing = (await results.getByTestId('timing').textContent())!;
  console.log(
    `[e2e] survey timing: ${timing}; people ${await results.getByTestId('people-accuracy').textContent()}; CNN ${await results.getByTestId('cnn-accuracy').textContent()}`,
  );
  const [within, total] = /(\d+) of (\d+) trials/.exec(timing)!.slice(1).map(Number);
  expect(total).toBe(10);
  expect(within / total).toBeGreaterThanOrEqual(0.9);
  const features = results.getByRole('table', { name: 'Features used' });
  await expect(features.getByRole('row', { name: /^eyes 1$/ })).toBeVisible();
  await expect(features.getByRole('row', { name: /^nose 1$/ })).toBeVisible();
  // The features people ticked beside where the network's attribution goes (See's region table).
  await results.getByRole('button', { name: 'Compare with where the network looks' }).click();
  const both = results.getByRole('table', { name: 'Features: people and the network' });
  await expect(both.getByRole('row', { name: /^eyes 1 of 1 eyes [\d.]+ % \([\d.]+×\)$/ })).toBeVisible({
    timeout: 120_000,
  });
  console.log(
    `[e2e] people vs network: ${(await both.locator('tbody').innerText()).replace(/\t/g, ' | ').replace(/\n/g, ' // ')}`,
  );

  // The kit, opened on "another device": a fresh context with its own empty storage.
  const [kitDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export kit' }).first().click(),
  ]);
  const kitPath = (await kitDownload.path())!;
  const other = await browser.newContext();
  const device = await other.newPage();
  await device.goto('./?backend=wasm#/survey');
  await device.getByLabel('Open a survey kit file').setInputFiles(kitPath);
  await expect(device.getByText('Imported survey kit “Lookalike survey”.')).toBeVisible();
  await device.getByRole('button', { name: 'Run survey' }).click();
  const otherPid = await runParticipant(device, () => 'Same');
  const [resultDownload] = await Promise.all([
    device.waitForEvent('download'),
    device.getByRole('button', { name: 'Download this result file' }).click(),
  ]);
  const resultJson = await readFile((await resultDownload.path())!, 'utf8');
  await other.close();

  await page
    .getByLabel('Merge returned result files')
    .setInputFiles({ name: 'result.json', mimeType: 'application/json', buffer: Buffer.from(resultJson) });
  await expect(page.getByText('Merged 1 result(s).')).toBeVisible();
  await expect(results).toContainText(otherPid);
  await expect(results.getByTestId('people-accuracy')).toContainText('%');
  await expect(results.getByRole('row', { name: /People \(2 participants, 20 trials\)/ })).toBeVisible();
  // Merging the same file again is detected as a duplicate.
  await page
    .getByLabel('Merge returned result files')
    .setInputFiles({ name: 'result-again.json', mimeType: 'application/json', buffer: Buffer.from(resultJson) });
  await expect(page.getByText(/Merged 0 result\(s\); 1 duplicate participant\(s\) skipped/)).toBeVisible();
});

test('last layer of the demo model: 12 + 12 faces original and modified, CSV, PCA and the clamping experiment', async ({
  page,
}) => {
  await page.goto('./?demo&backend=wasm#/survey');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  const panel = page.getByRole('region', { name: 'Last layer' });
  await panel.getByLabel('Images per class').fill('12'); // per class; every count below follows from it (75 took 2 min of attacks on this CPU)
  await panel.getByRole('button', { name: 'Extract last layer' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 300_000 }),
    panel.getByRole('button', { name: 'Download last-layer CSV' }).click({ timeout: 300_000 }),
  ]);
  const csv = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
  const head = csv[0].split(',');
  const units = head.filter((h) => h.startsWith('unit_')).length;
  expect(units).toBe(64);
  expect(csv.length).toBe(1 + 24 + 24);
  expect(csv.filter((r) => r.startsWith('original,')).length).toBe(24);
  expect(csv.filter((r) => r.startsWith('modified,')).every((r) => r.split(',').length === head.length)).toBe(true);
  await expect(panel.getByRole('img', { name: 'PCA scatter of 48 images' })).toBeVisible();
  const clamp = panel.getByRole('table', { name: 'Clamping experiment' });
  await expect(clamp).toBeVisible();
  console.log(
    `[e2e] last layer: ${await panel.locator('figcaption').textContent()} | clamping (k, zero, restore): ${(await clamp.locator('tbody').innerText()).replace(/\s+/g, ' ')}`,
  );
});

test('pre and post surveys pooled: people and the CNN before and after manipulation', async ({ page }) => {
  await page.goto('./?demo&backend=wasm#/survey');
  await expect(page.getByRole('combobox', { name: 'Model' })).toContainText('compact', { timeout: 120_000 });
  await page.getByLabel('Training faces per person').fill('1');
  await page.getByLabel('Test pairs').fill('6');
  for (const condition of ['pre', 'post'] as const) {
    await page.getByLabel('Survey name').fill(`Survey ${condition}`);
    await page.getByLabel('Condition').selectOption(condition);
    await page.getByRole('button', { name: 'Create survey' }).click();
    await expect(page.getByText(`Survey “Survey ${condition}” saved`)).toBeVisible({ timeout: 120_000 });
    await page
      .getByRole('listitem')
      .filter({ hasText: `Survey ${condition}` })
      .getByRole('button', { name: 'Run survey' })
      .click();
    await runParticipant(page, () => 'Same', 6);
  }
  const comparison = page.getByRole('region', { name: 'Before and after manipulation' });
  await comparison.getByLabel(/Survey pre/).check();
  await comparison.getByLabel(/Survey post/).check();
  const table = comparison.getByRole('table', { name: 'Accuracy by condition' });
  await expect(table.getByRole('row', { name: /pre: originals 1, 6/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /post: modified 1, 6/ })).toBeVisible();
  const rows = (await table.locator('tbody').innerText()).replace(/\s+/g, ' ');
  console.log(`[e2e] pre/post comparison: ${rows}`);
  // The paper's 99 % → 1 %: the CNN classifies the shown originals correctly (they were picked so) and the
  // modified ones wrongly. (Its same/different answers need not drop: both faces of a pair flip together.)
  const classPre = Number(/^([\d.]+) %/.exec((await table.getByTestId('cnn-class-pre').textContent())!)![1]);
  const classPost = Number(/^([\d.]+) %/.exec((await table.getByTestId('cnn-class-post').textContent())!)![1]);
  expect(classPre).toBe(100);
  expect(classPost).toBeLessThanOrEqual(10);
});
