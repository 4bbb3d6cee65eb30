/**
 * The static build served under a sub-path (/lookalike-lab/, as GitHub Pages does) by `vite preview --base`:
 * a fresh context opens `?demo`, sees filters, clicks a face and gets it fooled (time printed); then the
 * network is cut (Playwright offline) and the same flow works again from the service worker's cache.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures/lab';

const PORT = 4180;
const ROOT = `http://127.0.0.1:${PORT}/lookalike-lab/`;
let server: ChildProcess;

test.use({ serviceWorkers: 'allow', baseURL: ROOT });

test.beforeAll(async () => {
  server = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--base', '/lookalike-lab/'],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(ROOT)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('vite preview did not start');
});

test.afterAll(() => {
  server?.kill();
});

async function demoToFooledFace(page: Page, label: string): Promise<void> {
  const t0 = Date.now();
  await page.goto(`${ROOT}?demo&backend=wasm`);
  const face = page.locator('button[data-correct="true"]').first();
  await expect(face).toBeVisible({ timeout: 120_000 });
  await page.getByLabel('Bound').selectOption('range');
  await face.click();
  await expect(page.getByRole('region', { name: 'Fooled face' })).toContainText(/fooled: \S+ (9\d|100)\.\d %/, {
    timeout: 120_000,
  });
  const ms = Date.now() - t0;
  await page.getByRole('link', { name: 'See' }).click();
  await page.getByRole('button', { name: 'Show filters' }).click();
  await expect(page.getByRole('region', { name: 'Filters' })).toContainText('4 conv layers, 176 filters');
  console.log(`[e2e] ${label}: link → fooled face on screen in ${(ms / 1000).toFixed(1)} s, then filters shown`);
}

test('under /lookalike-lab/: ?demo to a fooled face, then the same with the network off', async ({ page, context }) => {
  await demoToFooledFace(page, 'sub-path, online');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 30_000 })
    .toBe(true);

  await context.setOffline(true);
  // A fresh start of the app with no network: the service worker serves everything (IndexedDB still has the demo).
  await demoToFooledFace(page, 'sub-path, offline');
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
});
