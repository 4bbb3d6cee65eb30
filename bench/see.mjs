#!/usr/bin/env node
/**
 * `npm run bench:see`: time per saliency map for each method, and per activation-maximisation image (512 steps of
 * gradient ascent), for each backend, in the built app in Debian's headless Chromium, on the shipped demo model
 * (`?demo`: compact, full width). Not a test: numbers only.
 *
 * Saliency: the See page's "Show saliency maps" call (all four methods with the page's defaults: SmoothGrad 25
 * noisy samples, Integrated Gradients 32 intervals, in batches of 8; Grad-CAM on conv4) on dataset image 5; the
 * worker times each method. Activation maximisation: filter 0 of BENCH_AM_LAYER (default conv4, the See page's
 * default layer), timed in the worker without the test-set baseline. Each is run once as warm-up (shader
 * compilation: WebGL and WebGPU compile one program per jitter offset), then BENCH_RUNS (≥ 5) times; median, min
 * and max are reported.
 *
 * Budget: where 512 steps × BENCH_RUNS would exceed BENCH_AM_BUDGET_S on a backend, each measured image runs fewer
 * steps (never < 16) and its 512-step time is EXTRAPOLATED from the measured time per step, and marked so (the
 * cost per step is constant: same shapes every step). Saliency calls have no such knob and always run in full.
 * Writes bench/results/see-<host>-<date>.json and prints a markdown table.
 *   BENCH_BACKENDS=wasm,cpu BENCH_RUNS=5 BENCH_AM_STEPS=512 BENCH_AM_BUDGET_S=60 npm run bench:see
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { launchChromium, requireDist, startPreview, stats, withPeakMemory } from './preview.mjs';

const BACKENDS = (process.env.BENCH_BACKENDS ?? 'wasm,webgl,webgpu,cpu').split(',');
const RUNS = Math.max(5, Number(process.env.BENCH_RUNS ?? 5));
const AM_STEPS = Number(process.env.BENCH_AM_STEPS ?? 512);
const AM_LAYER = process.env.BENCH_AM_LAYER ?? 'conv4';
const AM_BUDGET_MS = Number(process.env.BENCH_AM_BUDGET_S ?? 60) * 1000;
const IMAGE = 5;
const METHODS = ['gradient', 'smoothgrad', 'gradcam', 'integrated-gradients'];

requireDist();
const server = await startPreview();
const base = server.base;
const scale = (s, k) => ({ ...s, median: s.median * k, min: s.min * k, max: s.max * k });

const results = [];
const t0 = Date.now();
let browser = null;
try {
  browser = await launchChromium();
  for (const backend of BACKENDS) {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${base}?demo&backend=${backend}`);
    await page.waitForFunction(() => window.__lab.getState().demo.status === 'ready', null, {
      timeout: 300_000,
      polling: 500,
    });
    const adapter = await page.getByRole('status', { name: 'Backend' }).textContent();
    if (!adapter.includes(`Backend: ${backend}`)) throw new Error(`asked for ${backend}, got "${adapter}"`);
    const runId = await page.evaluate(() => window.__lab.getState().demo.runId);

    const saliency = () =>
      page.evaluate(
        ({ runId, image }) =>
          window
            .__labBridge()
            .call('saliency', { runId, imageIndex: image, explain: 'predicted' })
            .then((r) => Object.fromEntries(r.maps.map((m) => [m.method, m.ms]))),
        { runId, image: IMAGE },
      );
    await saliency(); // warm-up
    const maps = [];
    const saliencyMemory = await withPeakMemory(async () => {
      for (let i = 0; i < RUNS; i++) maps.push(await saliency());
    });
    const saliencyMs = Object.fromEntries(METHODS.map((m) => [m, stats(maps.map((r) => r[m]))]));

    const maximise = (steps) =>
      page.evaluate(
        ({ runId, layerName, steps }) =>
          window
            .__labBridge()
            .call('activationMax', { runId, layerName, filters: [0], seed: 1, steps })
            .then((r) => ({ ms: r.results[0].ms, steps: r.results[0].steps, gain: r.results[0].gain })),
        { runId, layerName: AM_LAYER, steps },
      );
    await maximise(32); // warm-up: covers the 25 jitter offsets' programs on the GPU backends
    const probe = await maximise(16);
    const perStep = probe.ms / probe.steps;
    const steps =
      perStep * AM_STEPS * RUNS <= AM_BUDGET_MS
        ? AM_STEPS
        : Math.min(AM_STEPS, Math.max(16, Math.floor(AM_BUDGET_MS / (RUNS * perStep))));
    const am = [];
    const amMemory = await withPeakMemory(async () => {
      for (let i = 0; i < RUNS; i++) am.push(await maximise(steps));
    });
    const msPerStep = stats(am.map((r) => r.ms / r.steps));
    const row = {
      backend,
      adapter,
      image: IMAGE,
      saliencyMs,
      peakChromiumRssMb: { saliency: saliencyMemory.peakMb, activationMax: amMemory.peakMb },
      activationMax: {
        layer: AM_LAYER,
        filter: 0,
        stepsMeasured: steps,
        extrapolated: steps < AM_STEPS,
        msPerStep,
        // Measured when steps = AM_STEPS; else ms per step × AM_STEPS.
        msPerImage: steps < AM_STEPS ? scale(msPerStep, AM_STEPS) : stats(am.map((r) => r.ms)),
        gain: am[0].gain,
      },
      elapsedSeconds: (Date.now() - t0) / 1000,
    };
    console.log(JSON.stringify(row));
    results.push(row);
    await context.close();
  }
} finally {
  await browser?.close();
  server.stop();
}

const date = new Date().toISOString().slice(0, 10);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/see-${hostname()}-${date}.json`;
writeFileSync(
  file,
  JSON.stringify({ date, host: hostname(), runs: RUNS, amSteps: AM_STEPS, amLayer: AM_LAYER, results }, null, 2),
);
console.log(`\nwrote ${file} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
const f = (s) => `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
console.log(
  `| backend | gradient | SmoothGrad (25 samples) | Grad-CAM (conv4) | Integrated Gradients (32 steps) | activation max. ${AM_LAYER}, ${AM_STEPS} steps | ms per step |`,
);
console.log('|---|---|---|---|---|---|---|');
for (const r of results) {
  const a = r.activationMax;
  const amCell = `${f(a.msPerImage)}${a.extrapolated ? ` (extrapolated from ${a.stepsMeasured} steps)` : ''}`;
  console.log(
    `| ${r.backend} | ${METHODS.map((m) => f(r.saliencyMs[m])).join(' | ')} | ${amCell} | ${a.msPerStep.median.toFixed(1)} |`,
  );
}
console.log('\n(ms per map or image: median (min–max) of', RUNS, 'runs after a warm-up)');
