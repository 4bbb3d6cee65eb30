/**
 * The Chromium command-line flags shared by the e2e tests (playwright.config.ts) and the bench scripts
 * (bench/preview.mjs): no sandbox (containers), no network chatter of the browser's own (QUIC, component
 * updates, sync, first-run), and WebGPU on SwiftShader where there is no GPU (see shared notes:
 * browser-testing.md). Plain ESM so Node imports it without a TypeScript loader; types in chromiumArgs.d.mts.
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
]);

/** Where a Chromium-family browser usually lives, in the order tried (Debian/Ubuntu, Fedora, snap, Chrome, macOS). */
export const KNOWN_BROWSERS = Object.freeze([
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
]);

/**
 * The browser the tests and benches drive: CHROMIUM_PATH when set, else the first system Chromium or Chrome found,
 * else undefined (Playwright then uses its own browser if one was installed with `npx playwright install chromium`;
 * this project's CI never downloads one: .ci/run installs Debian's chromium).
 */
export function findChromium(env = process.env, exists = existsSync) {
  if (env.CHROMIUM_PATH) return env.CHROMIUM_PATH;
  return KNOWN_BROWSERS.find((p) => exists(p));
}

export const CHROMIUM_PATH = findChromium();

/** One line that says how to get a browser, for when none is found. */
export const NO_BROWSER_HELP =
  'No Chromium or Chrome found for the browser tests. Install one (Debian/Ubuntu: sudo apt-get install chromium; macOS: install Google Chrome), or set CHROMIUM_PATH=/path/to/chrome, or run `npx playwright install chromium`.';
