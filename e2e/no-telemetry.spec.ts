/**
 * Issue #9 item 8 — nothing leaves the device. The production build runs MediaPipe face detection (the page's
 * face worker) and a photo-folder ingest (MediaPipe again, in the ingest worker) with the offline service
 * worker active, then idles, while two independent recorders watch:
 * - Playwright's context request events (pages, dedicated workers, service worker) — every URL must be on
 *   the app's origin (or data:/blob:), and the MediaPipe files must be among them (so the recorder saw the
 *   workers' traffic);
 * - a recording HTTP proxy that the browser context must use for every host except 127.0.0.1: any attempt to
 *   reach another host, from any page, worker, service worker or wasm, shows up there (and is refused). A
 *   canary context proves the proxy does see page and worker requests.
 * Named MediaPipe endpoints (src/test/mediapipeEndpoints.ts): Clearcut (play.googleapis.com/log — where
 * MediaPipe 0.10.35's native builds send usage metrics, google-ai-edge/mediapipe#6291), Firebase logging, and
 * the CDNs its documentation loads wasm and models from (cdn.jsdelivr.net, storage.googleapis.com). The web
 * package 0.10.35 contains none of them (src/features/data/worker/face/mediapipeEndpoints.test.ts scans the shipped files).
 * Verified to fail: a build whose face/ingest workers fetch play.googleapis.com/log fails on both recorders.
 * Note: the CSP <meta> does not reach those workers (a dedicated worker takes its policy from its own response
 * headers, and a static host sends none) — that fetch was not blocked; these recorders are the guarantee.
 * Also: the production index.html carries a CSP without 'unsafe-eval' and with connect-src 'self'.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, openLab, test } from './fixtures/lab';
import { ensureFacePhotos, facePhoto } from './fixtures/faces';
import { MEDIAPIPE_ENDPOINTS } from '../src/test/mediapipeEndpoints';

/**
 * Requests the browser itself makes, never the app: Chromium's Autofill asks its server about any form's
 * fields (seen here when the ingest's inputs are used). They are not page, worker or service-worker requests
 * (the context events never show them). --disable-features=AutofillServerCommunication would stop them, but a
 * second --disable-features switch replaces the list Playwright passes, so they are named and set aside.
 */
const BROWSER_SERVICES: RegExp[] = [/^CONNECT content-autofill\.googleapis\.com:443$/];

const PROXY_PORT = 4191;
const attempts: string[] = [];
let proxy: Server;
let root = '';

// Every host but the app's goes through the recording proxy (Playwright keeps 127.0.0.1 direct when it is
// in the bypass list); the service worker is allowed so its fetches are part of what is watched.
test.use({ serviceWorkers: 'allow', proxy: { server: `http://127.0.0.1:${PROXY_PORT}`, bypass: '127.0.0.1' } });

