#!/usr/bin/env node
/**
 * `npm run bench:ingest` (after `npm run build`): the issue-3 scale benchmark, in Debian's headless Chromium
 * against the built app.
 *  1. Ingest: BENCH_PHOTOS (2,000) ~1-megapixel JPEGs of real faces (the astronaut from python3-skimage,
 *     rescaled 1.6–2.2×, mirrored or not, on noisy backgrounds at random places; 100 distinct pictures, each
 *     file made unique by a JPEG comment) are picked with the Data page's `Photo folder` input: photos/s,
 *     faces/s, and the input delay of key presses sent while it runs (Event Timing API).
 *  2. Scale: BENCH_CROPS (≈ 85,000, the paper's augmented count) synthetic crops are generated and stored, the
 *     IndexedDB size is read, and one epoch of `compact` streams through the trainer for at most
 *     BENCH_EPOCH_BUDGET_S seconds (epoch time EXTRAPOLATED from the batches done if it does not finish).
 * Peak memory is the largest sum of the resident set sizes of the Chromium processes this bench started
 * (bench/preview.mjs), sampled every 500 ms.
 * Writes bench/results/ingest-<host>-<date>.json and prints a markdown table.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromiumRssMb, launchChromium, requireDist, startPreview } from './preview.mjs';
import { mdTable } from './table.mjs';

const PHOTOS = Number(process.env.BENCH_PHOTOS ?? 2000);
const CROPS = Number(process.env.BENCH_CROPS ?? 85000);
const EPOCH_BUDGET_MS = Number(process.env.BENCH_EPOCH_BUDGET_S ?? 240) * 1000;
requireDist();

/** The astronaut photo, unpacked from Debian's python3-skimage like e2e/fixtures/faces.ts does. */
function astronautPng() {
  const cache = resolve('e2e/.cache');
  const data = join(cache, 'python3-skimage/usr/lib/python3/dist-packages/skimage/data/astronaut.png');
  if (!existsSync(data)) {
    mkdirSync(cache, { recursive: true });
    if (!readdirSync(cache).some((f) => /^python3-skimage_.*\.deb$/.test(f)))
      execFileSync('apt-get', ['download', 'python3-skimage'], { cwd: cache });
    const deb = readdirSync(cache).find((f) => /^python3-skimage_.*\.deb$/.test(f));
    execFileSync('dpkg', ['-x', join(cache, deb), join(cache, 'python3-skimage')]);
  }
  return readFileSync(data);
}

/** Largest total RSS (MB) of all Chromium processes seen while `sampling` is on. */
const memory = { peakMb: 0, on: false };
setInterval(() => {
  if (!memory.on) return;
  memory.peakMb = Math.max(memory.peakMb, chromiumRssMb());
}, 500).unref();
const measure = async (work) => {
  memory.peakMb = 0;
  memory.on = true;
  try {
    return { result: await work(), peakMb: memory.peakMb };
  } finally {
    memory.on = false;
  }
};

/** A JPEG with a COM segment right after SOI: same pixels, different bytes (a different file). */
function withComment(jpeg, text) {
  const body = Buffer.from(text, 'latin1');
  const seg = Buffer.alloc(4);
  seg.writeUInt16BE(0xfffe, 0);
  seg.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), seg, body, jpeg.subarray(2)]);
}

