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
 */

const active = new Map<string, number>();

/** `specs` like ['checkpoint-quota:2']; unknown names are ignored. */
export function setFaults(specs: readonly string[]): void {
  active.clear();
  chunkWrites.clear();
  for (const spec of specs) {
    const [name, arg] = spec.split(':');
    if (name === 'checkpoint-quota' || name === 'ingest-quota') active.set(name, Number(arg) || 1);
    if (name === 'debug' || name === 'webgpu-unavailable') active.set(name, 1);
  }
}

/** Whether a switch-like fault (`debug`, `webgpu-unavailable`) is on. */
export function faultActive(name: 'debug' | 'webgpu-unavailable'): boolean {
  return active.has(name);
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
