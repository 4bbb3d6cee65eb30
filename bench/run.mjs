#!/usr/bin/env node
/**
 * `npm run bench` (after `npm run build`): issue 8's benchmark suite, in one run, within a time budget.
 *
 *  1. torch   — the native peer: bench/torch_peer.py in a Python that has torch (`python3`, else /usr/bin/python3;
 *               skipped with a message if neither): the same architectures on the CPU, same batch sizes, and the
 *               machine's peak GFLOP/s (a large float32 matmul in the same PyTorch, best of 15 warmed calls before
 *               and after its training items; shown for reference, no "% of peak" column: it moves with the load).
 *  2. training — the built app in headless Chromium, per backend × preset: the worker's `benchTraining` call
 *               (src/ml/diagnostics/benchTraining.ts: the app's own training step on random data) at batch 16, 32, 128 and the
 *               largest batch that fits (doubling from 128 up to BENCH_MAX_BATCH, while the time budget allows).
 *               Each figure: median (min–max) of BENCH_STEPS (≥ 5) timed steps after BENCH_WARMUP warm-up steps.
 *               Inference images/s: `predict` of the same batch, median of 3. Seconds per epoch of 10,000 and
 *               68,000 images are EXTRAPOLATED from the median step. Memory: peak RSS of our Chromium processes
 *               (/proc, bench/preview.mjs) and tf.profile's peak tensor bytes (one extra profiled step).
 *               Budget: a probe step at batch 2 gives ms per image; an item whose warm-up + timed steps would
 *               overrun BENCH_ITEM_BUDGET_S is skipped and its estimate printed, and the whole sweep stops starting
 *               items after BENCH_TRAINING_BUDGET_S. BENCH_KEY_ITEMS (wasm:vgg16:32, the issue's target) get
 *               BENCH_KEY_BUDGET_S instead and run even when the sweep's budget is spent. The vgg16 batch-32 step is
 *               also profiled (BENCH_PROFILE=backend:preset:batch,…): tf.profile's time per kernel.
 *  3. epoch   — the real end-to-end path through the UI: generate BENCH_IMAGES demo images, train compact at batch
 *               32 for one epoch or BENCH_EPOCH_BUDGET_S (then the epoch time is EXTRAPOLATED), on BENCH_EPOCH_BACKENDS.
 *  4. see, attacks, ingest — bench/see.mjs, bench/attacks.mjs, bench/ingest.mjs with small budgets (BENCH_SUB_BACKENDS).
 *  5. idb     — bench/idb.mjs: IndexedDB write and read MB/s of crops stored by the app's own DB layer (6,000 demo-
 *               generator crops and 2,000 photo-ingest crops here; `npm run bench:idb` runs the larger default cases).
 *
 * Writes bench/results/<host>-<date>[-<BENCH_TAG>].json and .md (the markdown tables, also printed).
 *   BENCH_ITEMS=torch,training,epoch,see,attacks,ingest,idb  BENCH_BACKENDS=wasm,webgl,webgpu,cpu
 *   BENCH_PRESETS=compact,vgg16,vgg19,paper  BENCH_BATCHES=16,32,128  BENCH_STEPS=5  BENCH_WARMUP=1
 *   BENCH_ITEM_BUDGET_S=70  BENCH_TRAINING_BUDGET_S=480  BENCH_KEY_BUDGET_S=200  BENCH_MAX_BATCH=1024
 *   BENCH_TORCH_PRESETS=compact,vgg16,paper  BENCH_TORCH_BUDGET_S=40  BENCH_EPOCH_BUDGET_S=60  BENCH_IMAGES=10000
 *   BENCH_SUB_BACKENDS=wasm  BENCH_SCALE=1 (multiplies every time budget)  BENCH_TAG= (results file suffix)
 *   BENCH_TF_FLAGS='{"WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE":false}' (tfjs flags set around every `benchTraining` call)
 *   BENCH_WASM_THREADS=1 (`?threads=1`: at most that many wasm threads; 1 = the single-threaded build; default: one
 *   per logical processor, the app's own choice; the backend line in each row says how many ran)
 * Sub-benches' own settings pass through as BENCH_<NAME>_<SETTING>, e.g. BENCH_SEE_AM_BUDGET_S=60.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, loadavg, cpus } from 'node:os';
import { launchChromium, requireDist, startPreview, stats, withPeakMemory } from './preview.mjs';
import { mdTable } from './table.mjs';

const env = process.env;
const list = (v, d) =>
  (v ?? d)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const SCALE = Number(env.BENCH_SCALE ?? 1);
const ITEMS = new Set(list(env.BENCH_ITEMS, 'torch,training,epoch,see,attacks,ingest,idb'));
const BACKENDS = list(env.BENCH_BACKENDS, 'wasm,webgl,webgpu,cpu');
const PRESETS = list(env.BENCH_PRESETS, 'compact,vgg16,vgg19,paper');
const BATCHES = list(env.BENCH_BATCHES, '16,32,128').map(Number);
const STEPS = Math.max(5, Number(env.BENCH_STEPS ?? 5));
const WARMUP = Number(env.BENCH_WARMUP ?? 1);
const ITEM_BUDGET_MS = Number(env.BENCH_ITEM_BUDGET_S ?? 70) * 1000 * SCALE;
const TRAINING_BUDGET_MS = Number(env.BENCH_TRAINING_BUDGET_S ?? 480) * 1000 * SCALE;
// Items the issue's targets need (vgg16 at batch 32 against PyTorch): run with their own, larger budget.
const KEY_ITEMS = list(env.BENCH_KEY_ITEMS, 'wasm:vgg16:32');
const KEY_BUDGET_MS = Number(env.BENCH_KEY_BUDGET_S ?? 200) * 1000 * SCALE;
const PROBE_BUDGET_MS = Number(env.BENCH_PROBE_BUDGET_S ?? 20) * 1000 * SCALE;
const MAX_BATCH = Number(env.BENCH_MAX_BATCH ?? 1024);
const TORCH_BUDGET_S = Number(env.BENCH_TORCH_BUDGET_S ?? 40) * SCALE;
const EPOCH_BUDGET_MS = Number(env.BENCH_EPOCH_BUDGET_S ?? 60) * 1000 * SCALE;
const TORCH_PRESETS = list(env.BENCH_TORCH_PRESETS, 'compact,vgg16,paper');
const EPOCH_BACKENDS = list(env.BENCH_EPOCH_BACKENDS, 'wasm');
const IMAGES = Number(env.BENCH_IMAGES ?? 10000);
const SUB_BACKENDS = env.BENCH_SUB_BACKENDS ?? 'wasm';
const PROFILE = env.BENCH_PROFILE ?? 'wasm:vgg16:32';
const TF_FLAGS = env.BENCH_TF_FLAGS ? JSON.parse(env.BENCH_TF_FLAGS) : undefined;
// `?threads=N` for every page the bench opens: at most N wasm threads (1 = the single-threaded build, as before
// issue 17; default: one per logical processor where the page is cross-origin isolated, as `vite preview` makes it).
const WASM_THREADS = env.BENCH_WASM_THREADS ? Number(env.BENCH_WASM_THREADS) : null;

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
const log = (...a) => console.log(`[${elapsed()}]`, ...a);
const date = new Date().toISOString().slice(0, 10);
const host = hostname();
const tag = env.BENCH_TAG ? `-${env.BENCH_TAG}` : '';
const out = {
  date,
  host,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  loadAverageAtStart: loadavg(),
  settings: {
    TF_FLAGS,
    WASM_THREADS,
    STEPS,
    WARMUP,
    ITEM_BUDGET_MS,
    TRAINING_BUDGET_MS,
    KEY_ITEMS,
    KEY_BUDGET_MS,
    MAX_BATCH,
    TORCH_BUDGET_S,
    EPOCH_BUDGET_MS,
    IMAGES,
    SCALE,
    BATCHES,
  },
  notes: [],
  torch: null,
  training: [],
  epoch: [],
  sub: {},
};
const note = (s) => (out.notes.push(s), log('note:', s));

// ---------- 1. the PyTorch peer ----------
function findTorchPython() {
  for (const py of [env.BENCH_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return py;
    } catch {
      /* no torch there */
    }
  }
  return null;
}

