#!/usr/bin/env node
/**
 * `npm run bench:bomb` (after `npm run build`): issue 18's decompression-bomb target, in Debian's headless Chromium
 * against the built app. A dataset zip in the app's export format holding BENCH_BOMB_CROPS (200) valid 64×64 crops
 * and BENCH_BOMBS (32) valid 1-bit PNGs that each declare 16384×16384 pixels in ~33 KB (bench/bombZip.mjs) is picked
 * with the Data page's "Import dataset zip" input; the bench waits for the refusal on the page and checks that no
 * dataset was stored.
 *
 * Memory: every BENCH_BOMB_SAMPLE_MS (20 ms) the resident set (VmRSS) of all the Chromium processes this bench
 * started (browser, renderer with its workers, GPU, utilities) is summed, and its anonymous + shared-memory part
 * (RssAnon + RssShmem: heaps and decoded pixels, without mapped files); "idle" is the median of 10 samples over the
 * second before the pick, "peak" the largest sample from the pick to 500 ms after the message. Process memory, not the
 * JS heap: decoded pixels live outside it. (smaps_rollup's Pss and Private_* were tried first: they moved by 40–130 MB
 * between runs with RSS steady, as other browsers on this shared machine mapping the same libraries came and went.)
 * Time: from the pick (setInputFiles) to the message on the page.
 *
 * Each of BENCH_RUNS (3) runs uses a fresh browser. Exits 1 when a run's peak is over BENCH_BOMB_LIMIT_MB (300) MB
 * above idle (either figure), takes over BENCH_BOMB_LIMIT_S (5) s, shows no refusal or stores anything. A run whose
 * memory passes BENCH_BOMB_KILL_MB (1500) above idle is killed at once (an import that decodes the bombs would take
 * 1 GiB each, tens of GB in all, on a machine others share) and counts as a failure.
 * Writes bench/results/zip-bomb-<host>-<date>[-BENCH_TAG].json and prints a markdown table.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetZip } from './bombZip.mjs';
import { chromiumMemoryMb, chromiumPids, launchChromium, requireDist, startPreview, stats } from './preview.mjs';
import { mdTable } from './table.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CROPS = Number(process.env.BENCH_BOMB_CROPS ?? 200);
const BOMBS = Number(process.env.BENCH_BOMBS ?? 32);
const SAMPLE_MS = Number(process.env.BENCH_BOMB_SAMPLE_MS ?? 20);
const LIMIT_MB = Number(process.env.BENCH_BOMB_LIMIT_MB ?? 300);
const LIMIT_MS = Number(process.env.BENCH_BOMB_LIMIT_S ?? 5) * 1000;
const KILL_MB = Number(process.env.BENCH_BOMB_KILL_MB ?? 1500);
const GIVE_UP_MS = 60_000;
requireDist();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (v) => stats(v).median;

const dir = mkdtempSync(join(tmpdir(), 'lookalike-bench-bomb-'));
const { zip, bombIndices } = datasetZip({ crops: CROPS, bombs: BOMBS });
const zipPath = join(dir, 'bombs.zip');
writeFileSync(zipPath, zip);

/** One import of the bomb zip in a fresh browser: idle and peak memory, time to the message, what was stored. */
async function run(base) {
  const browser = await launchChromium();
  let sampler = null;
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base}?backend=wasm#/data`);
    await page.getByRole('status', { name: 'Backend' }).filter({ hasText: 'Backend:' }).waitFor({ timeout: 180_000 });
    await sleep(2000); // let start-up work settle
    const pids = chromiumPids();
    const idleSamples = [];
    for (let i = 0; i < 10; i++) {
      idleSamples.push(chromiumMemoryMb(pids));
      await sleep(100);
    }
    const idle = { rssMb: median(idleSamples.map((s) => s.rssMb)), anonMb: median(idleSamples.map((s) => s.anonMb)) };

    // Sampling from here; the pid list is refreshed each time (the import may start processes).
    const peak = { rssMb: 0, anonMb: 0 };
    let killed = false;
    let killedAfterMs = 0;
    const sample = () => {
      const m = chromiumMemoryMb(chromiumPids());
      peak.rssMb = Math.max(peak.rssMb, m.rssMb);
      peak.anonMb = Math.max(peak.anonMb, m.anonMb);
      if (!killed && Math.max(m.rssMb - idle.rssMb, m.anonMb - idle.anonMb) > KILL_MB) {
        killed = true;
        killedAfterMs = globalThis.performance.now() - started;
        for (const pid of chromiumPids()) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
    };
    const started = globalThis.performance.now();
    sampler = setInterval(sample, SAMPLE_MS);
    await page.getByLabel('Import dataset zip').setInputFiles(zipPath);
    const alert = page.getByRole('alert').filter({ hasText: /\.png/ });
    let message = null;
    let ms = null;
    try {
      await alert.waitFor({ timeout: GIVE_UP_MS });
      ms = globalThis.performance.now() - started;
      message = await alert.textContent();
    } catch (err) {
      if (!killed) message = `no refusal within ${GIVE_UP_MS / 1000} s (${err.message.split('\n')[0]})`;
    }
    if (!killed) await sleep(500);
    globalThis.clearInterval(sampler);
    sampler = null;
    sample();
    if (killed)
      return {
        idle,
        peak,
        ms: null,
        message: `killed ${(killedAfterMs / 1000).toFixed(1)} s after the pick: memory passed ${KILL_MB} MB above idle`,
        datasets: null,
      };
    const datasets = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const r = globalThis.indexedDB.open('lookalike-lab');
          r.onsuccess = () => {
            const q = r.result.transaction(['datasets', 'images']).objectStore('datasets').count();
            q.onsuccess = () => (r.result.close(), resolve(q.result));
            q.onerror = () => reject(q.error);
          };
          r.onerror = () => reject(r.error);
        }),
    );
    return { idle, peak, ms, message, datasets };
  } finally {
    if (sampler) globalThis.clearInterval(sampler);
    await browser.close().catch(() => {});
  }
}

