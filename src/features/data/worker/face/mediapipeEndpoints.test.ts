/**
 * Issue #9 item 8, the static half: the MediaPipe files this app ships (the tasks-vision JS bundled into the
 * face and ingest workers, and the module wasm + glue copied to vendor/mediapipe/ by vite.config.ts) name no
 * telemetry endpoint and no host outside a reviewed list. @mediapipe/tasks-vision 0.10.35 has no usage logger
 * for the web (no Clearcut uploader, unlike its native builds: google-ai-edge/mediapipe#6291); an upgrade that
 * brings one, or any new URL, fails here and has to be reviewed. The runtime half is e2e/no-telemetry.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEDIAPIPE_ENDPOINTS } from '../../../../test/mediapipeEndpoints';

// The package's entry (vision_bundle.*) sits at its root; package.json itself is not exported.
const root = dirname(createRequire(import.meta.url).resolve('@mediapipe/tasks-vision'));
const SHIPPED = ['vision_bundle.mjs', 'wasm/vision_wasm_module_internal.js', 'wasm/vision_wasm_module_internal.wasm'];

/**
 * Hosts in URLs of the shipped files, each read in context: references in comments and error messages
 * (specs, bug trackers, docs), an example in Emscripten's URL parser, internal Google short links in wasm
 * strings ("go", "goto"), and TensorFlow Lite's "see tensorflow.org/lite/guide/ops_…" error text.
 */
const REVIEWED_HOSTS = new Set([
  'bugzil.la',
  'developer.mozilla.org',
  'en.wikipedia.org',
  'github.com',
  'kripken.github.io',
  'pubs.opengroup.org',
  'server.com',
  'tools.ietf.org',
  'unicode.org',
  'webkit.org',
  'www.ietf.org',
  'www.khronos.org',
  'www.w3.org',
  'go',
  'goto',
  'www.tensorflow.org',
]);

const read = (file: string) => readFileSync(join(root, file)).toString('latin1');

describe('the MediaPipe files we ship', () => {
  it('is version 0.10.35 (the version this was reviewed for)', () => {
    expect(JSON.parse(read('package.json')).version).toBe('0.10.35');
  });

  it.each(SHIPPED)('%s names no telemetry endpoint, no uploader and no unreviewed host', (file) => {
    const text = read(file);
    expect(text.length).toBeGreaterThan(100_000);
    for (const endpoint of MEDIAPIPE_ENDPOINTS) expect(text.match(endpoint), `${file} matches ${endpoint}`).toBeNull();
    // The uploader's own names and the browser's fire-and-forget channels.
    for (const marker of [
      /portable_clearcut|clearcut_uploader|playlog/i,
      /sendBeacon/,
      /new WebSocket/,
      /\bimportScripts\(\s*["']https?:/,
    ]) {
      expect(text.match(marker), `${file} matches ${marker}`).toBeNull();
    }
    const hosts = new Set([...text.matchAll(/https?:\/\/([A-Za-z0-9.-]+)/g)].map((m) => m[1]));
    expect([...hosts].filter((h) => !REVIEWED_HOSTS.has(h))).toEqual([]);
    // "type.googleapis.com/…" occurs only as protobuf Any type names (never fetched): no other googleapis host.
    expect(
      [...text.matchAll(/[A-Za-z0-9-]+\.googleapis\.com/g)].map((m) => m[0]).filter((h) => h !== 'type.googleapis.com'),
    ).toEqual([]);
  });
});
