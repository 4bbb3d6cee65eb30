/**
 * Fault injection for reliability tests (issue #9), off unless the page is opened with `?fault=NAME:ARG`
 * (forwarded to the lab and ingest workers). Used because the browser cannot be made to fail on cue: Chromium's
 * DevTools quota override (`Storage.overrideQuotaForOrigin`) refused ingest writes once, after 21 faces with
 * 2 MB of headroom, then let a whole ingest through with no headroom, and let a 3 MB checkpoint through with
 * the quota at half the usage (e2e/storage-full.spec.ts, measured). So the hooks abort the REAL transaction
 * with the error a full disk raises:
 * - `checkpoint-quota:N`: the checkpoint of every epoch ≥ N;
 * - `ingest-quota:N`: the N-th and every later image-chunk write of a dataset (an ingest saves about every
 *   second, so N = 3 lets two saves through whatever the machine's speed).
 * - `debug`: the workers accept the debug calls that crash them or destroy the WebGPU device (issue #9 items 2
 *   and 5; src/store/recovery.ts), so a production user cannot trigger them by accident;
 * - `webgpu-unavailable`: a lab worker started to replace one whose GPU device was lost refuses WebGPU, as a
 *   GPU that does not come back would (tests the fallback to the next backend).
 * - `checkpoint-hold:N`: the epoch-N checkpoint transaction issues its puts, then is kept open (a chain of
 *   cheap reads on the same transaction, so it cannot auto-commit) for up to CHECKPOINT_HOLD_MS while the
 *   worker holds the Web Lock CHECKPOINT_HOLD_LOCK: a test sees the lock, closes the page, and checks that the
 *   killed write left nothing behind (e2e/checkpoint-kill.spec.ts). After the hold the write commits normally.
 * - `init-hang:N`: the first N lab workers started to replace a crashed or GPU-less one never answer `init`
 *   (as a `requestDevice` that never settles); the page counts the replacements (faultsForReplacement).
 * - `init-timeout-ms:MS`: how long the page waits for a replacement's `init` (src/store/recovery.ts; 45 s
 *   otherwise), so a test of the timeout need not wait 45 s.
 * - `webgpu-max-binding:BYTES`: the lab worker reports this (when lower) as its WebGPU device's
 *   maxStorageBufferBindingSize (src/ml/deviceLimits.ts), so the Train page's "will not fit" path can be tested on
 *   a GPU whose real limit is larger (SwiftShader's 1 GiB; e2e/preset-fit.spec.ts). Nothing else is limited.
 */

const active = new Map<string, number>();

/** `specs` like ['checkpoint-quota:2']; unknown names are ignored. */
export function setFaults(specs: readonly string[]): void {
  active.clear();
  chunkWrites.clear();
  for (const spec of specs) {
    const [name, arg] = spec.split(':');
    if (name === 'checkpoint-quota' || name === 'ingest-quota' || name === 'checkpoint-hold')
      active.set(name, Number(arg) || 1);
    if (name === 'debug' || name === 'webgpu-unavailable' || name === 'init-hang') active.set(name, 1);
    if (name === 'webgpu-max-binding' && Number(arg) > 0) active.set(name, Number(arg));
  }
}

/** The binding limit `webgpu-max-binding:BYTES` reports, or null. */
export function webgpuMaxBindingFault(): number | null {
  return active.get('webgpu-max-binding') ?? null;
}

/** Whether a switch-like fault (`debug`, `webgpu-unavailable`, `init-hang`) is on. */
export function faultActive(name: 'debug' | 'webgpu-unavailable' | 'init-hang'): boolean {
  return active.has(name);
}

/** The Web Lock a worker holds while it keeps a checkpoint transaction open under `checkpoint-hold`. */
export const CHECKPOINT_HOLD_LOCK = 'lookalike-lab:fault:checkpoint-hold';
/** How long `checkpoint-hold` keeps the transaction open before letting it commit. */
export const CHECKPOINT_HOLD_MS = 60_000;

/** Whether the checkpoint of `epoch` must be held open (`checkpoint-hold:N`, exactly epoch N). */
export function checkpointHoldFault(epoch: number): boolean {
  return active.get('checkpoint-hold') === epoch;
}

/**
 * The faults a replacement lab worker is initialised with, `n` counting the replacements this page started
 * (1 = the first): `init-hang:N` is passed to the first N only. Page side (the workers cannot count).
 */
export function faultsForReplacement(specs: readonly string[], n: number): string[] {
  return specs.filter((spec) => {
    const [name, arg] = spec.split(':');
    return name !== 'init-hang' || n <= (Number(arg) || 1);
  });
}

/** `init-timeout-ms:MS` from `specs`, else `fallback`. */
export function initTimeoutMs(specs: readonly string[], fallback: number): number {
  for (const spec of specs) {
    const [name, arg] = spec.split(':');
    const ms = Number(arg);
    if (name === 'init-timeout-ms' && Number.isFinite(ms) && ms > 0) return ms;
  }
  return fallback;
}

/** Whether the checkpoint of `epoch` must fail as if the disk were full. */
export function checkpointQuotaFault(epoch: number): boolean {
  const from = active.get('checkpoint-quota');
  return from !== undefined && epoch >= from;
}

const chunkWrites = new Map<string, number>();

/** Counts one image-chunk write of `datasetId`; true when it must fail as if the disk were full. */
export function ingestQuotaFault(datasetId: string): boolean {
  const from = active.get('ingest-quota');
  if (from === undefined) return false;
  const n = (chunkWrites.get(datasetId) ?? 0) + 1;
  chunkWrites.set(datasetId, n);
  return n >= from;
}

/** The error a full disk raises in IndexedDB. */
export function quotaError(what: string): DOMException {
  return new DOMException(`injected fault: storage quota exceeded ${what}`, 'QuotaExceededError');
}
