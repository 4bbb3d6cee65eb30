/**
 * Deploys while a tab is open (issue 18 item 4), on a plain static server under a sub-path with the service worker
 * on. Build A (dist/) is served and a tab opened; then the server's files are replaced by build B, and later by build
 * C (both built here into temporary folders with a one-line change to the page and each worker, so every script has
 * a new hashed name and the older builds' scripts are gone from the server). A new tab after each deploy gets the new
 * build and brings its service worker, which takes control of the open tabs. After C, the tab opened on A starts its
 * photo worker for the first time (a dataset zip import): the worker is A's hashed file, which the server has not had
 * for two deploys, so only A's kept cache can serve it. Asserted: every build some tab runs keeps its cache; the
 * import works (message, the dataset's images in IndexedDB), no console error, the server never served that file
 * after the deploy; once A's tab is closed, the next navigation deletes A's cache and keeps B's (its tab is open) and
 * C's. Last, with B's cache deleted by hand (as the service worker used to do after two deploys), B's tab starting
 * its photo worker is told that its script did not load and to reload, not "crashed: unknown error".
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build, type Plugin } from 'vite';
import { datasetZip } from '../bench/bombZip.mjs';
import { readLabDb } from './fixtures/labDb';

const REPO = resolve(import.meta.dirname, '..');
const DIST_A = join(REPO, 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

let site: Server;
let root = '';
let distB = '';
let distC = '';
/** What the server answered: path under the sub-path, status, and whether it came after the first deploy. */
const served: Array<{ path: string; status: number; afterDeploy: boolean }> = [];
let deployed = false;

/** Builds B and C: the same sources plus one statement in the page and in each worker (new content, new hashes). */
const stamp = (build: string): Plugin => ({
  name: `deploy-spec-build-${build}`,
  enforce: 'post',
  transform(code, id) {
    if (/src\/(main\.tsx|workers\/\w+\.worker\.ts)$/.test(id))
      return { code: `${code}\n;globalThis.__lookalikeBuild = "${build}";\n`, map: null };
  },
});

async function buildStamped(marker: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), `lookalike-deploy-${marker.toLowerCase()}-`));
  await build({
    configFile: join(REPO, 'vite.config.ts'),
    root: REPO,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [stamp(marker)],
    worker: { plugins: () => [stamp(marker)] },
  });
  return outDir;
}

const scripts = (dir: string) => readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));
/** The service worker's cache name for a build folder (its sw.js's VERSION). */
const cacheOf = (dir: string) =>
  `lookalike-lab-${/const VERSION = '([0-9a-f]{16})'/.exec(readFileSync(join(dir, 'sw.js'), 'utf8'))![1]}`;
/** The build caches a page sees (not the service worker's client records). */
const buildCaches = (page: Page) =>
  page.evaluate(async () => (await caches.keys()).filter((k) => /^lookalike-lab-[0-9a-f]{16}$/.test(k)).sort());

