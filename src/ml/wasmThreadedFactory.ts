/**
 * tfjs-backend-wasm's threaded-SIMD Emscripten factory, as the app runs it (issue 17 item 2). vite.config.ts
 * aliases the backend's own import of `../wasm-out/tfjs-backend-wasm-threaded-simd.js` to this module, which
 * calls the real factory with three changes to the config tfjs built (tfjs has no public hook for them):
 *
 * 1. **The pthread workers load self-hosted, unminified scripts.** tfjs hands each pthread worker the factory
 *    as `new Blob(['var WasmBackendModuleThreadedSimd = ' + factory.toString()])`. In the minified build that
 *    source is the minifier's output, which still refers to variables of the closure it was cut from: Emscripten's
 *    `typeof _scriptDir !== "undefined" && _scriptDir` becomes `e!==void 0&&e` (the minifier knows `_scriptDir`,
 *    renamed `e`, is declared in that closure), so the worker dies with `ReferenceError: e is not defined`.
 *    Instead the workers get `mainScriptUrlOrBlob` = the package's original `tfjs-backend-wasm-threaded-simd.js`,
 *    and the worker script itself (tfjs' `wasmWorkerContents`) as a file, both copied by vite.config.ts next to the
 *    .wasm files (vendor/tfjs-wasm/, found from tfjs' own `locateFile`, i.e. `setWasmPaths`). Everything stays on
 *    our origin and no blob: worker is needed (the CSP's `worker-src` is `'self'` only).
 * 2. **As many threads as logical processors.** tfjs' C++ sizes its thread pool from
 *    `emscripten_num_logical_cores() / 2` (navigator.hardwareConcurrency, halved on the assumption of two
 *    hyperthreads per core), read once by a static initialiser, and `setThreadsCount(n)` is capped by it: one
 *    thread on a 2-core machine. The wasm module's import of that one function is given twice
 *    navigator.hardwareConcurrency, which undoes the halving for this module only (nothing global is changed);
 *    `setThreadsCount` (src/ml/backend.ts) then decides, up to tfjs' maximum of 8.
 * 3. Because (2) needs the import object, the .wasm is fetched and instantiated here (`instantiateWasm`, the
 *    Emscripten hook for it), from the URL tfjs' `locateFile` gives.
 *
 * In Node (`src/ml/wasmNode.ts`, the tests) `@tensorflow/tfjs-backend-wasm` resolves to its single-file Node build,
 * which does not go through this module; multithreading is off there.
 */
import threadedSimdFactory, {
  type WasmFactoryConfig,
} from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';

export const THREADED_SIMD = 'tfjs-backend-wasm-threaded-simd';

/** Where the pthread worker's scripts are: beside the threaded .wasm that tfjs' `locateFile` points at. */
export function threadedScriptUrls(wasmUrl: string): { factory: string; worker: string } {
  const dir = wasmUrl.slice(0, wasmUrl.lastIndexOf('/') + 1);
  return { factory: `${dir}${THREADED_SIMD}.js`, worker: `${dir}${THREADED_SIMD}.worker.js` };
}

/** What the C++ side halves: twice the browser's logical processors, so its pool can have that many. */
export function reportedLogicalCores(hardwareConcurrency: number | undefined): number {
  return 2 * Math.max(1, Math.floor(hardwareConcurrency || 1));
}

type Imports = Record<string, Record<string, unknown>>;
type ReceiveInstance = (instance: WebAssembly.Instance, module: WebAssembly.Module) => void;

export default function threadedSimdFactoryWithAllCores(config: WasmFactoryConfig) {
  const locate = config.locateFile;
  if (!locate) throw new Error('wasmThreadedFactory: tfjs gave the factory no locateFile');
  const wasmUrl = locate(`${THREADED_SIMD}.wasm`, '');
  const scripts = threadedScriptUrls(wasmUrl);
  config.mainScriptUrlOrBlob = scripts.factory;
  config.locateFile = (path, prefix) => (path.endsWith('.worker.js') ? scripts.worker : locate(path, prefix));
  config.instantiateWasm = (imports: Imports, receive: ReceiveInstance) => {
    const cores = reportedLogicalCores(navigator.hardwareConcurrency);
    const env = { ...imports.env, emscripten_num_logical_cores: () => cores };
    fetch(wasmUrl, { credentials: 'same-origin' })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status} for ${wasmUrl}`);
        return response.arrayBuffer();
      })
      .then((bytes) => WebAssembly.instantiate(bytes, { ...imports, env } as WebAssembly.Imports))
      .then(
        ({ instance, module }) => receive(instance, module),
        (err: unknown) => {
          console.error(`wasmThreadedFactory: could not instantiate ${wasmUrl}:`, err);
          config.onAbort?.(String(err)); // tfjs rejects its init promise (the backend then fails to initialise)
        },
      );
    return {}; // Emscripten: the exports come later, through `receive`
  };
  return threadedSimdFactory(config);
}