test.beforeAll(async () => {
  proxy = createServer((req, res) => {
    attempts.push(`${req.method} ${req.url}`);
    res.writeHead(403).end();
  });
  // https:// and wss:// arrive as CONNECT host:port.
  proxy.on('connect', (req, socket) => {
    attempts.push(`CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((r) => proxy.listen(PROXY_PORT, '127.0.0.1', r));

  ensureFacePhotos();
  root = join(mkdtempSync(join(tmpdir(), 'lookalike-no-telemetry-')), 'faces');
  for (const [dir, file, photo] of [
    ['alice', 'a1.png', 'astronaut.png'],
    ['bob', 'b1.png', 'astronaut.png'],
    ['bob', 'cat.png', 'chelsea.png'],
  ] as const) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, file), facePhoto(photo));
  }
});

test.afterAll(async () => {
  await new Promise((r) => proxy?.close(r));
  if (root) rmSync(join(root, '..'), { recursive: true, force: true });
});

/** Every request of the context, including dedicated workers' and the service worker's. */
function recordRequests(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (r) => urls.push(r.url()));
  return urls;
}

async function detectAstronaut(page: Page): Promise<number> {
  const b64 = facePhoto('astronaut.png').toString('base64');
  return page.evaluate(async (b64) => {
    const api = (window as unknown as { __faces: { detectFacesInBlob(blob: Blob): Promise<unknown[]> } }).__faces;
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return (await api.detectFacesInBlob(new Blob([bytes], { type: 'image/png' }))).length;
  }, b64);
}

test('the production CSP has no unsafe-eval and allows connections to its own origin only', async ({ page }) => {
  // What `vite build` wrote, and what the server hands the browser.
  const built = readFileSync(resolve(import.meta.dirname, '../dist/index.html'), 'utf8');
  await page.goto('./');
  const served = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const csp of [built.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1], served]) {
    expect(csp, 'a CSP meta tag').toBeTruthy();
    const directives = Object.fromEntries(
      csp!
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    console.log(`[e2e] CSP: ${csp}`);
    expect(csp).not.toContain("'unsafe-eval'");
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    // 'wasm-unsafe-eval' is what WebAssembly compilation needs; it does not allow eval() or new Function().
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
  }
});

test('the recording proxy sees page and worker requests (canary, in a context of its own)', async ({ browser }) => {
  const canary = await browser.newContext({ proxy: { server: `http://127.0.0.1:${PROXY_PORT}`, bypass: '127.0.0.1' } });
  try {
    const page = await canary.newPage();
    const before = attempts.length;
    await page.evaluate(async () => {
      await fetch('http://page-canary.invalid/log').catch(() => undefined);
      const worker = new Worker(
        URL.createObjectURL(
          new Blob(["fetch('https://worker-canary.invalid/log').catch(() => {}).then(() => postMessage(1))"]),
        ),
      );
      await new Promise((r) => (worker.onmessage = r));
    });
    const seen = attempts.splice(before);
    console.log(`[e2e] canary attempts: ${JSON.stringify(seen)}`);
    expect(seen).toContain('GET http://page-canary.invalid/log');
    expect(seen).toContain('CONNECT worker-canary.invalid:443');
  } finally {
    await canary.close();
  }
});

test('face detection and a photo ingest make no request to another origin, nor to any MediaPipe endpoint', async ({
  page,
  context,
  baseURL,
}) => {
  const urls = recordRequests(context);
  const origin = new URL(baseURL!).origin;
  attempts.length = 0;

  await openLab(page, 'wasm');
  await expect
    .poll(() => page.evaluate(async () => (await navigator.serviceWorker.getRegistration()) !== undefined), {
      timeout: 30_000,
    })
    .toBe(true);
  expect(await detectAstronaut(page)).toBe(1);

  await page.getByLabel('Photo folder', { exact: true }).setInputFiles(root);
  const result = page.getByRole('status', { name: 'Ingest result' });
  await expect(result).toContainText('2 faces from 2 of 3 photos', { timeout: 120_000 });

  // A usage logger would batch and upload later: stay idle a while with both detectors loaded.
  await page.waitForTimeout(15_000);

  const mediapipe = urls.filter((u) => u.includes('/vendor/mediapipe/'));
  console.log(
    `[e2e] ${urls.length} requests, ${mediapipe.length} to vendor/mediapipe: ${[...new Set(mediapipe.map((u) => u.split('/').pop()))].join(', ')}`,
  );
  console.log(
    `[e2e] proxy (every host but 127.0.0.1): ${attempts.length} attempts ${JSON.stringify([...new Set(attempts)])}`,
  );
  // Not vacuous: both workers' MediaPipe files were requested, and seen.
  expect(mediapipe.some((u) => u.endsWith('vision_wasm_module_internal.wasm'))).toBe(true);
  expect(mediapipe.some((u) => u.endsWith('face_detection_short_range.tflite'))).toBe(true);

  const offOrigin = urls.filter((u) => !(u.startsWith(`${origin}/`) || u.startsWith('data:') || u.startsWith('blob:')));
  expect(offOrigin, 'requests to another origin').toEqual([]);
  for (const endpoint of MEDIAPIPE_ENDPOINTS) {
    expect(
      urls.filter((u) => endpoint.test(u)),
      `requests matching ${endpoint}`,
    ).toEqual([]);
    expect(
      attempts.filter((a) => endpoint.test(a)),
      `proxy attempts matching ${endpoint}`,
    ).toEqual([]);
  }
  const fromBrowser = attempts.filter((a) => BROWSER_SERVICES.some((b) => b.test(a)));
  expect(
    attempts.filter((a) => !fromBrowser.includes(a)),
    'attempts to reach any host but the app',
  ).toEqual([]);
});