test.use({ serviceWorkers: 'allow' });

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const started = Date.now();
  distB = await buildStamped('B');
  distC = await buildStamped('C');
  console.log(`[e2e] builds B and C: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  root = DIST_A;
  site = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const rel = path.startsWith('/lookalike-lab/') ? path.slice('/lookalike-lab/'.length) : null;
    const file = rel === null ? null : join(root, rel === '' ? 'index.html' : rel);
    const answer = (status: number, body?: Buffer) => {
      served.push({ path: rel ?? path, status, afterDeploy: deployed });
      if (status !== 200) res.writeHead(status).end();
      else res.writeHead(200, { 'Content-Type': TYPES[extname(file!)] ?? 'application/octet-stream' }).end(body);
    };
    if (!file || !file.startsWith(root)) return answer(404);
    readFile(file).then(
      (body) => answer(200, body),
      () => answer(404),
    );
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
});

test.afterAll(async () => {
  await new Promise((r) => site?.close(r));
  for (const dir of [distB, distC]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the app in `page` and waits until the service worker controls it (isolated after one reload) and the backend is up. */
async function openUnderServiceWorker(page: Page, url: string): Promise<void> {
  await page.goto(url);
  // (An evaluate that meets the one isolation reload throws "execution context was destroyed": poll again.)
  await expect
    .poll(
      () => page.evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null).catch(() => false),
      { timeout: 60_000 },
    )
    .toBe(true);
  await page.waitForLoadState('load');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend:', { timeout: 120_000 });
}

const buildOfPage = (page: Page) => page.evaluate(() => (globalThis as { __lookalikeBuild?: string }).__lookalikeBuild);
const controllerChanges = (page: Page) =>
  page.evaluate(() => (window as unknown as { __controllerChanges: number }).__controllerChanges);

test('tabs opened before two deploys still load their own hashed workers; a build no tab runs is dropped', async ({
  context,
}, testInfo) => {
  const base = `http://127.0.0.1:${(site.address() as AddressInfo).port}/lookalike-lab/`;
  const [a, b, c] = [scripts(DIST_A), scripts(distB), scripts(distC)];
  const [cacheA, cacheB, cacheC] = [cacheOf(DIST_A), cacheOf(distB), cacheOf(distC)];
  const ingestA = a.find((f) => f.startsWith('ingest.worker-'))!;
  const ingestB = b.find((f) => f.startsWith('ingest.worker-'))!;
  console.log(`[e2e] build A: ${a.join(', ')}; build B: ${b.join(', ')}; build C: ${c.join(', ')}`);
  // The stamped scripts (the page and every worker) must differ between builds. A lazily loaded library chunk that
  // imports none of our code (h5wasm's hdf5_hl) keeps its content hash across builds, as it should.
  const stamped = (files: string[]) => files.filter((f) => /^(index|\w+\.worker)-/.test(f));
  expect(
    stamped(a).filter((f) => b.includes(f) || c.includes(f)),
    'scripts A shares with B or C',
  ).toEqual([]);
  expect(
    stamped(b).filter((f) => c.includes(f)),
    'scripts B shares with C',
  ).toEqual([]);

  const errors: string[] = [];
  const watch = (page: Page, name: string) => {
    page.on('console', (m) => m.type() === 'error' && errors.push(`${name}: ${m.text()}`));
    page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
  };
  const old = await context.newPage();
  watch(old, 'tab A');
  const oldWorkers: string[] = [];
  old.on('worker', (w) => oldWorkers.push(w.url()));
  await openUnderServiceWorker(old, `${base}?backend=wasm#/data`);
  expect(
    oldWorkers.some((u) => u.includes('ingest.worker')),
    'the photo worker is not started yet',
  ).toBe(false);
  await old.evaluate(() => {
    const w = window as unknown as { __controllerChanges: number };
    w.__controllerChanges = 0;
    navigator.serviceWorker.addEventListener('controllerchange', () => w.__controllerChanges++);
  });
  expect(await buildCaches(old)).toEqual([cacheA]);

  /** A deploy: the server has `dir`'s files only; a new tab gets that build, whose service worker takes over the old tab. */
  const deploy = async (dir: string, marker: string, name: string, changes: number): Promise<Page> => {
    root = dir;
    deployed = true;
    expect((await fetch(`${base}assets/${ingestA}`)).status).toBe(404);
    const tab = await context.newPage();
    watch(tab, name);
    await openUnderServiceWorker(tab, `${base}?backend=wasm#/data`);
    const index = scripts(dir).find((f) => f.startsWith('index-'))!;
    expect(
      await tab.evaluate(() => (document.querySelector('script[type="module"]') as HTMLScriptElement).src),
    ).toMatch(new RegExp(`/assets/${index}$`));
    expect(await buildOfPage(tab)).toBe(marker);
    // The new service worker installs (a navigation checks for one), activates and takes control of the old tab.
    await expect.poll(() => controllerChanges(old), { timeout: 60_000 }).toBe(changes);
    // Its activate handler (which drops the caches no tab needs) has finished: the page sees their result.
    await expect
      .poll(() => old.evaluate(() => navigator.serviceWorker.controller?.state), { timeout: 30_000 })
      .toBe('activated');
    return tab;
  };

  const tabB = await deploy(distB, 'B', 'tab B', 1);
  expect(await buildCaches(old)).toEqual([cacheA, cacheB].sort());
  const tabC = await deploy(distC, 'C', 'tab C', 2);
  // A (its tab is open), B (its tab is open), C: none dropped. (The old worker kept one build back: A was gone here.)
  const cachesAfterC = await buildCaches(old);
  console.log(`[e2e] caches after deploying C: ${cachesAfterC.join(', ')} (A ${cacheA}, B ${cacheB}, C ${cacheC})`);
  expect(cachesAfterC).toEqual([cacheA, cacheB, cacheC].sort());
  expect(await buildOfPage(old)).toBeUndefined(); // still build A's page

  // The old tab's first use of its photo worker, two deploys later: A's hashed file, gone from the server.
  const zip = datasetZip({ crops: 24, name: 'after two deploys' });
  const zipPath = testInfo.outputPath('crops.zip');
  writeFileSync(zipPath, zip.zip);
  const importStarted = Date.now();
  await old.getByLabel('Import dataset zip').setInputFiles(zipPath);
  await expect(old.getByRole('status', { name: 'Dataset zip result' })).toHaveText(
    'Imported 24 images from crops.zip.',
    { timeout: 60_000 },
  );
  console.log(`[e2e] tab A's zip import after two deploys: ${Date.now() - importStarted} ms`);
  expect(oldWorkers.filter((u) => u.includes('ingest.worker'))).toEqual([`${base}assets/${ingestA}`]);
  const stored = (await readLabDb(old)).datasets.find((d) => d.name === 'after two deploys');
  expect(stored).toMatchObject({ count: 24, stored: 24, complete: true });
  const afterDeploy = served.filter((s) => s.afterDeploy);
  console.log(
    `[e2e] after the deploys the server answered ${afterDeploy.length} requests; for ${ingestA}: ${JSON.stringify(afterDeploy.filter((s) => s.path.endsWith(ingestA)))}`,
  );
  expect(afterDeploy.filter((s) => s.path.endsWith(ingestA) && s.status === 200)).toEqual([]);
  expect(errors).toEqual([]);
  const records = await tabC.evaluate(async () => {
    const map = await caches.open('lookalike-lab:clients');
    return Promise.all(
      (await map.keys()).map(async (k) => (await (await map.match(k))!.json()) as { entry: string; worker: boolean }),
    );
  });
  console.log(
    `[e2e] the service worker's client records: ${records.map((r) => `${r.worker ? 'worker' : 'page'} → ${r.entry.split('/').pop()}`).join(', ')}`,
  );

  // A's tab closes: the next navigation (here tab C's reload) drops A's cache; B's tab is still open.
  await old.close();
  await tabC.reload();
  await expect.poll(() => buildCaches(tabC).catch(() => []), { timeout: 30_000 }).toEqual([cacheB, cacheC].sort());

  // What a tab saw when its build's cache was gone: B's cache deleted by hand, B's tab starts its photo worker.
  const errorsBefore = errors.length;
  expect(await tabB.evaluate((name) => caches.delete(name), cacheB)).toBe(true);
  await tabB.getByLabel('Import dataset zip').setInputFiles(zipPath);
  await expect(tabB.getByRole('region', { name: 'Dataset zip', exact: true }).getByRole('alert')).toHaveText(
    'The photo worker could not start (its script did not load — if the app was just updated, reload the page)',
    { timeout: 60_000 },
  );
  console.log(
    `[e2e] tab B without its cache: ${JSON.stringify(served.filter((s) => s.path.endsWith(ingestB)))}; console: ${JSON.stringify(errors.slice(errorsBefore))}`,
  );
});
