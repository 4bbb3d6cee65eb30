import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, NO_BROWSER_HELP } from './bench/chromiumArgs.mjs';

/**
 * e2e runs against the production build (`vite preview`), in Debian's Chromium (never a downloaded one),
 * with the flags that give WebGPU on SwiftShader here (see shared notes: browser-testing.md), shared with the bench
 * scripts in bench/chromiumArgs.mjs.
 */
const PORT = Number(process.env.E2E_PORT ?? 4173);
// A system Chromium/Chrome (or CHROMIUM_PATH), else Playwright's own if installed; else one line that says what to do.
if (!CHROMIUM_PATH && !existsSync(chromium.executablePath())) throw new Error(NO_BROWSER_HELP);

export default defineConfig({
  testDir: 'e2e',
  timeout: 10 * 60_000,
  expect: { timeout: 30_000 },
  // Spec files run two at a time (each file's tests in order, one browser context per test): a spec spends much
  // of its time waiting on one tab's worker, so two files share CI's 2 cores well. E2E_WORKERS=1 serialises.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    // The production build registers an offline service worker; Playwright's request routing (our
    // off-origin guard) cannot see requests a service worker answers, so specs block it unless they test it.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
