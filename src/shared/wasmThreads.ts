/**
 * How many threads tfjs' wasm backend runs in the lab worker (issue 17 item 2), and how the header says it.
 * Thread-neutral: the worker decides (src/ml/backend.ts), the page shows it (src/app/App.tsx).
 */

/** tfjs-backend-wasm's thread pool never exceeds this (its C++ `max_num_threads`, and its 8 pre-started pthread workers). */
export const WASM_MAX_THREADS = 8;

/**
 * One thread per logical processor the browser reports (tfjs' own default is half that, see
 * src/ml/wasmThreadedFactory.ts), up to tfjs' 8; `requested` (the `?threads=` URL parameter, for benchmarks and
 * tests) lowers it. The threaded build needs SharedArrayBuffer, i.e. a cross-origin isolated worker (COOP/COEP from
 * the server or the service worker): without it, or with one thread to run, it is 1 — the single-threaded SIMD
 * build, as before issue 17.
 */
export function wasmThreadPlan(
  env: { crossOriginIsolated: boolean; hardwareConcurrency: number | undefined },
  requested?: number | null,
): number {
  const cores = Math.max(1, Math.floor(env.hardwareConcurrency || 1));
  const wanted = requested != null && requested >= 1 ? Math.floor(requested) : cores;
  return env.crossOriginIsolated ? Math.max(1, Math.min(wanted, cores, WASM_MAX_THREADS)) : 1;
}

/** wasm's thread count for the header's backend line: " · 2 threads"; one thread says why when the page is not isolated. */
export function describeThreads(threads: number | undefined, isolated: boolean): string {
  if (threads == null) return '';
  return ` · ${threads} thread${threads === 1 ? '' : 's'}${threads === 1 && !isolated ? ' (not cross-origin isolated)' : ''}`;
}
