#!/usr/bin/env node
/**
 * `npm run bench:gpu` (after `npm run build`): training throughput of the built app on a HARDWARE WebGPU adapter,
 * tfjs' WebGPU kernels against ours (src/ml/webgpuKernels.ts), with PyTorch-CUDA beside it where present.
 *
 *  1. Adapter: headless Chromium with the flags that expose a real GPU on Linux (Vulkan through ANGLE, as in
 *     Chrome's "WebGPU in headless Chrome" recipe; macOS and Windows need none). The adapter's info is read in the
 *     page. A fallback (software) adapter — SwiftShader, as on a GPU-less machine — is refused unless
 *     BENCH_GPU_ALLOW_SOFTWARE=1, so a silent software run cannot pass for GPU figures; with it the rows are
 *     labelled "software adapter" (this proves the script's logic where there is no GPU).
 *  2. Training: for each preset × batch, the worker's `benchTraining` call (the app's own training step on random
 *     pixels, src/ml/diagnostics/benchTraining.ts) twice, once with each kernel set (the LOOKALIKE_WEBGPU_KERNELS flag set for
 *     the call), in alternating order per item so drift and warm-up do not favour one; median (min–max) of
 *     BENCH_GPU_STEPS steps after BENCH_GPU_WARMUP warm-up steps (which absorb shader compilation). A fresh page per
 *     preset. An item whose estimated time (its FLOPs at the best GFLOP/s reached so far) exceeds
 *     BENCH_GPU_ITEM_BUDGET_S is skipped with its estimate (the first item always runs); a model that does not fit says so (`fits: false`, stage and error).
 *  3. PyTorch-CUDA: bench/torch_peer.py --device cuda with the same presets and batches, when a Python with a
 *     CUDA-enabled torch is found (BENCH_PYTHON, python3, /usr/bin/python3); otherwise a note says so.
 *
 * Writes bench/results/<host>-<date>-gpu[-<BENCH_TAG>].json and .md (the table, also printed).
 *   BENCH_GPU_PRESETS=compact,vgg16,paper  BENCH_GPU_BATCHES=16,32,128  BENCH_GPU_STEPS=5  BENCH_GPU_WARMUP=2
 *   BENCH_GPU_WIDTH=1 (width multiplier: 0.125 makes SwiftShader runs affordable)  BENCH_GPU_ITEM_BUDGET_S=120
 *   BENCH_GPU_ALLOW_SOFTWARE=0  BENCH_GPU_FLAGS= (extra Chromium flags, space-separated)  BENCH_GPU_TORCH=1
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { launchChromium, requireDist, startPreview, stats } from './preview.mjs';
import { mdTable } from './table.mjs';

const env = process.env;
const list = (v, d) =>
  (v ?? d)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const PRESETS = list(env.BENCH_GPU_PRESETS, 'compact,vgg16,paper');
const BATCHES = list(env.BENCH_GPU_BATCHES, '16,32,128').map(Number);
const STEPS = Math.max(3, Number(env.BENCH_GPU_STEPS ?? 5));
const WARMUP = Math.max(1, Number(env.BENCH_GPU_WARMUP ?? 2));
const WIDTH = Number(env.BENCH_GPU_WIDTH ?? 1);
const ITEM_BUDGET_MS = Number(env.BENCH_GPU_ITEM_BUDGET_S ?? 120) * 1000;
const ALLOW_SOFTWARE = env.BENCH_GPU_ALLOW_SOFTWARE === '1';
const WITH_TORCH = env.BENCH_GPU_TORCH !== '0';
const KERNEL_FLAG = 'LOOKALIKE_WEBGPU_KERNELS'; // src/ml/webgpuKernels.ts: WEBGPU_KERNELS_FLAG
// A real GPU in headless Chromium on Linux: WebGPU on Vulkan, no window surface (the Chrome team's recipe for
// WebGPU in headless Chrome). Harmless where Vulkan is absent: Chromium then offers SwiftShader, which step 1 refuses.
const GPU_FLAGS = [
  '--use-angle=vulkan',
  '--enable-features=Vulkan',
  '--disable-vulkan-surface',
  '--ignore-gpu-blocklist',
  ...(env.BENCH_GPU_FLAGS ?? '').split(' ').filter(Boolean),
];

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s]`, ...a);
const out = {
  date: new Date().toISOString().slice(0, 10),
  host: hostname(),
  settings: { PRESETS, BATCHES, STEPS, WARMUP, WIDTH, ITEM_BUDGET_MS, GPU_FLAGS },
  adapter: null,
  rows: [],
  torch: null,
  notes: [],
};
const note = (s) => (out.notes.push(s), log('note:', s));

/** The adapter Chromium offers this page, as WebGPU describes it (null: no WebGPU at all). */
async function adapterInfo(page) {
  return page.evaluate(async () => {
    const adapter = await navigator.gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return null;
    const i = adapter.info ?? {};
    return {
      vendor: i.vendor,
      architecture: i.architecture,
      device: i.device,
      description: i.description,
      isFallbackAdapter: Boolean(i.isFallbackAdapter ?? adapter.isFallbackAdapter),
    };
  });
}