async function runTorch() {
  const py = findTorchPython();
  if (!py) {
    note(
      'PyTorch peer skipped: no python with torch (tried python3, /usr/bin/python3; Debian: apt install python3-torch).',
    );
    return null;
  }
  log(`torch peer with ${py}`);
  const args = [
    'bench/torch_peer.py',
    '--presets',
    TORCH_PRESETS.join(','),
    '--batches',
    BATCHES.join(','),
    '--steps',
    String(STEPS),
    '--warmup',
    String(WARMUP),
    '--budget-s',
    String(TORCH_BUDGET_S),
  ];
  return new Promise((resolve) => {
    const p = spawn(py, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => process.stdout.write(`  ${d}`));
    p.on('close', (code) => {
      if (code !== 0) {
        note(`PyTorch peer failed (exit ${code})`);
        resolve(null);
      } else resolve({ ...JSON.parse(stdout), interpreter: py });
    });
  });
}

// ---------- 2. training throughput per backend × preset ----------
async function openLab(browser, base, backend) {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${base}?backend=${backend}${WASM_THREADS ? `&threads=${WASM_THREADS}` : ''}#/train`);
  await page.getByRole('status', { name: 'Backend' }).filter({ hasText: 'Backend:' }).waitFor({ timeout: 180_000 });
  const adapter = (await page.getByRole('status', { name: 'Backend' }).textContent()).trim();
  if (!adapter.includes(`Backend: ${backend}`)) {
    await context.close();
    throw new Error(`asked for ${backend}, got "${adapter}"`);
  }
  return { context, page, adapter };
}

