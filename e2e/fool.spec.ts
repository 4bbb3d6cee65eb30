/**
 * Fool (issue #5): a compact model trained on 1,024 synthetic lookalikes (wasm, the fast backend here) is
 * fooled in batch — 50 correctly classified test faces per class — and the numbers are printed; then the page
 * is reopened on WebGPU, a correctly classified face is clicked and fooled to ≥ 90 % for the other class, the
 * modified PNG is downloaded, decoded here in Node, checked against the bound, and classified by the page's
 * model. Both readings of the paper's rule are run; the range reading is asserted at ≥ 95 % (README "Fool" says
 * why the literal one cannot be).
 */
import { readFile } from 'node:fs/promises';
import { decode } from 'fast-png';
import type { Page } from '@playwright/test';
import { ensureFacePhotos, facePhoto } from './fixtures/faces';
import { test, expect, openLab, generateDemo, configure } from './fixtures/lab';

type LabWindow = {
  __lab: { getState(): { runs: Array<{ id: string }> } };
  __labBridge: () => { call(method: string, args: unknown): Promise<unknown> };
};

async function batchRow(page: Page, name: string): Promise<string> {
  const report = page.getByRole('region', { name: 'Batch fooling report' });
  return (await report.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) }).textContent()) ?? '';
}

async function foolBatch(page: Page, rule: 'range' | 'relative', perClass: number): Promise<number> {
  await page.getByLabel('Bound').selectOption(rule);
  await page.getByLabel('Images per class').fill(String(perClass));
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Fool batch' }).click();
  const report = page.getByRole('region', { name: 'Batch fooling report' });
  await expect(report).toContainText(rule === 'range' ? 'full range' : 'own value', { timeout: 600_000 });
  const success = Number(/([\d.]+) %/.exec(await batchRow(page, 'Success rate'))![1]) / 100;
  console.log(
    `[e2e] batch, ${rule} reading, ${perClass}/class, ${((Date.now() - t0) / 1000).toFixed(1)} s: ` +
      (await report.textContent()),
  );
  expect(await batchRow(page, 'Every saved pixel within the rule')).toContain('yes');
  return success;
}

