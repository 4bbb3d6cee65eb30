/// <reference types="vitest/config" />
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { patchFaceModel } from './scripts/patch-face-model.mjs';

/**
 * Copies runtime assets from node_modules into public/vendor so they are served from our own origin
 * (no CDN at run time). public/vendor is git-ignored: it is rebuilt on every dev/build start.
 */
function selfHostedAssets(): Plugin {
  const copies: Array<{ from: string; to: string; match: RegExp }> = [
    { from: 'node_modules/@tensorflow/tfjs-backend-wasm/dist', to: 'public/vendor/tfjs-wasm', match: /\.wasm$/ },
    // MediaPipe Tasks: only the ES-module variant that FilesetResolver.forVisionTasks(path, true) loads in a
    // module worker (the SIMD check is skipped when useModule is true).
    {
      from: 'node_modules/@mediapipe/tasks-vision/wasm',
      to: 'public/vendor/mediapipe',
      match: /^vision_wasm_module_internal\.(js|wasm)$/,
    },
  ];
  return {
    name: 'lookalike-self-hosted-assets',
    config() {
      for (const { from, to, match } of copies) {
        const src = resolve(import.meta.dirname, from);
        if (!existsSync(src)) throw new Error(`missing ${from}: run npm ci`);
        mkdirSync(resolve(import.meta.dirname, to), { recursive: true });
        for (const file of readdirSync(src).filter((f) => match.test(f))) {
          copyFileSync(resolve(src, file), resolve(import.meta.dirname, to, file));
        }
      }
      // BlazeFace short range with the TFLite metadata MediaPipe Tasks requires (see the script's header).
      patchFaceModel(resolve(import.meta.dirname, 'public/vendor/mediapipe/face_detection_short_range.tflite'));
      writeThreadedWasmScripts(resolve(import.meta.dirname, 'public/vendor/tfjs-wasm'));
    },
  };
}

/**
 * The two scripts tfjs' pthread workers load (src/ml/wasmThreadedFactory.ts says why they are files, not blobs):
 * the package's threaded-SIMD Emscripten factory, verbatim (never minified: the workers evaluate it on its own),
 * and the pthread worker script, which tfjs ships only as the string `wasmWorkerContents`. tfjs escapes that
 * string's newlines before putting it in a Blob (the one newline it holds sits inside a "\n" string literal);
 * the file gets the same escaping.
 */