const benchCall = (page, args) =>
  page.evaluate((a) => window.__labBridge().call('benchTraining', a), TF_FLAGS ? { ...args, tfFlags: TF_FLAGS } : args);

async function trainingSweep(browser, base) {
  const sweepStart = Date.now();
  const overBudget = () => Date.now() - sweepStart > TRAINING_BUDGET_MS;
  for (const backend of BACKENDS) {
    let lab;
    try {
      lab = await openLab(browser, base, backend);
    } catch (err) {
      note(`${backend}: not available here (${err.message})`);
      continue;
    }
    log(`training sweep on ${lab.adapter}`);
    let bestRate = 0; // training FLOP per ms reached so far on this backend (for estimates)
    let probeRate = 0; // the same, from batch-2 probes only
    try {
      for (const preset of PRESETS) {
        const row = (extra) => {
          const r = { backend, adapter: lab.adapter, preset, ...extra };
          out.training.push(r);
          return r;
        };
        // A fresh page per preset: the wasm heap only grows, so a preset must not inherit the previous one's.
        if (preset !== PRESETS[0]) lab = await reopen(browser, base, backend, lab);
        if (overBudget() && !KEY_ITEMS.some((k) => k.startsWith(`${backend}:${preset}:`))) {
          row({ skipped: `training budget (${TRAINING_BUDGET_MS / 1000} s) spent` });
          continue;
        }
        // Probe: FLOPs, then ms per image from one timed step at batch 2 after one warm-up step (which absorbs
        // shader compilation on WebGL/WebGPU). Estimates from batch 2 are pessimistic (per-call overheads).
        const shape = await benchCall(lab.page, { preset, batchSize: 2, steps: 0, warmup: 0, inferenceRuns: 0 });
        if (!shape.fits) {
          row({ batch: 2, fits: false, error: shape.error, stage: shape.stage });
          lab = await reopen(browser, base, backend, lab);
          continue;
        }
        const rate = bestRate || probeRate;
        if (rate > 0) {
          const est = (2 * 2 * shape.trainFlopsPerImage) / rate;
          if (est > PROBE_BUDGET_MS) {
            row({
              skipped: `estimated ${(est / 2000).toFixed(0)} s per batch-2 step (${fmtG(shape.trainFlopsPerImage)} GFLOP per image at the ${fmtG(rate * 1000)} GFLOP/s this backend reached on a smaller model): over the ${PROBE_BUDGET_MS / 1000} s probe budget`,
              trainFlopsPerImage: shape.trainFlopsPerImage,
              estimatedMsPerImage: est / 4,
            });
            continue;
          }
        }
        const probe = await withPeakMemory(() =>
          benchCall(lab.page, { preset, batchSize: 2, steps: 1, warmup: 1, inferenceRuns: 0 }),
        );
        if (!probe.result.fits) {
          row({
            batch: 2,
            fits: false,
            error: probe.result.error,
            stage: probe.result.stage,
            peakChromiumRssMb: probe.peakMb,
          });
          lab = await reopen(browser, base, backend, lab);
          continue;
        }
        probeRate = Math.max(probeRate, (2 * shape.trainFlopsPerImage) / probe.result.stepMs[0]);
        // Reported too (marked): on a slow backend it is the only figure, and the one WebGPU and WebGL share.
        row({
          batch: 2,
          probe: true,
          fits: true,
          stepMs: stats(probe.result.stepMs),
          warmupMs: probe.result.warmupMs,
          imagesPerSecond: 2000 / probe.result.stepMs[0],
          trainFlopsPerImage: shape.trainFlopsPerImage,
          gflopsPerSecond: (2 * shape.trainFlopsPerImage) / probe.result.stepMs[0] / 1e6,
          peakChromiumRssMb: probe.peakMb,
        });
        let msPerImage = probe.result.stepMs[0] / 2;
        log(
          `  ${preset}: probe ${probe.result.stepMs[0].toFixed(0)} ms at batch 2 (warm-up ${probe.result.warmupMs[0].toFixed(0)} ms)`,
        );

        const batches = [...BATCHES];
        let largestOk = null;
        for (let i = 0; i < batches.length; i++) {
          const batch = batches[i];
          const search = i >= BATCHES.length;
          const estStep = msPerImage * batch;
          const profile = PROFILE.split(',').includes(`${backend}:${preset}:${batch}`);
          const key = KEY_ITEMS.includes(`${backend}:${preset}:${batch}`);
          const budget = key ? Math.max(KEY_BUDGET_MS, ITEM_BUDGET_MS) : ITEM_BUDGET_MS;
          const estTotal = estStep * (WARMUP + STEPS + (profile ? 1 : 0)) * 1.1;
          if (!key && (estTotal > budget || overBudget())) {
            const why =
              overBudget() && !key
                ? 'training budget spent'
                : `estimated ${(estStep / 1000).toFixed(1)} s per step: ${WARMUP} + ${STEPS} steps exceed the ${budget / 1000} s item budget`;
            row({
              batch,
              search,
              skipped: why,
              estimatedStepMs: estStep,
              trainFlopsPerImage: shape.trainFlopsPerImage,
            });
            if (search) break;
            continue;
          }
          const m = await withPeakMemory(() =>
            benchCall(lab.page, {
              preset,
              batchSize: batch,
              steps: STEPS,
              warmup: WARMUP,
              inferenceRuns: 3,
              profile,
              budgetMs: budget,
            }),
          );
          const r = m.result;
          if (!r.fits) {
            row({ batch, search, fits: false, stage: r.stage, error: r.error, peakChromiumRssMb: m.peakMb });
            log(`  ${preset} batch ${batch}: does not fit (${r.stage}: ${r.error})`);
            lab = await reopen(browser, base, backend, lab);
            break;
          }
          const step = stats(r.stepMs);
          const ips = batch / (step.median / 1000);
          msPerImage = step.median / batch;
          bestRate = Math.max(bestRate, (r.trainFlopsPerImage * batch) / step.median);
          largestOk = batch;
          const rowOut = row({
            batch,
            search,
            fits: true,
            stepMs: step,
            warmupMs: r.warmupMs,
            budgetCut: r.budgetCut,
            imagesPerSecond: ips,
            imagesPerSecondMin: batch / (step.max / 1000),
            imagesPerSecondMax: batch / (step.min / 1000),
            inferenceImagesPerSecond: r.inferenceMs.length ? batch / (stats(r.inferenceMs).median / 1000) : null,
            epochSeconds10k: 10000 / ips,
            epochSeconds68k: 68000 / ips,
            params: r.params,
            trainFlopsPerImage: r.trainFlopsPerImage,
            gflopsPerSecond: (r.trainFlopsPerImage * ips) / 1e9,
            peakChromiumRssMb: m.peakMb,
            peakTensorBytes: r.peakBytes,
            wasmHeapBytes: r.wasmHeapBytes,
            memory: r.memory,
            kernels: r.kernels?.slice(0, 15) ?? null,
            losses: r.losses,
          });
          log(
            `  ${preset} batch ${batch}: ${ips.toFixed(2)} images/s (${step.runs} steps, ${step.median.toFixed(0)} ms median), ${rowOut.gflopsPerSecond.toFixed(1)} GFLOP/s, RSS ${m.peakMb.toFixed(0)} MB`,
          );
          // Largest that fits: keep doubling past the last listed batch size while it fits and time allows.
          if (i === batches.length - 1 && batch * 2 <= MAX_BATCH) batches.push(batch * 2);
        }
        const lastListed = out.training.filter((x) => x.backend === backend && x.preset === preset);
        lastListed.forEach((x) => (x.largestFitting = largestOk));
      }
    } finally {
      await lab.context.close();
    }
  }
}

