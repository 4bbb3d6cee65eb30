/**
 * Issue #9 item 7, the ingest path in the real browser: a folder of ~60 hostile files generated with
 * fast-check from one seed (fixtures/hostileFiles.ts: random bytes with and without a magic number, the
 * astronaut's face as JPEG/PNG/GIF mutated — bytes overwritten, cut short, header sizes set huge, PNG chunk
 * lengths corrupted, JPEG segments dropped or duplicated — tiny WebPs claiming up to 16384×16384, odd shapes,
 * 4 intact faces; file names of markup, script, unicode, 250 bytes) is picked with the `Photo folder` input
 * after a small good folder was ingested. Asserts: the ingest ends within a time bound, no page error or
 * crash, no alert, every file either gave faces or has exactly one report line naming it (as text: no element
 * made from a name), the intact faces were ingested, files recorded = ingested + reported, the earlier
 * dataset is byte-identical (every stored record, SHA-256), the ingest worker still answers, and nothing went
 * to another origin (fixtures/lab.ts).
 *
 * Reproduce a run: `FUZZ_SEED=<seed> npx playwright test e2e/ingest-fuzz.spec.ts` (the seed is printed).
 *
 * Found by this spec (and fixed); each kept as a regression file in every run (fixtures/hostileFiles.ts):
 * - a side over 32766 px (seeds 2 and 3: a GIF whose screen says 47391×1, 47 kilopixels, decodes) aborted
 *   MediaPipe's wasm in the ingest worker (OpenCV remap: "src.cols < SHRT_MAX"); every later detection
 *   failed ("Packet timestamp mismatch") and no result came within 60 s. The worker now detects on a copy
 *   scaled to 8192 px at most (ingest/detectAnySize.ts) and drops a detector that threw.
 * - a 32-byte lossless WebP claiming 16384×16384 was decoded (1 GB, ~10 s) before the 40-megapixel check,
 *   as imageSniff.ts read no WebP size; it now reads VP8, VP8L and VP8X sizes. A 147 KB JPEG whose SOF
 *   (16000×16000) sits behind 128 KB of APP2 escaped the header check, which saw only the first 64 KB; the
 *   ingest now reads on to the SOF (ingest/sniffFile.ts). Seed 9007's folder took 18.9 s, now ~3 s.
 * - a PNG without IHDR was reported "too large: 2019439805×4149714055" (IDAT bytes read as a size); now
 *   "could not decode PNG: the file is damaged or incomplete".
 * cropOne (the single-photo crop of the ingest worker) now makes the same checks with the same wording.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, openLab, test } from './fixtures/lab';
import { readLabDb } from './fixtures/labDb';
import { datasetBytes } from './fixtures/storedBytes';
import { fuzzSeed, hostileFolder, type HostileFile } from './fixtures/hostileFiles';
import { crop, jpeg, loadRgb, png } from './fixtures/imageVariants';

/**
 * No hang, no bomb: the whole hostile folder, face model already loaded. Measured 0.5–2.9 s here (2 cores);
 * before the fixes above seed 9007 took 18.9 s and seeds 2 and 3 never finished.
 */
const INGEST_BOUND_MS = 15_000;

const seed = fuzzSeed();
let tmp = '';
let files: HostileFile[] = [];

/** Report reasons the ingest may give (src/features/data/shared/imageSniff.ts, src/features/data/worker/ingest/ingestPhotos.ts, shared/photoFolder.ts). */
const REASONS = [
  /^empty file \(0 bytes\)$/,
  /^not an image( \(a (PDF document|ZIP archive: unzip it and pick the folder)\))?$/,
  /^(HEIC|AVIF|TIFF) is not supported: convert to JPEG$/,
  /^SVG is not supported: convert to PNG or JPEG$/,
  /^too large: \d+×\d+ \(\d+ megapixels, limit 40\)$/,
  /^could not decode (JPEG|PNG|GIF|WEBP|BMP): the file is damaged or incomplete$/,
  /^no face found$/,
  /^not in a class sub-folder$/,
];

test.beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'lookalike-fuzz-'));
  const face = crop(loadRgb('astronaut.png'), 96, 0, 256, 256);
  for (const [cls, name, bytes] of [
    ['alice', 'face.png', png(face)],
    ['bob', 'face.jpg', jpeg(face, { quality: 70 })],
  ] as const) {
    mkdirSync(join(tmp, 'good', cls), { recursive: true });
    writeFileSync(join(tmp, 'good', cls, name), bytes);
  }
  files = hostileFolder(seed);
  for (const f of files) {
    mkdirSync(join(tmp, 'fuzz', f.dir), { recursive: true });
    writeFileSync(join(tmp, 'fuzz', f.dir, f.name), f.bytes);
  }
});

test.afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const pathOf = (f: HostileFile) => ['fuzz', f.dir, f.name].filter(Boolean).join('/');