function writeThreadedWasmScripts(dir: string): void {
  const require = createRequire(import.meta.url);
  const wasmOut = 'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out';
  copyFileSync(
    resolve(import.meta.dirname, wasmOut, 'tfjs-backend-wasm-threaded-simd.js'),
    resolve(dir, 'tfjs-backend-wasm-threaded-simd.js'),
  );
  const { wasmWorkerContents } = require(
    resolve(import.meta.dirname, wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'),
  ) as { wasmWorkerContents: string };
  writeFileSync(resolve(dir, 'tfjs-backend-wasm-threaded-simd.worker.js'), wasmWorkerContents.replace(/\n/g, '\\n'));
}

/**
 * tfjs-backend-wasm's import of its threaded-SIMD Emscripten factory (`../wasm-out/tfjs-backend-wasm-threaded-simd.js`
 * in dist/backend_wasm.js) goes to our wrapper, src/ml/wasmThreadedFactory.ts (self-hosted pthread scripts, which
 * the minified build needs, and a thread per logical processor), which imports the real factory by its package path.
 * Used by the worker build, the dev server and its dependency pre-bundling (a plain `resolve.alias` does not reach
 * relative imports inside a pre-bundled dependency), so dev and build run the same code.
 */
function tfjsWasmThreadedFactory(): Plugin {
  const wrapper = resolve(import.meta.dirname, 'src/ml/wasmThreadedFactory.ts');
  return {
    name: 'lookalike-tfjs-wasm-threaded-factory',
    enforce: 'pre', // before Vite's own resolver, which would resolve the relative path first
    resolveId(source, importer) {
      if (
        source === '../wasm-out/tfjs-backend-wasm-threaded-simd.js' &&
        importer &&
        /tfjs-backend-wasm[\\/]dist[\\/]/.test(importer)
      )
        return wrapper;
      return null;
    },
  };
}

/**
 * The app's Content-Security-Policy: nothing off-origin, no eval (wasm compilation only). Workers only from our own
 * files: tfjs' pthread workers too (src/ml/wasmThreadedFactory.ts), so no blob: workers.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
].join('; ');

/**
 * Headers for every response of the dev and preview servers (and dist/_headers for static hosts that read one;
 * the service worker adds them where a host cannot, scripts/sw-template.js): cross-origin isolation (COOP/COEP,
 * CORP on our own files; we load nothing off-origin), no MIME sniffing, no referrer (issues 17 and 18).
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
/** The CSP as a header also covers workers (a <meta> tag reaches only the page) and can forbid framing. */
const CSP_HEADER = `${CSP}; frame-ancestors 'none'`;

/**
 * The production build carries the CSP as a <meta> tag too (for hosts that send no headers and a first visit
 * before the service worker runs). The dev server is left without a CSP: React Fast Refresh injects an inline script.
 */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'lookalike-csp',
    apply: 'build',
    transformIndexHtml: (html) =>
      html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

/**
 * Writes dist/sw.js (from scripts/sw-template.js) with the list of files to precache: everything the build
 * wrote except MediaPipe (cached on first use: most visitors never detect a face). The tfjs wasm binaries are all
 * precached: the threaded one runs wherever the page is cross-origin isolated (the service worker makes it so), the
 * others where it is not. The version is a hash of the files, so a new build replaces the cache.
 */
function offlineServiceWorker(): Plugin {
  let outDir = 'dist';
  return {
    name: 'lookalike-offline-sw',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const full = resolve(dir, name);
          if (statSync(full).isDirectory()) walk(full);
          else files.push(relative(outDir, full).split('\\').join('/'));
        }
      };
      walk(outDir);
      const precache = files
        .filter((f) => f !== 'sw.js' && f !== '_headers' && !f.startsWith('vendor/mediapipe/'))
        .sort()
        .map((f) => (f === 'index.html' ? './' : f));
      const hash = createHash('sha256');
      for (const f of files.filter((f) => f !== 'sw.js').sort())
        hash.update(f).update(readFileSync(resolve(outDir, f)));
      const template = readFileSync(resolve(import.meta.dirname, 'scripts/sw-template.js'), 'utf8');
      writeFileSync(
        resolve(outDir, 'sw.js'),
        template
          .replace('__VERSION__', hash.digest('hex').slice(0, 16))
          .replace('__PRECACHE__', JSON.stringify(precache, null, 1))
          .replace('__CSP__', JSON.stringify(CSP)),
      );
      // Netlify / Cloudflare Pages style headers file, for hosts that read one.
      const headerLines = Object.entries({ ...SECURITY_HEADERS, 'Content-Security-Policy': CSP_HEADER }).map(
        ([k, v]) => `  ${k}: ${v}`,
      );
      writeFileSync(resolve(outDir, '_headers'), `/*\n${headerLines.join('\n')}\n`);
    },
  };
}

export default defineConfig({
  // Relative base: the static build works from any sub-path of any host.
  base: './',
  plugins: [react(), selfHostedAssets(), tfjsWasmThreadedFactory(), contentSecurityPolicy(), offlineServiceWorker()],
  optimizeDeps: { rolldownOptions: { plugins: [tfjsWasmThreadedFactory()] } },
  // The build bundles workers with these plugins only (the dev server uses `plugins` for them too).
  worker: { format: 'es', plugins: () => [tfjsWasmThreadedFactory()] },

  server: { headers: SECURITY_HEADERS },
  preview: { headers: { ...SECURITY_HEADERS, 'Content-Security-Policy': CSP_HEADER } },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  test: {
    // Experiments (long measurements behind README numbers, not tests) run only when asked: EXPERIMENT=1.
    include: process.env.EXPERIMENT ? ['src/**/*.experiment.ts'] : ['src/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['src/test/setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one fork per core minus one: a single fork on CI's 2 cores, which left one core idle
    // while the training tests ran (each fork runs tfjs on one thread). Two forks use both.
    maxWorkers: 2,
  },
});
