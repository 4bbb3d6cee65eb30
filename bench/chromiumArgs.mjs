/**
 * The Chromium command-line flags shared by the e2e tests (playwright.config.ts) and the bench scripts
 * (bench/preview.mjs): no sandbox (containers), no network chatter of the browser's own (QUIC, component
 * updates, sync, first-run), and WebGPU on SwiftShader where there is no GPU (see shared notes:
 * browser-testing.md). Plain ESM so Node imports it without a TypeScript loader; types in chromiumArgs.d.mts.
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
]);

/** Debian's Chromium unless CHROMIUM_PATH says otherwise (never a browser Playwright downloaded). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
