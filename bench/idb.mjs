#!/usr/bin/env node
/**
 * `npm run bench:idb` (after `npm run build`): IndexedDB write and read MB/s for face crops stored the way the app
 * stores them, in the built app's own origin in Debian's headless Chromium (issue 8).
 *
 * The app's real DB layer, not a copy: src/db (openLabDb with its migrations, ChunkWriter, putDataset/putSplit,
 * deleteDataset) and the trainer's reader (src/ml/data/batchStream.ts `streamBatches`) are bundled with Vite into
 * one script, which runs in a dedicated worker (as the app's lab and ingest workers do) started from a blob: URL
 * in a tab of the built app (`vite preview`, the production CSP allows blob: workers). Each run uses a database of
 * its own (`lookalike-lab-bench-<n>`, same schema), so the app's `lookalike-lab` is never touched.
 *
 * Per case (layout:crops) and run:
 *  - write: a dataset record, `ChunkWriter.add` per crop (chunks of 256 crops, one transaction each), `flush`, the
 *    split record and the dataset record marked complete — generateDemoDataset's sequence, crops taken from a
 *    pool generated beforehand (untimed) so only storage is timed;
 *  - read: one shuffled epoch of the train split (all crops) through `streamBatches` at batch 64 — 4 chunks read
 *    at a time, the next group read while the current one is handed out, exactly what the trainer does;
 *  - delete: `deleteDataset` (the Data page's delete), then the database is closed and deleted (untimed).
 * Layouts: `synthetic` = pixels + labels + region masks (the demo generator); `photos` = pixels + labels +
 * source path, score, box, keypoints, and the 128×128 display copy in the `thumbs` store (photo ingest, without
 * its once-a-second checkpoints of the dataset record); `plain` = pixels + labels. Pixels are the app's own
 * synthetic faces (src/shared/synthetic), a pool of BENCH_POOL distinct crops reused in turn; for `photos` they get
 * ±8 levels of grain (Chromium compresses large IndexedDB values, and camera crops hardly compress while the flat
 * synthetic drawings do) and the thumbs are their 2× enlargements with grain of their own.
 * MB/s = bytes of the fields written (or read) / seconds, MB = 10^6 bytes; the read counts the `images` store only
 * (the trainer does not read thumbs). Each figure: median (min–max) of BENCH_RUNS (≥ 5) runs after BENCH_WARMUP
 * warm-up runs; peak memory: the largest RSS sum of this bench's Chromium processes (bench/preview.mjs) during
 * the timed runs. The database size is navigator.storage.estimate()'s growth after the write.
 *
 *   BENCH_CASES=synthetic:6000,synthetic:24000,photos:6000  BENCH_RUNS=5  BENCH_WARMUP=1  BENCH_POOL=1024
 *   BENCH_BUDGET_S=300 (a case whose warm-up × runs would overrun it is skipped, with its estimate)
 *   BENCH_TAG=name (results file suffix)
 * Writes bench/results/idb-<host>-<date>[-<tag>].json and prints a markdown table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { build } from 'vite';
import { chromiumRssMb, launchChromium, requireDist, startPreview, stats, withPeakMemory } from './preview.mjs';
import { mdTable } from './table.mjs';

const env = process.env;
const CASES = (env.BENCH_CASES ?? 'synthetic:6000,synthetic:24000,photos:6000')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
  .map((s) => {
    const [layout, crops] = s.split(':');
    if (!['synthetic', 'photos', 'plain'].includes(layout) || !(Number(crops) > 0))
      throw new Error(`BENCH_CASES: bad case "${s}" (layout:crops, layout synthetic|photos|plain)`);
    return { layout, crops: Number(crops) };
  });
const RUNS = Math.max(5, Number(env.BENCH_RUNS ?? 5));
const WARMUP = Math.max(0, Number(env.BENCH_WARMUP ?? 1));
const POOL = Number(env.BENCH_POOL ?? 1024);
const BUDGET_MS = Number(env.BENCH_BUDGET_S ?? 300) * 1000;
const TAG = env.BENCH_TAG ? `-${env.BENCH_TAG}` : '';

/** What runs in the worker: the app's DB modules and batch stream, driven by messages (see the header). */
function workerSource() {
  const src = (p) => JSON.stringify(resolve('src', p));
  return `
import { openLabDb, closeLabDb } from ${src('db/open.ts')};
import { ChunkWriter } from ${src('db/chunkWriter.ts')};
import { deleteDataset, putDataset, putSplit } from ${src('db/datasets.ts')};
import { PIXELS_PER_IMAGE, MASK_PER_IMAGE, PIXELS_PER_THUMB, THUMB_SIZE } from ${src('db/schema.ts')};
import { streamBatches } from ${src('ml/data/batchStream.ts')};
import { CLASS_NAMES, iterateLookalikes } from ${src('shared/synthetic/lookalikes.ts')};

let pool = [];
const KEYPOINTS = Array.from({ length: 12 }, (_, k) => 100 + 7 * k);

// Photo-like grain (±8 levels): camera crops, unlike the flat synthetic drawings, hardly compress, and Chromium
// compresses large IndexedDB values, so the photos layout gets noisy copies of the faces and of their thumbs.
let seed = 12345;
const grain = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 28) - 8;
const noisy = (v) => {
  const n = v + grain();
  return n < 0 ? 0 : n > 255 ? 255 : n;
};

function thumbOf(pixels) {
  const t = new Uint8Array(PIXELS_PER_THUMB);
  for (let y = 0; y < THUMB_SIZE; y++)
    for (let x = 0; x < THUMB_SIZE; x++) {
      const s = ((y >> 1) * 64 + (x >> 1)) * 3;
      const d = (y * THUMB_SIZE + x) * 3;
      t[d] = noisy(pixels[s]);
      t[d + 1] = noisy(pixels[s + 1]);
      t[d + 2] = noisy(pixels[s + 2]);
    }
  return t;
}

const ops = {
  async pool({ size, photos }) {
    const t0 = performance.now();
    pool = Array.from(iterateLookalikes(size, 20261206), (f) => ({
      pixels: f.pixels,
      mask: f.mask,
      label: f.label,
      photo: photos ? f.pixels.map(noisy) : null,
      thumb: photos ? thumbOf(f.pixels) : null,
    }));
    return { size: pool.length, ms: performance.now() - t0 };
  },

  async run({ layout, crops, dbName }) {
    const usage0 = (await navigator.storage.estimate()).usage;
    const db = await openLabDb(dbName);
    const id = 'bench-' + layout + '-' + crops + '-' + Date.now().toString(36);
    const classCounts = [0, 0];
    const record = { id, name: 'idb bench', kind: layout === 'photos' ? 'photos' : 'synthetic', classNames: [...CLASS_NAMES], createdAt: Date.now(), count: crops, classCounts, complete: false };
    let writeBytes = 0;
    let imageBytes = 0;

    const w0 = performance.now();
    await putDataset(db, record);
    const writer = new ChunkWriter(db, id);
    for (let i = 0; i < crops; i++) {
      const p = pool[i % pool.length];
      let extras = {};
      let bytes = PIXELS_PER_IMAGE + 1;
      if (layout === 'synthetic') {
        extras = { mask: p.mask };
        bytes += MASK_PER_IMAGE;
      } else if (layout === 'photos') {
        const source = (p.label ? 'bob' : 'alice') + '/photo-' + String(i).padStart(5, '0') + '.jpg';
        extras = { source, score: 0.9, box: [312, 208, 540, 540], keypoints: KEYPOINTS, thumb: p.thumb };
        bytes += source.length + 4 + 16 + 48;
        writeBytes += PIXELS_PER_THUMB;
      }
      writeBytes += bytes;
      imageBytes += bytes;
      classCounts[p.label]++;
      await writer.add(layout === 'photos' ? p.photo : p.pixels, p.label, extras);
    }
    await writer.flush();
    await putSplit(db, { datasetId: id, seed: 1, codes: new Uint8Array(crops), counts: { train: crops, test: 0, validation: 0 } });
    await putDataset(db, { ...record, classCounts, complete: true });
    const writeMs = performance.now() - w0;
    const storedMb = ((await navigator.storage.estimate()).usage - usage0) / 1e6;

    const split = { datasetId: id, seed: 1, codes: new Uint8Array(crops), counts: { train: crops, test: 0, validation: 0 } };
    const r0 = performance.now();
    let read = 0;
    let checksum = 0;
    for await (const b of streamBatches(db, id, split, { split: 'train', batchSize: 64, shuffle: true, seed: 1 })) {
      read += b.count;
      checksum += b.pixels[b.pixels.length >> 1];
    }
    const readMs = performance.now() - r0;
    if (read !== crops) throw new Error('read ' + read + ' crops back, wrote ' + crops);

    const d0 = performance.now();
    await deleteDataset(db, id);
    const deleteMs = performance.now() - d0;
    await closeLabDb(dbName);
    await new Promise((resolve, reject) => {
      const req = indexedDB.deleteDatabase(dbName);
      req.onsuccess = () => resolve();
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('deleteDatabase blocked'));
    });
    return { writeMs, readMs, deleteMs, writeBytes, readBytes: imageBytes, storedMb, checksum };
  },
};

self.onmessage = async ({ data }) => {
  try {
    self.postMessage({ ok: true, result: await ops[data.op](data) });
  } catch (err) {
    self.postMessage({ ok: false, error: String((err && err.stack) || err) });
  }
};
`;
}

