#!/usr/bin/env node
/**
 * `npm run bench:attacks`: ms per attacked image and per attack step, for each attack, preset and backend, in
 * the built app in Debian's headless Chromium. Compact is the shipped demo model (`?demo`); other presets
 * (BENCH_PRESETS=compact,vgg16,vgg19,paper) are trained for one epoch on 32 demo images first — their
 * weights do not matter for speed. Each attack runs once as warm-up (excluded), then BENCH_RUNS times (≥ 5)
 * on BENCH_PER_CLASS correctly classified test images per class; the median, min and max are reported.
 * Writes bench/results/attacks-<host>-<date>.json and prints a markdown table.
 *   BENCH_BACKENDS=wasm,webgpu BENCH_PRESETS=compact BENCH_RUNS=5 BENCH_PER_CLASS=2 npm run bench:attacks
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { launchChromium, requireDist, startPreview, stats, withPeakMemory } from './preview.mjs';

const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,webgl,webgpu,cpu').split(',');
const PRESETS = (process.env.BENCH_PRESETS ?? 'compact').split(',');
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const PER_CLASS = Number(process.env.BENCH_PER_CLASS ?? 2);

// update / schedule left out: each attack's default (stepRule: decaying sign steps for the paper attack, fixed for BIM/PGD).
const BASE_SETTINGS = {
  attack: 'paper',
  rule: 'relative',
  fraction: 0.025,
  epsilon: 8,
  targeted: true,
  stepSize: 2,
  maxSteps: 100,
  stopConfidence: 0.9,
  quantised: true,
  seed: 1,
};
const ATTACKS = [
  ['paper (literal)', {}],
  ['paper (range)', { rule: 'range' }],
  ['FGSM ε 8', { attack: 'fgsm', targeted: false }],
  ['BIM ε 8, 10 steps', { attack: 'bim', targeted: false, stepSize: 2, maxSteps: 10 }],
  ['PGD ε 8, 10 steps', { attack: 'pgd', targeted: false, stepSize: 2, maxSteps: 10 }],
  ['DeepFool', { attack: 'deepfool', maxSteps: 50 }],
];

requireDist();
const server = await startPreview();
const base = server.base;

/** A run of `preset` to attack: the demo's for compact, else one epoch on 32 images. */
async function runFor(page, preset) {
  if (preset === 'compact') return page.evaluate(() => window.__lab.getState().demo.runId);
  await page.getByRole('link', { name: 'Data' }).click();
  await page.getByLabel('Number of images').fill('32');
  await page.getByRole('button', { name: 'Generate demo dataset' }).click();
  await page.getByText(/Generated \d+ images/).waitFor({ timeout: 120_000 });
  await page.getByRole('link', { name: 'Train' }).click();
  const arch = page.getByRole('combobox', { name: 'Architecture' });
  await arch.selectOption(preset);
  await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('1');
  await page.getByRole('spinbutton', { name: 'Batch size' }).fill('16');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await page.waitForFunction(() => window.__lab.getState().training.epochs.length > 0, null, {
    timeout: 3_600_000,
    polling: 1000,
  });
  await page.waitForFunction(
    () =>
      window.__lab
        .getState()
        .runs.some(
          (r) =>
            r.checkpointEpoch !== null && r.status === 'completed' && r.id === window.__lab.getState().training.runId,
        ),
    null,
    { timeout: 600_000, polling: 500 },
  );
  return page.evaluate(() => window.__lab.getState().training.runId);
}

const results = [];
let browser = null;
try {
  browser = await launchChromium();
  for (const backend of BACKENDS) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}?demo&backend=${backend}`);
    await page.waitForFunction(() => window.__lab.getState().demo.status === 'ready', null, {
      timeout: 300_000,
      polling: 500,
    });
    const adapter = await page.getByRole('status', { name: 'Backend' }).textContent();
    for (const preset of PRESETS) {
      const runId = await runFor(page, preset);
      for (const [name, patch] of ATTACKS) {
        const settings = { ...BASE_SETTINGS, ...patch };
        const call = () =>
          page.evaluate(
            ({ runId, settings, perClass }) =>
              window
                .__labBridge()
                .call('foolBatch', { runId, split: 'test', perClass, settings })
                .then((r) => ({
                  msPerImage: r.report.msPerImage,
                  msPerStep: r.report.msPerStep,
                  successRate: r.report.successRate,
                  images: r.report.images,
                  medianSteps: r.report.medianSteps,
                })),
            { runId, settings, perClass: PER_CLASS },
          );
        await call(); // warm-up: shader compilation, first allocations
        const runs = [];
        const { peakMb } = await withPeakMemory(async () => {
          for (let i = 0; i < RUNS; i++) runs.push(await call());
        });
        const row = {
          backend,
          adapter,
          preset,
          attack: name,
          images: runs[0].images,
          msPerImage: stats(runs.map((r) => r.msPerImage)),
          msPerStep: stats(runs.map((r) => r.msPerStep)),
          successRate: runs[0].successRate,
          medianSteps: runs[0].medianSteps,
          peakChromiumRssMb: peakMb,
        };
        console.log(JSON.stringify(row));
        results.push(row);
      }
    }
    await context.close();
  }
} finally {
  await browser?.close();
  server.stop();
}

const date = new Date().toISOString().slice(0, 10);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/attacks-${hostname()}-${date}.json`;
writeFileSync(file, JSON.stringify({ date, host: hostname(), runs: RUNS, perClass: PER_CLASS, results }, null, 2));
console.log(`\nwrote ${file}\n`);
console.log(
  '| backend | preset | attack | images | success | median steps | ms per image (median, min–max) | ms per image-step (median, min–max) |',
);
console.log('|---|---|---|---|---|---|---|---|');
const f = (s) => `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
for (const r of results)
  console.log(
    `| ${r.backend} | ${r.preset} | ${r.attack} | ${r.images} | ${(r.successRate * 100).toFixed(0)} % | ${r.medianSteps} | ${f(r.msPerImage)} | ${f(r.msPerStep)} |`,
  );