async function reopen(browser, base, backend, lab) {
  await lab.context.close().catch(() => {});
  return openLab(browser, base, backend);
}

// ---------- 3. the one-epoch UI run ----------
async function epochRun(browser, base) {
  for (const backend of EPOCH_BACKENDS) {
    let lab;
    try {
      lab = await openLab(browser, base, backend);
    } catch (err) {
      note(`epoch on ${backend}: not available (${err.message})`);
      continue;
    }
    const { page } = lab;
    try {
      await page.getByRole('link', { name: 'Data' }).click();
      await page.getByLabel('Number of images').fill(String(IMAGES));
      const g0 = Date.now();
      await page.getByRole('button', { name: 'Generate demo dataset' }).click();
      await page.getByText(/Generated \d+ images/).waitFor({ timeout: 300_000 });
      const generateSeconds = (Date.now() - g0) / 1000;
      const trainImages = Number((await page.getByTestId('split-counts').textContent()).match(/train (\d+)/)[1]);
      await page.getByRole('link', { name: 'Train' }).click();
      await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('1');
      await page.getByRole('spinbutton', { name: 'Batch size' }).fill('32');
      const { result: snapshot, peakMb } = await withPeakMemory(async () => {
        await page.getByRole('button', { name: 'Train', exact: true }).click();
        const s0 = Date.now();
        let finished = false;
        while (Date.now() - s0 < EPOCH_BUDGET_MS && !finished) {
          await page.waitForTimeout(1000);
          finished = await page.evaluate(() => window.__lab.getState().training.epochs.length > 0);
        }
        const snap = await page.evaluate(() => {
          const t = window.__lab.getState().training;
          return { batches: t.batches.map((b) => ({ ms: b.ms, size: b.size })), epoch: t.epochs[0] ?? null };
        });
        if (!finished) await page.getByRole('button', { name: 'Stop' }).click();
        return snap;
      });
      const b = snapshot.batches;
      const imagesPerSecond =
        b.length >= 3 ? b.slice(1).reduce((n, x) => n + x.size, 0) / ((b[b.length - 1].ms - b[0].ms) / 1000) : NaN;
      const r = {
        backend,
        adapter: lab.adapter,
        images: IMAGES,
        trainImages,
        generateSeconds,
        batchesMeasured: b.length,
        imagesPerSecond,
        epochSeconds: snapshot.epoch ? snapshot.epoch.seconds : trainImages / imagesPerSecond,
        epochExtrapolated: !snapshot.epoch,
        epochSeconds68k: 68000 / imagesPerSecond,
        testAccuracyAfterEpoch: snapshot.epoch?.testAccuracy ?? null,
        peakChromiumRssMb: peakMb,
      };
      out.epoch.push(r);
      log(
        `  epoch on ${backend}: ${imagesPerSecond.toFixed(1)} images/s, ${r.epochSeconds.toFixed(0)} s${r.epochExtrapolated ? ` (extrapolated from ${b.length} batches)` : ''}`,
      );
    } finally {
      await lab.context.close();
    }
  }
}