/** SwiftShader (and any other CPU rasteriser) is software whatever the flag says. */
export const isSoftwareAdapter = (a) =>
  a.isFallbackAdapter ||
  /swiftshader|llvmpipe|lavapipe|software/i.test(`${a.vendor} ${a.architecture} ${a.description}`);

async function openLab(browser, base) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${base}?backend=webgpu#/train`);
  const status = page.getByRole('status', { name: 'Backend' }).filter({ hasText: 'Backend:' });
  await status.waitFor({ timeout: 180_000 });
  const line = (await status.textContent()).trim();
  if (!line.includes('Backend: webgpu')) throw new Error(`asked for webgpu, the app says "${line}"`);
  return { context, page, line };
}

const benchCall = (page, args) => page.evaluate((a) => window.__labBridge().call('benchTraining', a), args);

/** One preset × batch × kernel set: images/s from the median step, or why there is none. */
async function measure(page, preset, batch, ours) {
  const r = await benchCall(page, {
    preset,
    batchSize: batch,
    steps: STEPS,
    warmup: WARMUP,
    inferenceRuns: 0,
    widthMultiplier: WIDTH,
    budgetMs: ITEM_BUDGET_MS / 2,
    tfFlags: { [KERNEL_FLAG]: ours },
  });
  if (!r.fits) return { kernels: ours ? 'ours' : 'tfjs', fits: false, stage: r.stage, error: r.error };
  const s = stats(r.stepMs);
  return {
    kernels: ours ? 'ours' : 'tfjs',
    fits: true,
    stepMs: s,
    warmupMs: r.warmupMs,
    imagesPerSecond: (batch * 1000) / s.median,
    lossFell: r.losses.at(-1) < r.losses[0],
    trainFlopsPerImage: r.trainFlopsPerImage,
  };
}

async function trainingSweep(browser, base) {
  let flopRate = 0; // best training FLOP per ms reached so far, any preset: estimates the next item's cost
  for (const preset of PRESETS) {
    const lab = await openLab(browser, base);
    try {
      // Build only (no step): the preset's training FLOPs per image, for the estimate before its first batch.
      const shape = await benchCall(lab.page, {
        preset,
        batchSize: 1,
        steps: 0,
        warmup: 0,
        inferenceRuns: 0,
        widthMultiplier: WIDTH,
      });
      for (const [i, batch] of BATCHES.entries()) {
        const est = flopRate > 0 ? (shape.trainFlopsPerImage * batch * 2 * (STEPS + WARMUP)) / flopRate : null;
        if (est !== null && est > ITEM_BUDGET_MS) {
          out.rows.push({
            preset,
            batch,
            skipped: `estimated ${(est / 1000).toFixed(0)} s for both kernel sets at the ${(flopRate / 1e6).toFixed(1)} GFLOP/s reached so far: over BENCH_GPU_ITEM_BUDGET_S (${ITEM_BUDGET_MS / 1000} s)`,
          });
          log(`${preset} ${batch}: skipped (estimated ${(est / 1000).toFixed(0)} s)`);
          continue;
        }
        const order = i % 2 === 0 ? [false, true] : [true, false]; // alternate who goes first
        const results = {};
        for (const ours of order) results[ours ? 'ours' : 'tfjs'] = await measure(lab.page, preset, batch, ours);
        out.rows.push({ preset, batch, tfjs: results.tfjs, ours: results.ours });
        for (const r of [results.tfjs, results.ours])
          if (r.fits) flopRate = Math.max(flopRate, (r.trainFlopsPerImage * batch) / r.stepMs.median);
        log(`${preset} ${batch}: ${describe(results.tfjs)} (tfjs) · ${describe(results.ours)} (ours)`);
      }
    } finally {
      await lab.context.close();
    }
  }
}

const describe = (r) =>
  !r ? '—' : r.fits ? `${r.imagesPerSecond.toFixed(1)} images/s` : `does not fit (${r.stage}: ${r.error})`;

