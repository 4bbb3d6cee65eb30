#!/usr/bin/env node
/**
 * `npm run bench:seeds` (after `npm run build`): do the DEFAULT training settings learn a small real two-person
 * set, seed after seed? Builds the real-photo fixture set (e2e/fixtures/realPhotoSet.ts: Eileen Collins and
 * Grace Hopper, public-domain portraits from Debian packages, 25 varied photos each), serves the production
 * build, ingests the folder with the Data page's `Photo folder` input (real decode + MediaPipe), then on the
 * Train page presses "Default settings", sets the seed and trains, BENCH_SEEDS times (default 10: seeds 1…N)
 * on wasm, reading each run's epochs from the app's store. Prints per-seed test accuracy (last epoch), the
 * epochs the recipe chose, wall time, and how many seeds reached ≥ 0.9; writes bench/results/seeds-<host>-<date>.json.
 *
 *   BENCH_SEEDS=10 BENCH_REAL_DIR=/tmp/set (reuse a folder written by scripts/real-photo-set.ts) BENCH_PER_CLASS=25
 *   BENCH_SEED_BUDGET_S=600 (a run still going after this is stopped and counted as failed)
 *   BENCH_SET_SEED=1 (the fixture set's seed: another seed → other variants, another split)
 *   BENCH_EPOCHS=8 (for comparison only: type this many epochs after "Default settings", which switches the
 *   small-set recipe off — the defaults as they were before it)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, requireDist, startPreview } from './preview.mjs';
import { mdTable } from './table.mjs';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 10);
const FIRST_SEED = Number(process.env.BENCH_FIRST_SEED ?? 1);
const PER_CLASS = Number(process.env.BENCH_PER_CLASS ?? 25);
const SEED_BUDGET_MS = Number(process.env.BENCH_SEED_BUDGET_S ?? 600) * 1000;
const SET_SEED = Number(process.env.BENCH_SET_SEED ?? 1);
const EPOCHS = process.env.BENCH_EPOCHS ? Number(process.env.BENCH_EPOCHS) : null;
requireDist();

const started = Date.now();
let folder = process.env.BENCH_REAL_DIR ? resolve(process.env.BENCH_REAL_DIR) : '';
let tmp = '';
if (!folder || !existsSync(folder) || readdirSync(folder).length === 0) {
  tmp = mkdtempSync(join(tmpdir(), 'lookalike-bench-seeds-'));
  folder = folder || join(tmp, 'real');
  mkdirSync(folder, { recursive: true });
  const t0 = Date.now();
  execFileSync(
    'npx',
    ['tsx', 'scripts/real-photo-set.ts', folder, '--per-class', String(PER_CLASS), '--seed', String(SET_SEED)],
    { stdio: 'inherit' },
  );
  console.log(`bench:seeds: fixture set written in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const server = await startPreview();
const browser = await launchChromium();
const out = {
  date: new Date().toISOString().slice(0, 10),
  host: hostname(),
  cpus: cpus().length,
  loadAverageAtStart: loadavg(),
  folder,
  perClass: PER_CLASS,
  setSeed: SET_SEED,
  typedEpochs: EPOCHS,
  runs: [],
};
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
  await page.goto(`${server.base}?backend=wasm#/data`);
  const backend = page.getByRole('status', { name: 'Backend' });
  await backend.filter({ hasText: 'Backend:' }).waitFor({ timeout: 180_000 });
  out.backend = (await backend.textContent()).trim();
  console.log(`bench:seeds: ${out.backend}`);

  const t0 = Date.now();
  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(folder);
  const result = page.getByRole('status', { name: 'Ingest result' });
  await result.filter({ hasText: 'faces from' }).waitFor({ timeout: 600_000 });
  out.ingest = { text: (await result.textContent()).trim(), seconds: (Date.now() - t0) / 1000 };
  console.log(`bench:seeds: ${out.ingest.text} (${out.ingest.seconds.toFixed(1)} s)`);

  // What the split holds (from IndexedDB as the app stored it): test crops per person, photos with several crops.
  out.split = await page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const r = globalThis.indexedDB.open('lookalike-lab');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const req = (r) =>
      new Promise((resolve, reject) => ((r.onsuccess = () => resolve(r.result)), (r.onerror = () => reject(r.error))));
    const ds = (await req(db.transaction('datasets').objectStore('datasets').getAll())).find(
      (d) => d.kind === 'photos',
    );
    const sources = [];
    const labels = [];
    for (let c = 0; sources.length < ds.count; c++) {
      const chunk = await req(db.transaction('images').objectStore('images').get([ds.id, c]));
      sources.push(...chunk.sources);
      labels.push(...chunk.labels);
    }
    const split = await req(db.transaction('splits').objectStore('splits').get(ds.id));
    db.close();
    const perPhoto = {};
    sources.forEach((s) => (perPhoto[s] = (perPhoto[s] ?? 0) + 1));
    const names = ['train', 'test', 'validation'];
    const byClass = {};
    sources.forEach((s, i) => {
      if (split.excluded?.[i]) return;
      const key = `${names[split.codes[i]]}/${ds.classNames[labels[i]]}`;
      byClass[key] = (byClass[key] ?? 0) + 1;
    });
    return {
      byClass,
      test: sources.filter((_, i) => split.codes[i] === 1 && !split.excluded?.[i]),
      multiCrop: Object.entries(perPhoto).filter(([, n]) => n > 1),
    };
  });
  console.log(
    `bench:seeds: split per person ${JSON.stringify(out.split.byClass)}; photos with several crops ${JSON.stringify(out.split.multiCrop)}`,
  );

  await page.getByRole('link', { name: 'Train' }).click();
  out.dataset = (await page.getByTestId('train-dataset').textContent()).trim();
  await page.getByRole('button', { name: 'Default settings' }).click();
  if (EPOCHS !== null) {
    await page.getByRole('checkbox', { name: /More epochs for small datasets/ }).uncheck();
    await page.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill(String(EPOCHS));
  }
  out.defaults = await page.evaluate(() => window.__lab.getState().config);
  const plan = page.getByRole('note', { name: 'Training plan' });
  out.plan = (await plan.count()) ? (await plan.textContent()).trim() : null;
  console.log(`bench:seeds: ${out.dataset}\nbench:seeds: plan: ${out.plan ?? '(none shown)'}`);

  for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
    await page.getByRole('spinbutton', { name: 'Seed' }).fill(String(seed));
    const t = Date.now();
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    // Wait for this run to start, then to end (the store's training status goes back to idle).
    await page.waitForFunction(() => window.__lab.getState().training.status !== 'idle', null, { timeout: 60_000 });
    let stopped = false;
    for (;;) {
      const idle = await page.evaluate(() => window.__lab.getState().training.status === 'idle');
      if (idle) break;
      if (!stopped && Date.now() - t > SEED_BUDGET_MS) {
        await page.getByRole('button', { name: 'Stop' }).click();
        stopped = true;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const seconds = (Date.now() - t) / 1000;
    const snap = await page.evaluate(() => {
      const s = window.__lab.getState();
      const run = s.runs.find((r) => r.id === s.training.runId) ?? null;
      return {
        error: s.training.error,
        epochs: s.training.epochs,
        run: run && { id: run.id, config: run.config, status: run.status },
      };
    });
    const last = snap.epochs[snap.epochs.length - 1];
    const r = {
      seed,
      status: snap.run?.status ?? (stopped ? 'stopped' : 'unknown'),
      error: snap.error ?? null,
      epochs: snap.epochs.length,
      configEpochs: snap.run?.config.epochs ?? null,
      batchSize: snap.run?.config.batchSize ?? null,
      testAccuracy: last?.testAccuracy ?? null,
      testLoss: last?.testLoss ?? null,
      trainAccuracy: last?.trainAccuracy ?? null,
      testAccuracyByEpoch: snap.epochs.map((e) => e.testAccuracy),
      seconds,
    };
    out.runs.push(r);
    console.log(
      `bench:seeds: seed ${seed}: test accuracy ${r.testAccuracy?.toFixed(3)} (loss ${r.testLoss?.toFixed(3)}), ${r.epochs} epochs, ${seconds.toFixed(0)} s${r.error ? `, error: ${r.error}` : ''}`,
    );
  }
} finally {
  await browser.close().catch(() => {});
  server.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

const good = out.runs.filter((r) => (r.testAccuracy ?? 0) >= 0.9).length;
out.reached09 = good;
out.totalSeconds = (Date.now() - started) / 1000;
const md = mdTable(
  ['seed', 'test accuracy', 'test loss', 'train accuracy', 'epochs', 'batch', 'time (s)', 'status'],
  out.runs.map((r) => [
    r.seed,
    r.testAccuracy?.toFixed(3) ?? '—',
    r.testLoss?.toFixed(3) ?? '—',
    r.trainAccuracy?.toFixed(3) ?? '—',
    r.epochs,
    r.batchSize ?? '—',
    r.seconds.toFixed(0),
    r.status,
  ]),
);
md.push(
  '',
  `${good} of ${out.runs.length} seeds reached test accuracy ≥ 0.9 (default settings${EPOCHS !== null ? ` with ${EPOCHS} epochs typed: recipe off` : ''}, wasm, fixture seed ${SET_SEED}). ${out.dataset}. Plan: ${out.plan ?? '—'}`,
);
md.push(
  `${out.cpus} CPUs, load average at start ${out.loadAverageAtStart.map((x) => x.toFixed(2)).join(', ')}; whole bench ${out.totalSeconds.toFixed(0)} s.`,
);
console.log(md.join('\n'));
mkdirSync('bench/results', { recursive: true });
const tag = `${SET_SEED !== 1 ? `-set${SET_SEED}` : ''}${EPOCHS !== null ? `-epochs${EPOCHS}` : ''}`;
const file = `bench/results/seeds-${out.host}-${out.date}${tag}.json`;
writeFileSync(file, JSON.stringify(out, null, 2));
console.log(`bench:seeds: wrote ${file}`);