test('fools a batch, then clicks a face on WebGPU; the downloaded PNG still fools and keeps the bound', async ({
  page,
}) => {
  test.setTimeout(30 * 60_000);
  await openLab(page, 'wasm');
  await generateDemo(page, 1024);
  await configure(page, { architecture: 'Compact', epochs: 3, batchSize: 16 });
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('test-accuracy-3')).toBeVisible({ timeout: 600_000 });
  console.log(
    `[e2e] compact, 1024 images, 3 epochs on wasm: test accuracy ${await page.getByTestId('test-accuracy-3').textContent()}`,
  );

  await page.getByRole('link', { name: 'Fool' }).click();
  await expect(page.getByRole('button', { name: /^Fool face/ }).first()).toBeVisible({ timeout: 60_000 });
  const rangeSuccess = await foolBatch(page, 'range', 50);
  expect(await batchRow(page, 'Images attacked')).toContain('100 correctly classified');
  // Issue #5's ≥ 95 %, asserted under the range reading (±6.375 levels). Under the literal reading (±2.5 % of
  // each pixel's own value) no attack reaches it on this model: the bound, not the optimiser, is the limit
  // (3× the steps or a float attack change nothing; README "Fool"), so that rate is measured and printed below.
  console.log(`[e2e] range-reading success rate ${rangeSuccess} (issue target 0.95)`);
  expect(rangeSuccess).toBeGreaterThanOrEqual(0.95);
  expect(await batchRow(page, 'Accuracy on these images')).toMatch(/100\.0 % → \d\.\d % \(saved files: \d\.\d %\)/);
  // Say what happened: fooled / flipped / not flipped per face, and why the others failed.
  expect(await batchRow(page, 'Outcome per face')).toMatch(
    /^Outcome per face\d+ fooled · \d+ flipped \(target on top, below 90\.0 %\) · \d+ not flipped/,
  );
  expect(await batchRow(page, 'Why faces were not fooled')).toMatch(
    /every face was fooled|\d+ bound reached .* \d+ step limit/,
  );
  await foolBatch(page, 'relative', 10); // reported, not asserted at 95 % (README "Fool")

  // Reopen on WebGPU: the checkpoint is loaded on the GPU backend and the face is fooled there.
  const backend = await openLab(page, 'webgpu', '#/fool');
  expect(backend).toContain('Backend: webgpu');
  await page.getByLabel('Bound').selectOption('range');
  const face = page.locator('button[data-correct="true"]').first();
  await expect(face).toBeVisible({ timeout: 120_000 });
  const faceName = (await face.getAttribute('aria-label'))!;
  expect(faceName).toMatch(/^Fool face #\d+/);
  const index = Number(/#(\d+)/.exec(faceName)![1]);
  const t0 = Date.now();
  await face.click();
  const panel = page.getByRole('region', { name: 'Fooled face' });
  await expect(panel).toContainText('fooled:', { timeout: 600_000 });
  for (const word of ['Original', 'Noise', 'Modified']) await expect(panel).toContainText(word);
  const heading = (await panel.getByRole('heading').textContent())!;
  const confidence = Number(/fooled: \S+ ([\d.]+) %/.exec(heading)![1]);
  console.log(`[e2e] WebGPU, face #${index}: ${heading} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  expect(confidence).toBeGreaterThanOrEqual(90);
  await expect(page.getByTestId('saved-check')).toContainText('still fools');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('button', { name: 'Download modified PNG' }).click(),
  ]);
  const png = decode(await readFile((await download.path())!));
  expect([png.width, png.height]).toEqual([64, 64]);
  const channels = png.channels;
  const rgb = Uint8Array.from(
    { length: 64 * 64 * 3 },
    (_, i) => (png.data as Uint8Array)[Math.floor(i / 3) * channels + (i % 3)],
  );

  const { original, probs, label } = await page.evaluate(
    async ({ index, rgb }) => {
      const w = window as unknown as LabWindow;
      const runId = w.__lab.getState().runs[0].id;
      const bridge = w.__labBridge();
      const g = (await bridge.call('gallery', { runId, split: 'test', limit: 100_000 })) as {
        indices: number[];
        labels: number[];
        pixels: Uint8Array;
      };
      const at = g.indices.indexOf(index);
      const r = (await bridge.call('classify', { runId, pixels: new Uint8Array(rgb) })) as { probs: number[] };
      return {
        original: Array.from(g.pixels.subarray(at * 12288, (at + 1) * 12288)),
        probs: r.probs,
        label: g.labels[at],
      };
    },
    { index, rgb: Array.from(rgb) },
  );
  let linf = 0;
  for (let i = 0; i < rgb.length; i++) linf = Math.max(linf, Math.abs(rgb[i] - original[i]));
  console.log(
    `[e2e] downloaded PNG: L∞ ${linf} levels, classified by the page as ${probs.map((p) => p.toFixed(4)).join(' / ')} (true class ${label})`,
  );
  expect(linf).toBeGreaterThan(0);
  expect(linf).toBeLessThanOrEqual(0.025 * 255);
  expect(probs.indexOf(Math.max(...probs))).toBe(1 - label);
  expect(probs[1 - label]).toBeGreaterThanOrEqual(0.9);
});

test('a face from a dropped photo (astronaut.png) is cropped on the fly and fooled with the demo model', async ({
  page,
}) => {
  ensureFacePhotos();
  await page.goto('./?demo&backend=wasm');
  await expect(page.locator('button[data-correct="true"]').first()).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Bound').selectOption('range');
  await page
    .getByLabel('Photo to fool')
    .setInputFiles({ name: 'astronaut.png', mimeType: 'image/png', buffer: facePhoto('astronaut.png') });
  const face = page.getByRole('button', { name: 'Fool face 1 of astronaut.png' });
  await expect(face).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('button', { name: /of astronaut\.png$/ })).toHaveCount(1);
  await face.click();
  const panel = page.getByRole('region', { name: 'Fooled face' });
  // README: the demo model sees the astronaut as Asha and the default attack takes her to Bela ≥ 90 %.
  await expect(panel.getByRole('heading')).toContainText(
    /Your face \(seen as (Asha|Bela)\) → fooled: (Asha|Bela) [\d.]+ %/,
    { timeout: 120_000 },
  );
  const heading = (await panel.getByRole('heading').textContent())!;
  console.log(`[e2e] dropped photo: ${heading}`);
  const [, seenAs, fooledAs, confidence] = /seen as (\w+)\) → fooled: (\w+) ([\d.]+) %/.exec(heading)!;
  expect(fooledAs).not.toBe(seenAs);
  expect(Number(confidence)).toBeGreaterThanOrEqual(90);
  await expect(page.getByTestId('saved-check')).toContainText('the saved file still fools the model');
  for (const word of ['Original', 'Noise', 'Modified']) await expect(panel).toContainText(word);
  await expect(panel).toContainText('every saved pixel obeys the rule');
});

test('says what happened: a bound under ½ level moves nothing, so faces are "not flipped" by the bound and the file "never fooled"', async ({
  page,
}) => {
  // ±0.1 % of the range is ±0.255 levels: rounded inwards, no value may move, so the outcome is known in advance.
  await page.goto('./?demo&backend=wasm');
  const face = page.locator('button[data-correct="true"]').first();
  await expect(face).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Bound').selectOption('range');
  await page.getByLabel('Max change (%)').fill('0.1');
  await face.click();
  const panel = page.getByRole('region', { name: 'Fooled face' });
  const heading = panel.getByRole('heading');
  await expect(heading).toContainText(
    /→ not flipped: (Asha|Bela) still [\d.]+ % after 100 steps \((Asha|Bela) [\d.]+ %\)/,
    { timeout: 120_000 },
  );
  await expect(heading).not.toContainText('not fooled within');
  await expect(panel.getByTestId('fool-outcome')).toContainText(
    'Bound reached: 100.0 % of the values that may move sit at their limit',
  );
  await expect(panel.getByTestId('saved-check')).toContainText('the attack never fooled it');
  await expect(panel.getByTestId('saved-check')).not.toContainText('no longer');

  await page.getByLabel('Images per class').fill('2');
  await page.getByRole('button', { name: 'Fool batch' }).click();
  const report = page.getByRole('region', { name: 'Batch fooling report' });
  await expect(report).toContainText('full range', { timeout: 300_000 });
  console.log(`[e2e] nothing may move: ${await heading.textContent()} | ${await report.textContent()}`);
  expect(await batchRow(page, 'Success rate')).toContain('0.0 % fooled (the target ≥ 90.0 %)');
  expect(await batchRow(page, 'Outcome per face')).toContain(
    '0 fooled · 0 flipped (target on top, below 90.0 %) · 4 not flipped',
  );
  expect(await batchRow(page, 'Why faces were not fooled')).toContain('4 bound reached');
  expect(await batchRow(page, 'Why faces were not fooled')).toContain('0 step limit (100 steps) reached first');
  expect(await batchRow(page, 'Accuracy on these images')).toContain('100.0 % → 100.0 %');
});