const server = await startPreview();
const base = server.base;
const browser = await launchChromium();
const root = mkdtempSync(join(tmpdir(), 'lookalike-bench-ingest-'));
const out = { date: new Date().toISOString().slice(0, 10), host: hostname(), photos: PHOTOS, crops: CROPS };
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}?backend=wasm#/data`);
  await page.getByRole('status', { name: 'Backend' }).filter({ hasText: 'Backend:' }).waitFor({ timeout: 180_000 });

  // 100 distinct ~1 MP pictures, encoded by the browser's JPEG encoder.
  const pictures = await page.evaluate(async (pngBase64) => {
    const png = Uint8Array.from(atob(pngBase64), (c) => c.charCodeAt(0));
    const face = await createImageBitmap(new Blob([png], { type: 'image/png' }));
    const out = [];
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (let k = 0; k < 100; k++) {
      const canvas = new OffscreenCanvas(1152, 864);
      const ctx = canvas.getContext('2d');
      const noise = ctx.createImageData(1152, 864);
      const tone = 60 + rnd() * 140;
      for (let i = 0; i < noise.data.length; i += 4) {
        const v = tone + (rnd() - 0.5) * 60;
        noise.data[i] = v;
        noise.data[i + 1] = v * 0.95;
        noise.data[i + 2] = v * 0.9;
        noise.data[i + 3] = 255;
      }
      ctx.putImageData(noise, 0, 0);
      const scale = 1.6 + rnd() * 0.6;
      const size = 512 * scale;
      const x = rnd() * (1152 - size);
      const y = rnd() * Math.max(0, 864 - size) - (size > 864 ? (size - 864) * rnd() : 0);
      if (k % 2) {
        ctx.translate(x + size, y);
        ctx.scale(-1, 1);
        ctx.drawImage(face, 0, 0, size, size);
        ctx.setTransform(1, 0, 0, 1, 0, 0);
      } else ctx.drawImage(face, x, y, size, size);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      out.push(btoa(s));
    }
    return out;
  }, astronautPng().toString('base64'));
  const folder = join(root, 'bench-faces');
  for (const c of ['alice', 'bob']) mkdirSync(join(folder, c), { recursive: true });
  let bytes = 0;
  for (let i = 0; i < PHOTOS; i++) {
    const jpeg = withComment(Buffer.from(pictures[i % pictures.length], 'base64'), `bench photo ${i}`);
    bytes += jpeg.length;
    writeFileSync(join(folder, i % 2 ? 'bob' : 'alice', `photo-${String(i).padStart(5, '0')}.jpg`), jpeg);
  }
  console.log(`wrote ${PHOTOS} JPEGs (1152×864, ${(bytes / PHOTOS / 1024).toFixed(0)} KB on average)`);

  // Input delay while the ingest runs: key presses into a number field, timed by the Event Timing API.
  await page.evaluate(() => {
    window.__eventDelays = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__eventDelays.push({ delay: e.processingStart - e.startTime, duration: e.duration });
    }).observe({ type: 'event', buffered: false, durationThreshold: 16 });
  });
  const field = page.getByLabel('Number of images');
  const ingest = await measure(async () => {
    const t0 = Date.now();
    await page.getByLabel('Photo folder', { exact: true }).setInputFiles(folder);
    let presses = 0;
    const result = page.getByRole('status', { name: 'Ingest result' });
    while (!(await result.isVisible())) {
      await field.press(presses++ % 2 ? 'ArrowUp' : 'ArrowDown');
      await page.waitForTimeout(250);
      if (Date.now() - t0 > 3_600_000) throw new Error('ingest took over an hour');
    }
    const text = await result.textContent();
    const m = text.match(/(\d+) faces from (\d+) of (\d+) photos in ([\d.]+) s/);
    const delays = await page.evaluate(() => window.__eventDelays);
    return { text, faces: Number(m[1]), photos: Number(m[2]), seconds: Number(m[4]), presses, slowEvents: delays };
  });
  const slow = ingest.result.slowEvents;
  out.ingest = {
    ...ingest.result,
    photosPerSecond: ingest.result.photos / ingest.result.seconds,
    facesPerSecond: ingest.result.faces / ingest.result.seconds,
    keyPresses: ingest.result.presses,
    eventsOver16ms: slow.length,
    maxInputDelayMs: slow.length ? Math.max(...slow.map((e) => e.delay)) : 0,
    maxEventDurationMs: slow.length ? Math.max(...slow.map((e) => e.duration)) : 0,
    peakChromiumRssMb: ingest.peakMb,
  };
  delete out.ingest.slowEvents;
  console.log(JSON.stringify(out.ingest));
  await context.close();

  // Scale: ≈ 85,000 stored crops and one epoch streamed through the trainer.
  const scale = await browser.newContext();
  const p2 = await scale.newPage();
  await p2.goto(`${base}?backend=wasm#/data`);
  await p2.getByRole('status', { name: 'Backend' }).filter({ hasText: 'Backend:' }).waitFor({ timeout: 180_000 });
  const requested = Math.round(CROPS / 1.2 / 16) * 16; // the generator adds a validation set of a fifth
  await p2.getByLabel('Number of images').fill(String(requested));
  const stored = await measure(async () => {
    const t0 = Date.now();
    await p2.getByRole('button', { name: 'Generate demo dataset' }).click();
    await p2.getByText(/Generated \d+ images/).waitFor({ timeout: 1_800_000 });
    const count = Number((await p2.getByText(/Generated \d+ images/).textContent()).match(/Generated (\d+)/)[1]);
    const usage = await p2.evaluate(async () => (await navigator.storage.estimate()).usage);
    return { count, seconds: (Date.now() - t0) / 1000, indexedDbMb: usage / 1e6 };
  });
  const trainImages = Number((await p2.getByTestId('split-counts').textContent()).match(/train (\d+)/)[1]);
  await p2.getByRole('link', { name: 'Train' }).click();
  await p2.getByRole('spinbutton', { name: 'Epochs', exact: true }).fill('1');
  await p2.getByRole('spinbutton', { name: 'Batch size' }).fill('64');
  const epoch = await measure(async () => {
    await p2.getByRole('button', { name: 'Train', exact: true }).click();
    const t0 = Date.now();
    let finished = false;
    while (Date.now() - t0 < EPOCH_BUDGET_MS && !finished) {
      await p2.waitForTimeout(2000);
      finished = await p2.evaluate(() => window.__lab.getState().training.epochs.length > 0);
    }
    const snap = await p2.evaluate(() => {
      const t = window.__lab.getState().training;
      return { batches: t.batches.map((b) => ({ ms: b.ms, size: b.size })), epoch: t.epochs[0] ?? null };
    });
    if (!finished) await p2.getByRole('button', { name: 'Stop' }).click();
    const b = snap.batches;
    const imgs = b.slice(1).reduce((n, x) => n + x.size, 0);
    const ips = b.length >= 3 ? imgs / ((b[b.length - 1].ms - b[0].ms) / 1000) : NaN;
    return {
      imagesPerSecond: ips,
      batches: b.length,
      epochSeconds: snap.epoch ? snap.epoch.seconds : trainImages / ips,
      extrapolated: !snap.epoch,
    };
  });
  out.scale = {
    stored: stored.result.count,
    generateSeconds: stored.result.seconds,
    indexedDbMb: stored.result.indexedDbMb,
    peakChromiumRssMbWhileStoring: stored.peakMb,
    trainImages,
    ...epoch.result,
    peakChromiumRssMbWhileTraining: epoch.peakMb,
  };
  console.log(JSON.stringify(out.scale));
  await scale.close();
} finally {
  await browser.close();
  server.stop();
  rmSync(root, { recursive: true, force: true });
}

