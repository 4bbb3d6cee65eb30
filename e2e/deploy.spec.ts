/**
 * A deploy while a tab is open (issue 18 item 4), on a plain static server under a sub-path with the service worker
 * on. Build A (dist/) is served and a tab opened; then the server's files are replaced by build B (built here into a
 * temporary folder with a one-line change to the page and each worker, so every script has a new hashed name and
 * A's scripts are gone from the server). A new tab gets build B and brings B's service worker, which takes control
 * of the old tab too. The old tab then starts its photo worker for the first time (a dataset zip import): the worker
 * is A's hashed file, which the server no longer has, so only the kept cache of build A can serve it. Asserted: the
 * import works (message, the dataset's images in IndexedDB), no console error, and the server never served that file
 * after the deploy.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { build, type Plugin } from 'vite';
import { datasetZip } from '../bench/bombZip.mjs';
import { readLabDb } from './fixtures/labDb';

const REPO = resolve(import.meta.dirname, '..');
const DIST_A = join(REPO, 'dist');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };

let site: Server;
let root = '';
let distB = '';
/** What the server answered: path under the sub-path, status, and whether it came after the deploy. */
const served: Array<{ path: string; status: number; afterDeploy: boolean }> = [];
let deployed = false;

/** Build B: the same sources plus one statement in the page and in each worker entry (new content, new hashes). */
const stampB = (): Plugin => ({
  name: 'deploy-spec-build-b',
  enforce: 'post',
  transform(code, id) {
    if (/src\/(main\.tsx|workers\/\w+\.worker\.ts)$/.test(id)) return { code: `${code}\n;globalThis.__lookalikeBuild = "B";\n`, map: null };
  },
});

const scripts = (dir: string) => readdirSync(join(dir, 'assets')).filter((f) => f.endsWith('.js'));

test.use({ serviceWorkers: 'allow' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  distB = mkdtempSync(join(tmpdir(), 'lookalike-deploy-b-'));
  await build({ configFile: join(REPO, 'vite.config.ts'), root: REPO, logLevel: 'warn', build: { outDir: distB, emptyOutDir: true }, plugins: [stampB()], worker: { plugins: () => [stampB()] } });
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
  if (distB) rmSync(distB, { recursive: true, force: true });
});

/** Opens the app in `page` and waits until the service worker controls it (isolated after one reload) and the backend is up. */
async function openUnderServiceWorker(page: Page, url: string): Promise<void> {
  await page.goto(url);
  // (An evaluate that meets the one isolation reload throws "execution context was destroyed": poll again.)
  await expect.poll(() => page.evaluate(() => crossOriginIsolated && navigator.serviceWorker.controller !== null).catch(() => false), { timeout: 60_000 }).toBe(true);
  await page.waitForLoadState('load');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend:', { timeout: 120_000 });
}

test('a tab opened before a deploy still loads its own hashed worker; a new tab gets the new build', async ({ context }, testInfo) => {
  const base = `http://127.0.0.1:${(site.address() as AddressInfo).port}/lookalike-lab/`;
  const [a, b] = [scripts(DIST_A), scripts(distB)];
  const ingestA = a.find((f) => f.startsWith('ingest.worker-'))!;
  const indexB = b.find((f) => f.startsWith('index-'))!;
  console.log(`[e2e] build A: ${a.join(', ')}; build B: ${b.join(', ')}`);
  expect(a.filter((f) => b.includes(f)), 'scripts the two builds share').toEqual([]);

  const errors: string[] = [];
  const old = await context.newPage();
  old.on('console', (m) => m.type() === 'error' && errors.push(`old tab: ${m.text()}`));
  old.on('pageerror', (e) => errors.push(`old tab: ${e.message}`));
  const oldWorkers: string[] = [];
  old.on('worker', (w) => oldWorkers.push(w.url()));
  await openUnderServiceWorker(old, `${base}?backend=wasm#/data`);
  expect(oldWorkers.some((u) => u.includes('ingest.worker')), 'the photo worker is not started yet').toBe(false);
  await old.evaluate(() => {
    const w = window as unknown as { __controllerChanges: number };
    w.__controllerChanges = 0;
    navigator.serviceWorker.addEventListener('controllerchange', () => w.__controllerChanges++);
  });
  const cachesBefore = await old.evaluate(() => caches.keys());

  // The deploy: the server now has build B's files only.
  root = distB;
  deployed = true;
  expect((await fetch(`${base}assets/${ingestA}`)).status).toBe(404);

  const fresh = await context.newPage();
  fresh.on('console', (m) => m.type() === 'error' && errors.push(`new tab: ${m.text()}`));
  fresh.on('pageerror', (e) => errors.push(`new tab: ${e.message}`));
  await openUnderServiceWorker(fresh, `${base}?backend=wasm#/data`);
  const freshScript = await fresh.evaluate(() => (document.querySelector('script[type="module"]') as HTMLScriptElement).src);
  expect(freshScript).toMatch(new RegExp(`/assets/${indexB}$`));
  expect(await fresh.evaluate(() => (globalThis as { __lookalikeBuild?: string }).__lookalikeBuild)).toBe('B');

  // B's service worker installs (a navigation checks for a new one), activates and takes control of the old tab.
  await expect.poll(() => old.evaluate(() => (window as unknown as { __controllerChanges: number }).__controllerChanges), { timeout: 60_000 }).toBeGreaterThan(0);
  const cachesAfter = await old.evaluate(() => caches.keys());
  console.log(`[e2e] caches before the deploy: ${cachesBefore.join(', ')}; after: ${cachesAfter.join(', ')}`);
  expect(cachesAfter).toEqual(expect.arrayContaining(cachesBefore));
  expect(cachesAfter.length).toBe(cachesBefore.length + 1);
  expect(await old.evaluate(() => (globalThis as { __lookalikeBuild?: string }).__lookalikeBuild)).toBeUndefined(); // still build A's page

  // The old tab's first use of its photo worker: A's hashed file, gone from the server.
  const zip = datasetZip({ crops: 24, name: 'after the deploy' });
  const zipPath = testInfo.outputPath('crops.zip');
  writeFileSync(zipPath, zip.zip);
  await old.getByLabel('Import dataset zip').setInputFiles(zipPath);
  await expect(old.getByRole('status', { name: 'Dataset zip result' })).toHaveText('Imported 24 images from crops.zip.', { timeout: 60_000 });
  expect(oldWorkers.filter((u) => u.includes('ingest.worker'))).toEqual([`${base}assets/${ingestA}`]);
  const stored = (await readLabDb(old)).datasets.find((d) => d.name === 'after the deploy');
  expect(stored).toMatchObject({ count: 24, stored: 24, complete: true });
  const afterDeploy = served.filter((s) => s.afterDeploy);
  console.log(`[e2e] after the deploy the server answered ${afterDeploy.length} requests; for ${ingestA}: ${JSON.stringify(afterDeploy.filter((s) => s.path.endsWith(ingestA)))}`);
  expect(afterDeploy.filter((s) => s.path.endsWith(ingestA) && s.status === 200)).toEqual([]);
  expect(errors).toEqual([]);
});
