/**
 * The Fool page's robustness views in the browser (issue 23: only their computations were tested): the success
 * rate against the budget, transfer to a second model, and the robustness report, on the hosted demo model
 * (`?demo`) with PGD. Each must show an attack that works: nothing fooled at ε = 0, more fooled with more budget,
 * most fooled at ε = 8; transferred images counted on images both models got right; accuracy under PGD far
 * below clean accuracy. A view that drew the wrong numbers, or an attack that did nothing, fails here.
 */
import type { Page } from '@playwright/test';
import { configure, expect, test } from './fixtures/lab';
import { readStore } from './fixtures/labDb';

const pctOf = (s: string) => Number(s.replace(' %', '')) / 100;

async function runIds(page: Page): Promise<string[]> {
  const runs = await readStore<{ id: string; createdAt: number }>(page, 'runs');
  return runs.sort((a, b) => a.createdAt - b.createdAt).map((r) => r.id);
}

test('success vs budget, transfer and the robustness report show a working attack on the demo model', async ({
  page,
}) => {
  await page.goto('./?demo&backend=wasm#/train');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend: wasm', { timeout: 120_000 });
  await expect.poll(async () => (await runIds(page)).length, { timeout: 120_000 }).toBe(1);
  // A second model on the same (demo) data, for transfer: narrow and one epoch, so it differs from the demo model.
  await configure(page, { architecture: 'Compact', epochs: 1, batchSize: 32, width: 0.25 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Training status' })).toContainText('checkpoint saved: epoch 1', {
    timeout: 300_000,
  });
  const [demoRun, secondRun] = await runIds(page);

  await page.getByRole('link', { name: 'Fool' }).click();
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption(demoRun);
  await page.getByRole('combobox', { name: 'Attack', exact: true }).selectOption('pgd');
  await page.getByLabel('Images per class').fill('6');
  const panel = page.getByRole('region', { name: 'Robustness' });

  // 1. Success rate against ε.
  await panel.getByLabel('ε values (levels)').fill('0, 2, 8');
  await panel.getByRole('button', { name: 'Success rate vs budget' }).click();
  const caption = panel.getByRole('figure', { name: 'Success rate against the budget' }).locator(':scope > figcaption');
  await expect(caption).toBeVisible({ timeout: 300_000 });
  const text = (await caption.textContent())!;
  console.log(`[e2e] success vs ε: ${text}`);
  const points = [...text.matchAll(/([\d.]+): ([\d.]+ %) fooled, accuracy ([\d.]+ %)/g)].map((m) => ({
    eps: Number(m[1]),
    fooled: pctOf(m[2]),
    accuracy: pctOf(m[3]),
  }));
  expect(points.map((p) => p.eps)).toEqual([0, 2, 8]);
  expect(points[0]).toMatchObject({ fooled: 0, accuracy: 1 }); // correctly classified images, untouched
  expect(points[1].fooled).toBeGreaterThanOrEqual(points[0].fooled);
  expect(points[2].fooled).toBeGreaterThanOrEqual(points[1].fooled);
  expect(points[2].fooled).toBeGreaterThanOrEqual(0.6);

  // 2. Transfer to the second model.
  await panel.getByRole('combobox', { name: 'Target model' }).selectOption(secondRun);
  await panel.getByRole('button', { name: 'Transfer', exact: true }).click();
  const transfer = panel.getByTestId('transfer-report');
  await expect(transfer).toBeVisible({ timeout: 300_000 });
  const t = (await transfer.textContent())!.replace(/\s+/g, ' ');
  console.log(`[e2e] transfer: ${t}`);
  const m =
    /(\d+) images correct for both models: the attack fooled this model on ([\d.]+ %); the same saved images make the target model err on ([\d.]+ %) \(its accuracy ([\d.]+ %) → ([\d.]+ %)\)/.exec(
      t,
    )!;
  expect(m, t).toBeTruthy();
  expect(Number(m[1])).toBeGreaterThan(0);
  expect(pctOf(m[2])).toBeGreaterThanOrEqual(0.6);
  expect(pctOf(m[4])).toBe(1); // only images both models classify correctly are used
  expect(pctOf(m[5])).toBeCloseTo(1 - pctOf(m[3]), 3);

  // 3. The robustness report: both models, PGD far below clean.
  await panel.getByRole('button', { name: 'Robustness report' }).click();
  const report = panel.getByRole('table', { name: 'Robustness report' });
  await expect(report).toBeVisible({ timeout: 300_000 });
  const rows = await report
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent ?? '')));
  console.log(`[e2e] robustness report: ${rows.map((r) => r.join(' | ')).join(' // ')}`);
  expect(rows).toHaveLength(2);
  for (const [, clean, fgsm, pgd] of rows) {
    expect(pctOf(fgsm)).toBeLessThanOrEqual(pctOf(clean));
    expect(pctOf(pgd)).toBeLessThanOrEqual(pctOf(clean) - 0.3);
  }
});