/** The worker script: workerSource() bundled by Vite (TypeScript, idb and all) into one classic script. */
async function bundle() {
  const ENTRY = 'virtual:idb-bench-worker';
  const code = workerSource();
  const res = await build({
    configFile: false,
    logLevel: 'silent',
    root: process.cwd(),
    plugins: [
      {
        name: 'idb-bench-entry',
        resolveId: (id) => (id === ENTRY ? `\0${ENTRY}` : null),
        load: (id) => (id === `\0${ENTRY}` ? code : null),
      },
    ],
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      rollupOptions: { input: ENTRY, output: { format: 'iife' } },
    },
  });
  return (Array.isArray(res) ? res[0] : res).output[0].code;
}

const t0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s]`, ...a);
const out = {
  date: new Date().toISOString().slice(0, 10),
  host: hostname(),
  loadAverageAtStart: loadavg(),
  settings: { CASES, RUNS, WARMUP, POOL, BUDGET_MS },
  cases: [],
  notes: [],
};

requireDist();
const workerCode = await bundle();
const server = await startPreview();
const browser = await launchChromium();
try {
  out.chromium = browser.version();
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await page.goto(`${server.base}?backend=wasm#/data`);
  await page.getByRole('status', { name: 'Backend' }).filter({ hasText: 'Backend:' }).waitFor({ timeout: 180_000 });
  await page.waitForTimeout(2000); // let the app settle
  await page.evaluate((code) => {
    window.__idbBench = new window.Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
  }, workerCode);
  const call = (msg) =>
    page.evaluate(
      (m) =>
        new Promise((done, fail) => {
          window.__idbBench.onmessage = (e) => (e.data.ok ? done(e.data.result) : fail(new Error(e.data.error)));
          window.__idbBench.postMessage(m);
        }),
      msg,
    );
  const pool = await call({ op: 'pool', size: POOL, photos: CASES.some((c) => c.layout === 'photos') });
  out.idleChromiumRssMb = chromiumRssMb();
  log(
    `pool of ${pool.size} synthetic crops in ${pool.ms.toFixed(0)} ms; Chromium ${out.chromium}, RSS ${out.idleChromiumRssMb.toFixed(0)} MB idle`,
  );

  let dbN = 0;
  for (const c of CASES) {
    const runs = [];
    let peakMb = 0;
    let skipped = null;
    for (let k = 0; k < WARMUP + RUNS; k++) {
      const m = await withPeakMemory(
        () => call({ op: 'run', layout: c.layout, crops: c.crops, dbName: `lookalike-lab-bench-${dbN++}` }),
        200,
      );
      const r = m.result;
      const warm = k < WARMUP;
      log(
        `${c.layout}:${c.crops} ${warm ? 'warm-up' : `run ${k - WARMUP + 1}`}: write ${(r.writeBytes / 1e3 / r.writeMs).toFixed(1)} MB/s (${(r.writeMs / 1000).toFixed(2)} s), read ${(r.readBytes / 1e3 / r.readMs).toFixed(1)} MB/s (${(r.readMs / 1000).toFixed(2)} s), delete ${r.deleteMs.toFixed(0)} ms, stored ${r.storedMb.toFixed(0)} MB, peak RSS ${m.peakMb.toFixed(0)} MB`,
      );
      if (warm) {
        const estMs = (r.writeMs + r.readMs + r.deleteMs) * 1.5 * RUNS;
        if (Date.now() - t0 + estMs > BUDGET_MS) {
          skipped = `estimated ${(estMs / 1000).toFixed(0)} s for ${RUNS} runs: over the ${BUDGET_MS / 1000} s budget`;
          break;
        }
        continue;
      }
      runs.push(r);
      peakMb = Math.max(peakMb, m.peakMb);
    }
    if (skipped) {
      out.cases.push({ ...c, skipped });
      out.notes.push(`${c.layout}:${c.crops} skipped: ${skipped}`);
      continue;
    }
    const mbps = (bytes, ms) => bytes / 1e3 / ms;
    out.cases.push({
      ...c,
      runs: runs.length,
      writeMb: runs[0].writeBytes / 1e6,
      readMb: runs[0].readBytes / 1e6,
      writeMBps: stats(runs.map((r) => mbps(r.writeBytes, r.writeMs))),
      readMBps: stats(runs.map((r) => mbps(r.readBytes, r.readMs))),
      writeCropsPerSecond: stats(runs.map((r) => (c.crops * 1000) / r.writeMs)),
      readCropsPerSecond: stats(runs.map((r) => (c.crops * 1000) / r.readMs)),
      writeMs: stats(runs.map((r) => r.writeMs)),
      readMs: stats(runs.map((r) => r.readMs)),
      deleteMs: stats(runs.map((r) => r.deleteMs)),
      storedMb: stats(runs.map((r) => r.storedMb)),
      peakChromiumRssMb: peakMb,
    });
  }
  await context.close();
} finally {
  await browser.close();
  server.stop();
}
out.totalSeconds = (Date.now() - t0) / 1000;
out.loadAverageAtEnd = loadavg();