const server = await startPreview();
const results = [];
let failed = false;
try {
  for (let i = 0; i < RUNS; i++) {
    const r = await run(server.base);
    const rssUp = r.peak.rssMb - r.idle.rssMb;
    const anonUp = r.peak.anonMb - r.idle.anonMb;
    const problems = [];
    if (Math.max(rssUp, anonUp) > LIMIT_MB)
      problems.push(`peak ${Math.max(rssUp, anonUp).toFixed(0)} MB above idle > ${LIMIT_MB} MB`);
    if (r.ms === null || r.ms > LIMIT_MS)
      problems.push(r.ms === null ? 'no refusal' : `${(r.ms / 1000).toFixed(2)} s > ${LIMIT_MS / 1000} s`);
    if (r.ms !== null && !/declares 16384×16384 pixels/.test(r.message ?? '')) problems.push('not the header refusal');
    if (r.datasets !== 0) problems.push(`stored datasets: ${r.datasets}`);
    failed ||= problems.length > 0;
    results.push({ ...r, rssUpMb: rssUp, anonUpMb: anonUp, ok: problems.length === 0, problems });
    console.log(
      `[bench:bomb] run ${i + 1}: idle RSS ${r.idle.rssMb.toFixed(0)} MB (anon+shmem ${r.idle.anonMb.toFixed(0)}), peak +${rssUp.toFixed(1)} MB RSS / +${anonUp.toFixed(1)} MB anon+shmem, ${r.ms === null ? '—' : `${(r.ms / 1000).toFixed(2)} s`}: ${r.message}${problems.length ? ` — FAIL: ${problems.join('; ')}` : ''}`,
    );
  }
} finally {
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const out = {
  date: new Date().toISOString().slice(0, 10),
  host: hostname(),
  zipBytes: zip.length,
  crops: CROPS,
  bombs: BOMBS,
  bombIndices,
  limits: { mbAboveIdle: LIMIT_MB, seconds: LIMIT_MS / 1000 },
  runs: results,
};
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/zip-bomb-${out.host}-${out.date}${process.env.BENCH_TAG ? `-${process.env.BENCH_TAG}` : ''}.json`;
writeFileSync(file, JSON.stringify(out, null, 2));
const mb = (v) => v.toFixed(1);
console.log(
  mdTable(
    [
      'run',
      'idle RSS (MB)',
      'peak − idle RSS (MB)',
      'idle anon+shmem (MB)',
      'peak − idle anon+shmem (MB)',
      'pick → message (s)',
      'datasets stored',
      'result',
    ],
    results.map((r, i) => [
      String(i + 1),
      mb(r.idle.rssMb),
      mb(r.rssUpMb),
      mb(r.idle.anonMb),
      mb(r.anonUpMb),
      r.ms === null ? '—' : (r.ms / 1000).toFixed(2),
      String(r.datasets ?? '—'),
      r.ok ? 'ok' : r.problems.join('; '),
    ]),
  ).join('\n'),
);
console.log(
  `${(zip.length / 1e6).toFixed(2)} MB zip, ${CROPS} crops + ${BOMBS} bombs; limits ${LIMIT_MB} MB above idle, ${LIMIT_MS / 1000} s; ${file}`,
);
process.exit(failed ? 1 : 0);