// ---------- 4. the other bench scripts, with small budgets ----------
const SUB = {
  see: {
    script: 'bench/see.mjs',
    env: { BENCH_BACKENDS: SUB_BACKENDS, BENCH_AM_BUDGET_S: String(Math.round(20 * SCALE)) },
    file: `bench/results/see-${host}-${date}.json`,
  },
  attacks: {
    script: 'bench/attacks.mjs',
    env: { BENCH_BACKENDS: SUB_BACKENDS, BENCH_PER_CLASS: '1' },
    file: `bench/results/attacks-${host}-${date}.json`,
  },
  ingest: {
    script: 'bench/ingest.mjs',
    env: {
      BENCH_PHOTOS: String(Math.round(200 * SCALE)),
      BENCH_CROPS: String(Math.round(6000 * SCALE)),
      BENCH_EPOCH_BUDGET_S: String(Math.round(30 * SCALE)),
    },
    file: `bench/results/ingest-${host}-${date}.json`,
  },
  idb: {
    script: 'bench/idb.mjs',
    env: {
      BENCH_CASES: `synthetic:${Math.round(6000 * SCALE)},photos:${Math.round(2000 * SCALE)}`,
      BENCH_BUDGET_S: String(Math.round(90 * SCALE)),
    },
    file: `bench/results/idb-${host}-${date}${tag}.json`,
  },
};

