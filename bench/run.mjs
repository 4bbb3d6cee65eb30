#!/usr/bin/env node
/**
 * `npm run bench`: drives the built app (vite preview) in Debian's headless Chromium and measures, per backend,
 * how long the demo generator takes for 10,000 images and how fast `compact` trains on them (batch 32).
 * Backends too slow to finish an epoch within the time budget are measured over the batches they did finish
 * (warm-up batch excluded) and their epoch time is EXTRAPOLATED, and marked so.
 * Writes bench/results/<host>-<date>.json and prints a markdown table.
 *   BENCH_BACKENDS=wasm,webgpu  BENCH_IMAGES=10000  BENCH_BUDGET_S=120  npm run bench
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { chromium } from '@playwright/test';

const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,webgl,webgpu,cpu').split(',');
const IMAGES = Number(process.env.BENCH_IMAGES ?? 10000);
const BUDGET_MS = Number(process.env.BENCH_BUDGET_S ?? 120) * 1000;
const PORT = 4174;
const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-webgpu'];

if (!existsSync('dist/index.html')) {
  console.error('bench: no dist/ — run `npm run build` first');
  process.exit(1);
}
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
const base = `http://127.0.0.1:${PORT}/`;
for (let i = 0; i < 60; i++) {
  try { if ((await fetch(base)).ok) break; } catch { /* not up yet */ }
  await new Promise((r) => setTimeout(r, 500));
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
const results = [];
try {
  for (const backend of BACKENDS) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}?backend=${backend}#/data`);
    await page.getByRole('status', { name: 'Backend' }).filter({ hasText: 'Backend:' }).waitFor({ timeout: 180_000 });
    const adapter = await page.getByRole('status', { name: 'Backend' }).textContent();
    await page.getByLabel('Number of images').fill(String(IMAGES));
    const g0 = Date.now();
    await page.getByRole('button', { name: 'Generate demo dataset' }).click();
    await page.getByText(/Generated \d+ images/).waitFor({ timeout: 300_000 });
    const generateSeconds = (Date.now() - g0) / 1000;
    const trainImages = Number((await page.getByTestId('split-counts').textContent()).match(/train (\d+)/)[1]);

    await page.getByRole('link', { name: 'Train' }).click();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('1');
    await page.getByRole('spinbutton', { name: 'Batch size' }).fill('32');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const t0 = Date.now();
    let finished = false;
    while (Date.now() - t0 < BUDGET_MS) {
      finished = await page.evaluate(() => window.__lab.getState().training.epochs.length > 0);
      if (finished) break;
      await page.waitForTimeout(1000);
    }
    const snapshot = await page.evaluate(() => {
      const t = window.__lab.getState().training;
      return { batches: t.batches.map((b) => ({ ms: b.ms, size: b.size })), epoch: t.epochs[0] ?? null };
    });
    if (!finished) {
      await page.getByRole('button', { name: 'Stop' }).click();
    }
    const b = snapshot.batches;
    let imagesPerSecond = NaN;
    if (b.length >= 3) {
      const imgs = b.slice(1).reduce((n, x) => n + x.size, 0);
      imagesPerSecond = imgs / ((b[b.length - 1].ms - b[0].ms) / 1000);
    }
    const row = {
      backend,
      adapter,
      images: IMAGES,
      trainImages,
      generateSeconds,
      batchesMeasured: b.length,
      imagesPerSecond,
      epochSeconds: snapshot.epoch ? snapshot.epoch.seconds : trainImages / imagesPerSecond,
      epochExtrapolated: !snapshot.epoch,
      testAccuracyAfterEpoch: snapshot.epoch?.testAccuracy ?? null,
    };
    console.log(JSON.stringify(row));
    results.push(row);
    await context.close();
  }
} finally {
  await browser.close();
  server.kill();
}

const date = new Date().toISOString().slice(0, 10);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${hostname()}-${date}.json`;
writeFileSync(file, JSON.stringify({ date, host: hostname(), results }, null, 2));
console.log(`\nwrote ${file}\n`);
console.log('| backend | generate 10k (s) | compact train images/s (batch 32) | epoch on ' + IMAGES + ' images (s) |');
console.log('|---|---|---|---|');
for (const r of results)
  console.log(`| ${r.backend} | ${r.generateSeconds.toFixed(1)} | ${r.imagesPerSecond.toFixed(1)} | ${r.epochSeconds.toFixed(0)}${r.epochExtrapolated ? ' (extrapolated from ' + r.batchesMeasured + ' batches)' : ''} |`);