test(`hostile photo folder (fast-check seed ${seed}): every file ingested or reported, no crash, no hang, earlier data untouched`, async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  console.log(
    `[e2e] fuzz seed ${seed} (rerun: FUZZ_SEED=${seed} npx playwright test e2e/ingest-fuzz.spec.ts); ${files.length} files, ${files.reduce((n, f) => n + f.bytes.length, 0)} bytes`,
  );
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const crashes: string[] = [];
  page.on('crash', () => crashes.push('page crashed'));
  await openLab(page, 'wasm');
  const picker = page.getByLabel('Photo folder', { exact: true });
  const result = page.getByRole('status', { name: 'Ingest result' });

  // The user's earlier work: a small good folder, every stored byte of it recorded.
  await picker.setInputFiles(join(tmp, 'good'));
  await expect(result).toContainText('2 faces from 2 of 2 photos', { timeout: 120_000 });
  const good = (await readLabDb(page)).datasets.find((d) => d.name === 'Photos: good')!;
  expect(good.count).toBe(2);
  const goodBefore = await datasetBytes(page, good.id);
  expect(goodBefore.records).toBe(4); // record, one image chunk, one thumbnail chunk, split

  // The hostile folder.
  const inClass = files.filter((f) => f.dir !== '');
  const started = Date.now();
  await picker.setInputFiles(join(tmp, 'fuzz'));
  await expect(result).toContainText(`of ${inClass.length} photos`, { timeout: INGEST_BOUND_MS });
  const seconds = (Date.now() - started) / 1000;
  const resultText = (await result.textContent()) ?? '';
  console.log(`[e2e] ${resultText} (${seconds.toFixed(1)} s wall, bound ${INGEST_BOUND_MS / 1000} s)`);
  expect(crashes).toEqual([]);
  await expect(page.getByRole('alert')).toHaveCount(0); // no worker crash, no storage or ingest error

  // Every report line is text: the file name shown literally, no element made from it, nothing ran.
  const report = page.getByRole('list', { name: 'Ingest report' });
  const items = report.getByRole('listitem');
  await expect(report.locator('li *')).toHaveCount(0);
  expect(await page.locator('#injected, iframe, [onerror], [onload], img[src="x"]').count()).toBe(0);
  expect(dialogs).toEqual([]);
  const lines = (await items.allTextContents()).map((l) => l.normalize('NFC'));

  // Every file accounted for exactly once: faces stored (its path among the crops' sources) or one report line.
  const db = await readLabDb(page);
  const fuzz = db.datasets.find((d) => d.name === 'Photos: fuzz');
  expect(fuzz, 'the fuzz folder made a dataset (it holds intact faces)').toBeDefined();
  const ingested = new Set(fuzz!.sources.map((s) => s.normalize('NFC')));
  const unmatched = new Set(lines);
  const outcomes: Array<{ path: string; what: string; bytes: number; outcome: string }> = [];
  const problems: string[] = [];
  for (const f of files) {
    const path = pathOf(f).normalize('NFC');
    const mine = lines.filter((l) => l.startsWith(`${path} — `));
    mine.forEach((l) => unmatched.delete(l));
    const reasons = mine.map((l) => l.slice(path.length + 3));
    const faces = fuzz!.sources.filter((s) => s.normalize('NFC') === path).length;
    outcomes.push({
      path,
      what: f.what,
      bytes: f.bytes.length,
      outcome: faces ? `${faces} face(s)` : reasons.join(' | ') || 'NOTHING',
    });
    if ((faces ? 1 : 0) + mine.length !== 1)
      problems.push(`${path} (${f.what}): ${faces} faces and ${mine.length} report lines`);
    for (const r of reasons)
      if (!REASONS.some((re) => re.test(r))) problems.push(`${path} (${f.what}): unclear reason "${r}"`);
    if (f.intact && !faces)
      problems.push(`${path} (${f.what}): an intact face was not ingested: ${reasons.join(' | ')}`);
    if (f.dir === '' && reasons.join() !== 'not in a class sub-folder')
      problems.push(`${path}: outside a class, reported as ${reasons.join(' | ')}`);
  }
  const manifest = testInfo.outputPath('fuzz-outcomes.json');
  writeFileSync(manifest, JSON.stringify({ seed, seconds, outcomes }, null, 1));
  await testInfo.attach('fuzz-outcomes.json', { path: manifest });
  const tally = new Map<string, number>();
  for (const o of outcomes) {
    const key = o.outcome.replace(/\d+×\d+ \(\d+/, 'W×H (N').replace(/^\d+ face\(s\)$/, 'faces');
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  console.log(`[e2e] outcomes: ${JSON.stringify(Object.fromEntries([...tally].sort((a, b) => b[1] - a[1])))}`);
  expect(problems, 'files not accounted for exactly once, or with an unclear reason').toEqual([]);
  expect([...unmatched], 'report lines naming no file of the folder').toEqual([]);

  // Counts add up, in IndexedDB and on screen.
  const reported = inClass.filter((f) => lines.some((l) => l.startsWith(`${pathOf(f).normalize('NFC')} — `))).length;
  expect(fuzz!.processed, 'files recorded as done').toBe(inClass.length);
  expect(ingested.size + reported).toBe(inClass.length);
  expect(lines.length).toBe(reported + 2); // + the two files outside a class folder
  expect(fuzz!.complete).toBe(true);
  expect(fuzz!.stored).toBe(fuzz!.count);
  expect(resultText).toContain(`${fuzz!.count} faces from ${ingested.size} of ${inClass.length} photos`);
  console.log(
    `[e2e] ${inClass.length} files in classes: ${ingested.size} gave ${fuzz!.count} faces, ${reported} reported; 2 outside a class reported`,
  );

  // The earlier dataset: every stored byte the same.
  expect(await datasetBytes(page, good.id)).toEqual(goodBefore);

  // The ingest worker still answers: the same folder again skips every file it recorded, and ends.
  await picker.setInputFiles(join(tmp, 'fuzz'));
  await expect(result).toContainText(`${inClass.length} photos done by an earlier run were skipped`, {
    timeout: 60_000,
  });
  await expect(result).toContainText(`0 faces from 0 of ${inClass.length} photos`);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(await datasetBytes(page, good.id)).toEqual(goodBefore);
  expect(crashes).toEqual([]);
});