async function runSub(name) {
  const s = SUB[name];
  const subEnv = Object.fromEntries(
    Object.entries(s.env).map(([k, v]) => [k, env[`BENCH_${name.toUpperCase()}_${k.replace(/^BENCH_/, '')}`] ?? v]),
  );
  log(
    `${name}: node ${s.script} with ${Object.entries(subEnv)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')}`,
  );
  const s0 = Date.now();
  const text = await new Promise((resolve) => {
    const p = spawn(process.execPath, [s.script], { env: { ...env, ...subEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    p.stdout.on('data', (d) => (buf += d));
    p.stderr.on('data', (d) => (buf += d));
    p.on('close', (code) => resolve({ code, buf }));
  });
  const seconds = (Date.now() - s0) / 1000;
  const table = text.buf
    .slice(text.buf.indexOf('\n|') + 1)
    .split('\n')
    .filter((l) => l.startsWith('|') || l.startsWith('('))
    .join('\n');
  out.sub[name] = {
    env: subEnv,
    exitCode: text.code,
    seconds,
    table,
    results: text.code === 0 && existsSync(s.file) ? JSON.parse(readFileSync(s.file, 'utf8')) : null,
  };
  if (text.code !== 0) note(`${name} failed (exit ${text.code}): ${text.buf.slice(-400)}`);
  log(`${name}: ${seconds.toFixed(0)} s`);
}

// ---------- report ----------
const fmtG = (flops) => (flops / 1e9).toFixed(flops < 1e9 ? 2 : 1);
const f0 = (x) =>
  x == null || Number.isNaN(x) ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);

function torchRow(preset, batch) {
  return out.torch?.results.find((r) => r.preset === preset && r.batch === batch && r.imagesPerSecond);
}

/** The issue's two targets on this machine, from this run. */
function targets() {
  const lines = ['### Targets (issue 8)', ''];
  const ok = out.training.filter((r) => r.fits && r.imagesPerSecond);
  const vgg = ok
    .filter((r) => !r.probe)
    .filter((r) => r.preset === 'vgg16' && r.batch === 32)
    .sort((a, b) => b.imagesPerSecond - a.imagesPerSecond)[0];
  const t = torchRow('vgg16', 32);
  if (vgg && t) {
    const ratio = vgg.imagesPerSecond / t.imagesPerSecond;
    lines.push(
      `- vgg16 at batch 32: best browser backend ${vgg.backend} ${f0(vgg.imagesPerSecond)} images/s vs PyTorch-CPU ${f0(t.imagesPerSecond)}: **${ratio.toFixed(2)}×** (target ≥ 0.5×: ${ratio >= 0.5 ? 'met' : 'MISSED'}).`,
    );
  } else
    lines.push(
      `- vgg16 at batch 32 vs PyTorch-CPU: not measured in this run (${vgg ? 'no PyTorch figure' : 'no browser figure'}).`,
    );
  for (const preset of PRESETS) {
    const best = (b) =>
      Math.max(0, ...ok.filter((r) => r.backend === b && r.preset === preset).map((r) => r.imagesPerSecond));
    const same = ok
      .filter((r) => r.backend === 'webgpu' && r.preset === preset)
      .map((g) => [g, ok.find((r) => r.backend === 'webgl' && r.preset === preset && r.batch === g.batch)])
      .filter(([, w]) => w);
    if (!same.length) {
      if (best('webgpu') || best('webgl'))
        lines.push(`- ${preset}: WebGPU vs WebGL not compared (no common batch size measured).`);
      continue;
    }
    // Judged on the timed items only (median of ≥ 5 steps, the issue's rule); a batch-2 probe is one step that sizes
    // the budget, shown but not judged.
    const timed = same.filter(([g, w]) => !g.probe && !w.probe);
    const slower = timed.filter(([g, w]) => g.imagesPerSecond < w.imagesPerSecond);
    const verdict = !timed.length
      ? 'compared by 1-step probes only: not judged'
      : slower.length
        ? 'WebGPU SLOWER (target missed)'
        : 'WebGPU not slower (met)';
    lines.push(
      `- ${preset}: WebGPU ${same.map(([g, w]) => `${f0(g.imagesPerSecond)} vs WebGL ${f0(w.imagesPerSecond)} at batch ${g.batch}${g.probe ? ' (probe, 1 step; not judged)' : ''}`).join('; ')} images/s: ${verdict}.`,
    );
  }
  return lines;
}

function markdown() {
  const md = [];
  const peak = out.torch?.peak;
  md.push(`## Lookalike Lab bench — ${host}, ${date}`, '');
  md.push(
    `${out.cpus} × ${out.cpuModel}; load average at start ${out.loadAverageAtStart.map((x) => x.toFixed(2)).join(', ')}; whole run ${out.totalSeconds?.toFixed(0)} s.`,
  );
  if (peak) {
    const ends =
      out.torch.peakAtStart && out.torch.peakAtEnd
        ? `; ${out.torch.peakAtStart.gflopsPerSecond.toFixed(0)} before the PyTorch items, ${out.torch.peakAtEnd.gflopsPerSecond.toFixed(0)} after`
        : '';
    md.push(
      `Peak, for reference: ${peak.gflopsPerSecond.toFixed(1)} GFLOP/s (float32 ${peak.n}³ matmul, ${peak.via}, best of ${(peak.rounds ?? 1) * peak.reps} warmed calls${ends}; PyTorch ${out.torch.torch}, ${out.torch.threads} threads; torch.mm at ${peak.torchMm.n}³ through this build's BLAS: ${peak.torchMm.gflopsPerSecond.toFixed(1)}). On a shared machine it moves with the load, so no "% of peak" is derived from it; × PyTorch-CPU (same sitting) is the comparable figure.`,
    );
  }
  md.push('', ...targets(), '');
  md.push('### Training throughput (browser, `benchTraining` in the lab worker, random data)', '');
  md.push(
    `images/s: median (min–max) of ${STEPS} timed steps after ${WARMUP} warm-up; GFLOP/s = training FLOPs (3 × forward conv+dense) per second; epochs EXTRAPOLATED from the median step; memory = peak RSS of the Chromium processes.`,
    '',
  );
  const blank = (n) => Array(n).fill('');
  const trainingRows = out.training.map((r) => {
    const lead = [
      r.backend,
      r.preset,
      `${r.batch ?? '—'}${r.search ? ' (search)' : ''}${r.largestFitting && r.batch === r.largestFitting ? ' (largest run)' : ''}`,
    ];
    if (r.skipped) return [...lead, `skipped: ${r.skipped}`, ...blank(7)];
    if (!r.fits)
      return [
        ...lead,
        `**does not fit** (${r.stage}: ${String(r.error).slice(0, 120)})`,
        ...blank(5),
        f0(r.peakChromiumRssMb),
        '',
      ];
    if (r.probe)
      return [
        ...lead,
        `${f0(r.imagesPerSecond)} [probe: 1 step after 1 warm-up]`,
        '—',
        r.gflopsPerSecond.toFixed(2),
        '—',
        '—',
        '—',
        f0(r.peakChromiumRssMb),
        '—',
      ];
    const t = torchRow(r.preset, r.batch);
    return [
      ...lead,
      `${f0(r.imagesPerSecond)} (${f0(r.imagesPerSecondMin)}–${f0(r.imagesPerSecondMax)})${r.stepMs.runs < STEPS ? ` [${r.stepMs.runs} step${r.stepMs.runs > 1 ? 's' : ''}, budget]` : ''}`,
      t ? (r.imagesPerSecond / t.imagesPerSecond).toFixed(2) : '—',
      r.gflopsPerSecond.toFixed(1),
      f0(r.inferenceImagesPerSecond),
      f0(r.epochSeconds10k),
      f0(r.epochSeconds68k),
      f0(r.peakChromiumRssMb),
      r.peakTensorBytes ? f0(r.peakTensorBytes / 1e6) : '—',
    ];
  });
  const trainingHeader = [
    'backend',
    'preset',
    'batch',
    'train images/s',
    '× PyTorch-CPU',
    'GFLOP/s',
    'inference images/s',
    'epoch 10k (s, extrap.)',
    'epoch 68k (s, extrap.)',
    'peak RSS (MB)',
    'tensor peak (MB)',
  ];
  md.push(...mdTable(trainingHeader, trainingRows));
  if (out.torch) {
    md.push(
      '',
      `### PyTorch ${out.torch.torch} on the CPU (${out.torch.threads} threads; \`${out.torch.interpreter} bench/torch_peer.py\`)`,
      '',
    );
    const torchRows = out.torch.results.map((r) =>
      r.skipped
        ? [r.preset, r.batch, `skipped: ${r.skipped}`, '', '']
        : [
            r.preset,
            r.batch,
            `${f0(r.imagesPerSecond)} (${f0((r.batch * 1000) / r.stepMs.max)}–${f0((r.batch * 1000) / r.stepMs.min)})${r.budgetCut ? ` [${r.stepMs.runs} step, budget]` : ''}`,
            r.gflopsPerSecond.toFixed(1),
            f0(r.inferenceImagesPerSecond),
          ],
    );
    md.push(...mdTable(['preset', 'batch', 'train images/s', 'GFLOP/s', 'inference images/s'], torchRows));
  }
  const kern = out.training.find((r) => r.kernels);
  if (kern) {
    const total = kern.kernels.reduce((n, k) => n + k.ms, 0);
    md.push(
      '',
      `### Where the time goes: tf.profile of one ${kern.preset} batch-${kern.batch} training step on ${kern.backend} (top kernels)`,
      '',
    );
    md.push(
      ...mdTable(
        ['kernel', 'calls', 'ms', 'share of listed'],
        kern.kernels
          .slice(0, 10)
          .map((k) => [k.name, k.count, k.ms.toFixed(0), `${((100 * k.ms) / total).toFixed(0)} %`]),
      ),
    );
  }
  if (out.epoch.length) {
    md.push(
      '',
      `### One epoch through the UI (generate ${IMAGES} demo images, train compact at batch 32, budget ${EPOCH_BUDGET_MS / 1000} s)`,
      '',
    );
    const epochRows = out.epoch.map((r) => [
      r.backend,
      r.generateSeconds.toFixed(1),
      f0(r.imagesPerSecond),
      `${r.epochSeconds.toFixed(0)}${r.epochExtrapolated ? ` (extrapolated from ${r.batchesMeasured} batches)` : ' (measured)'}`,
      r.epochSeconds68k.toFixed(0),
      r.testAccuracyAfterEpoch ?? '—',
      f0(r.peakChromiumRssMb),
    ]);
    md.push(
      ...mdTable(
        [
          'backend',
          'generate (s)',
          'train images/s',
          'epoch (s)',
          'epoch 68k (s, extrap.)',
          'test accuracy',
          'peak RSS (MB)',
        ],
        epochRows,
      ),
    );
  }
  for (const [name, s] of Object.entries(out.sub)) {
    md.push(
      '',
      `### ${name} (\`${Object.entries(s.env)
        .map(([k, v]) => `${k}=${v}`)
        .join(
          ' ',
        )} node ${SUB[name].script}\`, ${s.seconds.toFixed(0)} s${s.exitCode ? `, FAILED exit ${s.exitCode}` : ''})`,
      '',
    );
    md.push(s.table || '(no table)');
  }
  if (out.notes.length) md.push('', '### Notes', '', ...out.notes.map((n) => `- ${n}`));
  return md.join('\n');
}

// ---------- main ----------
requireDist();
try {
  if (ITEMS.has('torch')) out.torch = await runTorch();
  if (ITEMS.has('training') || ITEMS.has('epoch')) {
    const server = await startPreview();
    let browser = null;
    try {
      browser = await launchChromium();
      if (ITEMS.has('training')) await trainingSweep(browser, server.base);
      if (ITEMS.has('epoch')) await epochRun(browser, server.base);
    } finally {
      await browser?.close();
      server.stop();
    }
  }
  for (const name of ['see', 'attacks', 'ingest', 'idb']) if (ITEMS.has(name)) await runSub(name);
} finally {
  out.totalSeconds = (Date.now() - t0) / 1000;
  out.loadAverageAtEnd = loadavg();
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${host}-${date}${tag}`;
  writeFileSync(`${file}.json`, JSON.stringify(out, null, 2));
  const md = markdown();
  writeFileSync(`${file}.md`, md + '\n');
  console.log('\n' + md + '\n');
  log(`wrote ${file}.json and ${file}.md`);
}
process.exit(0);
