/**
 * Backend choice by measurement (issue 8 item 4): a first visit times a training step of the preset on each
 * backend and runs on the fastest (wasm on a GPU-less machine: WebGPU and WebGL are SwiftShader here), showing
 * the timings; a reload reuses the cached choice without measuring; the user's setting wins over it.
 */
import { expect, test } from './fixtures/lab';

test('a first visit skips software-emulated GPUs: wasm is timed and chosen at once', async ({ page }) => {
  const status = page.getByRole('status', { name: 'Backend' });
  const t0 = Date.now();
  await page.goto('./#/data');
  await expect(status).toContainText('Backend:', { timeout: 60_000 });
  const text = (await status.textContent()) ?? '';
  console.log(`[e2e] first visit, default probing (${((Date.now() - t0) / 1000).toFixed(1)} s): ${text}`);
  expect(text).toMatch(/^Backend: wasm · \d+ threads? \(fastest for compact, by measurement: wasm [\d.]+ img\/s/);
  expect(text).toMatch(/webgpu not timed: only a software \(fallback\) adapter/);
  expect(text).toMatch(/webgl not timed: software renderer \(.*SwiftShader/i);
});

test('first visit measures and picks the fastest, a reload uses the cache, the setting wins', async ({ page }) => {
  test.setTimeout(120_000);
  const status = page.getByRole('status', { name: 'Backend' });
  const t0 = Date.now();
  // ?probe=all: time the SwiftShader backends too, so their 6-s caps (terminated probe workers) are exercised.
  await page.goto('./?probe=all#/data');
  await expect(status).toContainText('Backend:', { timeout: 90_000 });
  const first = (await status.textContent()) ?? '';
  console.log(`[e2e] first visit (${((Date.now() - t0) / 1000).toFixed(1)} s): ${first}`);
  expect(first).toMatch(/^Backend: wasm · \d+ threads? \(fastest for compact, by measurement: wasm [\d.]+ img\/s/);
  for (const name of ['webgpu', 'webgl']) expect(first).toContain(` ${name} `);
  expect(first).toContain('cpu not timed: wasm runs'); // the plain-JS backend is not probed once wasm ran
  expect(first).not.toContain('cached');

  await page.reload();
  await expect(status).toContainText('Backend:', { timeout: 60_000 });
  const second = (await status.textContent()) ?? '';
  console.log(`[e2e] reload: ${second}`);
  expect(second).toContain('by measurement, cached');
  expect(second).toBe(first.replace('by measurement:', 'by measurement, cached:'));

  // The setting sits in the backend badge's details: open them first (they are closed again after the reload).
  const badge = page.getByRole('button', { name: /^Backend:/ });
  await badge.click();
  await page.getByLabel('Backend setting').selectOption('cpu'); // reloads the page
  await expect(status).toHaveText(/^Backend: cpu \(your setting\)/, { timeout: 60_000 });
  await expect(badge).toHaveAccessibleName(/^Backend: cpu/);
  await badge.click();
  await page.getByLabel('Backend setting').selectOption('');
  await expect(status).toHaveText(/^Backend: wasm · \d+ threads? \(fastest for compact, by measurement, cached/, {
    timeout: 60_000,
  });
});