mkdirSync('bench/results', { recursive: true });
const file = `bench/results/idb-${out.host}-${out.date}${TAG}.json`;
writeFileSync(file, JSON.stringify(out, null, 2));
console.log(`\nwrote ${file} (${out.totalSeconds.toFixed(0)} s, Chromium ${out.chromium})\n`);

const n0 = (x) => Math.round(x).toLocaleString('en');
const mb = (s) => `${s.median.toFixed(0)} (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
const LAYOUT = {
  synthetic: 'demo generator: pixels, labels, masks',
  photos: 'photo ingest: pixels, labels, source, score, box, keypoints + 128² thumbs',
  plain: 'pixels, labels',
};
const rows = out.cases.map((c) =>
  c.skipped
    ? [`${n0(c.crops)} crops, ${c.layout}`, `skipped: ${c.skipped}`, '', '', '', '', '']
    : [
        `${n0(c.crops)} crops, ${c.layout} (${LAYOUT[c.layout]}): ${c.writeMb.toFixed(0)} MB written, ${c.readMb.toFixed(0)} MB read`,
        mb(c.writeMBps),
        mb(c.readMBps),
        `${n0(c.writeCropsPerSecond.median)} / ${n0(c.readCropsPerSecond.median)}`,
        n0(c.deleteMs.median),
        c.storedMb.median.toFixed(0),
        n0(c.peakChromiumRssMb),
      ],
);
console.log(
  mdTable(
    [
      'case',
      'write MB/s',
      'read MB/s (trainer stream)',
      'crops/s write / read',
      'delete (ms)',
      'IndexedDB growth (MB)',
      'peak RSS (MB)',
    ],
    rows,
  ).join('\n'),
);
console.log(
  `(median (min–max) of ${RUNS} runs after ${WARMUP} warm-up; Chromium ${out.chromium}; RSS ${n0(out.idleChromiumRssMb)} MB with the app idle)`,
);
process.exit(0);