mkdirSync('bench/results', { recursive: true });
const file = `bench/results/ingest-${out.host}-${out.date}.json`;
writeFileSync(file, JSON.stringify(out, null, 2));
console.log(`\nwrote ${file}\n`);
const i = out.ingest;
const s = out.scale;
const rows = [
  [
    `ingest ${i.photos} photos (1152×864 JPEG, wasm)`,
    `${i.photosPerSecond.toFixed(1)} photos/s, ${i.facesPerSecond.toFixed(1)} faces/s (${i.faces} faces in ${i.seconds.toFixed(0)} s)`,
  ],
  [
    'input while ingesting',
    `${i.keyPresses} key presses, ${i.eventsOver16ms} events over 16 ms, max input delay ${i.maxInputDelayMs.toFixed(0)} ms, max event duration ${i.maxEventDurationMs.toFixed(0)} ms`,
  ],
  ['peak memory while ingesting', `${i.peakChromiumRssMb.toFixed(0)} MB (RSS of this bench's Chromium processes)`],
  [
    `store ${s.stored} crops`,
    `${s.generateSeconds.toFixed(0)} s, IndexedDB ${s.indexedDbMb.toFixed(0)} MB, peak ${s.peakChromiumRssMbWhileStoring.toFixed(0)} MB`,
  ],
  [
    `one epoch of ${s.trainImages} (compact, batch 64, wasm)`,
    `${s.imagesPerSecond.toFixed(1)} images/s, ${s.epochSeconds.toFixed(0)} s${s.extrapolated ? ` (extrapolated from ${s.batches} batches)` : ''}, peak ${s.peakChromiumRssMbWhileTraining.toFixed(0)} MB`,
  ],
];
console.log(mdTable(['item', 'result'], rows).join('\n'));
process.exit(0);