function findCudaPython() {
  for (const py of [env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    try {
      const o = execFileSync(py, ['-c', 'import torch; print(torch.cuda.is_available())'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
      if (o === 'True') return py;
    } catch {
      /* no torch there */
    }
  }
  return null;
}

function runTorchCuda() {
  const py = findCudaPython();
  if (!py)
    return note(
      'PyTorch-CUDA column empty: no Python with a CUDA-enabled torch here (tried BENCH_PYTHON, python3, /usr/bin/python3).',
    );
  log(`PyTorch-CUDA peer with ${py}`);
  const p = spawnSync(
    py,
    [
      'bench/torch_peer.py',
      '--device',
      'cuda',
      '--no-peak',
      '--presets',
      PRESETS.join(','),
      '--batches',
      BATCHES.join(','),
      '--steps',
      String(STEPS),
      '--warmup',
      String(WARMUP),
      '--budget-s',
      String(ITEM_BUDGET_MS / 1000),
      '--key',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
  );
  if (p.status !== 0) return note(`PyTorch-CUDA peer failed (exit ${p.status})`);
  out.torch = JSON.parse(p.stdout.toString());
}

function table() {
  const torchRate = (preset, batch) =>
    out.torch?.results.find((r) => r.preset === preset && r.batch === batch)?.imagesPerSecond;
  const fmt = (r) =>
    !r
      ? ''
      : r.fits
        ? `${r.imagesPerSecond.toFixed(1)} (${r.stepMs.min.toFixed(0)}–${r.stepMs.max.toFixed(0)} ms)`
        : `does not fit: ${r.stage}`;
  const rows = out.rows.map((r) => {
    if (r.skipped) return [r.preset, String(r.batch), r.skipped, '', '', ''];
    const ratio = r.tfjs.fits && r.ours.fits ? `${(r.ours.imagesPerSecond / r.tfjs.imagesPerSecond).toFixed(2)}×` : '';
    const torch = torchRate(r.preset, r.batch);
    return [r.preset, String(r.batch), fmt(r.tfjs), fmt(r.ours), ratio, torch ? torch.toFixed(1) : ''];
  });
  const a = out.adapter;
  return [
    `Adapter: ${a.vendor} · ${a.architecture} · ${a.device || '—'} · ${a.description || '—'}${out.software ? ' — SOFTWARE adapter (no GPU here): these are not GPU figures' : ''}`,
    `Width multiplier ${WIDTH}; median of ${STEPS} steps after ${WARMUP} warm-up; images/s (min–max step ms).`,
    '',
    ...mdTable(['preset', 'batch', 'tfjs kernels', 'our kernels', 'ours ÷ tfjs', 'PyTorch-CUDA'], rows),
    ...(out.notes.length ? ['', ...out.notes.map((n) => `- ${n}`)] : []),
  ];
}

async function main() {
  requireDist();
  const preview = await startPreview();
  const browser = await launchChromium(GPU_FLAGS);
  try {
    const probe = await browser.newPage();
    await probe.goto(preview.base + '?backend=wasm#/');
    const adapter = await adapterInfo(probe);
    await probe.close();
    if (!adapter) throw new Error('no WebGPU adapter at all (is this Chromium built with WebGPU? try BENCH_GPU_FLAGS)');
    out.adapter = adapter;
    out.software = isSoftwareAdapter(adapter);
    log(`adapter: ${JSON.stringify(adapter)}`);
    if (out.software && !ALLOW_SOFTWARE) {
      console.error(
        `bench:gpu: Chromium offers only a software adapter (${adapter.vendor} ${adapter.architecture}): no usable GPU here. ` +
          'On a machine with a GPU check its Vulkan driver (vulkaninfo) or pass flags in BENCH_GPU_FLAGS; BENCH_GPU_ALLOW_SOFTWARE=1 runs anyway (to test this script).',
      );
      process.exitCode = 2;
      return;
    }
    if (out.software) note('software adapter: figures prove the script, they are not GPU figures');
    await trainingSweep(browser, preview.base);
  } finally {
    await browser.close();
    preview.stop();
  }
  if (WITH_TORCH) runTorchCuda();
  const lines = table();
  console.log(lines.join('\n'));
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${out.host}-${out.date}-gpu${env.BENCH_TAG ? `-${env.BENCH_TAG}` : ''}`;
  writeFileSync(`${file}.json`, JSON.stringify(out, null, 2));
  writeFileSync(`${file}.md`, lines.join('\n') + '\n');
  log(`wrote ${file}.{json,md}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
