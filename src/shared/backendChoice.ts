/**
 * Backend choice by measurement (issue 8 item 4): on first use the page times one training step of the chosen
 * preset on each backend (in throwaway probe workers, each under a time cap) and keeps the fastest, cached per
 * device and preset. The user's setting or `?backend=` wins over it. Pure functions over timings and a
 * key-value store, so the rules are unit-tested without a browser.
 */
import type { BackendName } from './backends';
import type { Architecture } from './trainingConfig';

/** Measured first: the one backend that runs everywhere, so the caps of the others can follow its time. */
export const MEASURE_ORDER: readonly BackendName[] = ['wasm', 'webgpu', 'webgl', 'cpu'];

/** Images per timed step: enough to reach the real kernels, small enough for a first visit. */
export const PROBE_BATCH = 8;

/** A probe (worker start, backend start, warm-up step, timed step) never gets less than this… */
export const MIN_CAP_MS = 6_000;
/** …nor more than this. */
export const MAX_CAP_MS = 30_000;
/** A backend this many times slower than the best so far (whole probe) cannot win: it is cut off there. */
export const CAP_FACTOR = 3;

export interface BackendTiming {
  name: BackendName;
  ok: boolean;
  /** Milliseconds of the timed training step (ok only). */
  stepMs?: number;
  /** Milliseconds of the whole probe: worker and backend start, warm-up and timed step. */
  totalMs: number;
  /** Why it has no timing: did not start, failed, or went over its cap. */
  error?: string;
}

export interface BackendChoice {
  name: BackendName;
  preset: Architecture;
  batchSize: number;
  timings: BackendTiming[];
  measuredAt: number;
  /** Set when the choice was read back from the cache instead of measured in this visit. */
  cached?: boolean;
}

/** Time allowed for the next probe, given the probes so far. */
export function probeCapMs(done: readonly BackendTiming[]): number {
  const best = Math.min(...done.filter((t) => t.ok).map((t) => t.totalMs));
  if (!Number.isFinite(best)) return MAX_CAP_MS;
  return Math.min(MAX_CAP_MS, Math.max(MIN_CAP_MS, CAP_FACTOR * best));
}

/** The backend with the shortest timed step; null when none worked. Ties go to the earlier in MEASURE_ORDER. */
export function fastestBackend(timings: readonly BackendTiming[]): BackendName | null {
  let best: BackendTiming | null = null;
  for (const t of timings) if (t.ok && t.stepMs !== undefined && (!best || t.stepMs < best.stepMs!)) best = t;
  return best?.name ?? null;
}

export function imagesPerSecond(t: BackendTiming, batchSize: number): number | null {
  return t.ok && t.stepMs ? (batchSize * 1000) / t.stepMs : null;
}

/** One line for the header: each backend's speed, or why it has none. */
export function describeTimings(choice: Pick<BackendChoice, 'timings' | 'batchSize'>): string {
  return choice.timings
    .map((t) => {
      const ips = imagesPerSecond(t, choice.batchSize);
      return ips !== null ? `${t.name} ${ips.toFixed(ips < 10 ? 1 : 0)} img/s` : `${t.name} ${t.error ?? 'failed'}`;
    })
    .join(' · ');
}

/** Minimal Storage (localStorage in the page, a Map in tests). */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const CACHE_KEY = 'lookalike-lab:backend-choice:v1';
const OVERRIDE_KEY = 'lookalike-lab:backend-setting';

type Cache = Record<string, BackendChoice>;

function readCache(store: KeyValue): Cache {
  try {
    const parsed: unknown = JSON.parse(store.getItem(CACHE_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Cache) : {};
  } catch {
    return {};
  }
}

const entryKey = (device: string, preset: Architecture) => `${device}\n${preset}`;

export function cachedChoice(store: KeyValue, device: string, preset: Architecture): BackendChoice | null {
  const hit = readCache(store)[entryKey(device, preset)];
  return hit && typeof hit.name === 'string' && Array.isArray(hit.timings) ? { ...hit, cached: true } : null;
}

export function storeChoice(store: KeyValue, device: string, choice: BackendChoice): void {
  const cache = readCache(store);
  const plain = { ...choice };
  delete plain.cached;
  cache[entryKey(device, choice.preset)] = plain;
  try {
    store.setItem(CACHE_KEY, JSON.stringify(cache));
  } catch {
    // A full or disabled localStorage only means measuring again next time.
  }
}

/** The user's backend setting: a backend name, or null for "fastest, by measurement". */
export function backendSetting(store: KeyValue, valid: readonly string[]): BackendName | null {
  const v = store.getItem(OVERRIDE_KEY);
  return v && valid.includes(v) ? (v as BackendName) : null;
}

export function setBackendSetting(store: KeyValue, name: BackendName | null): void {
  if (name) store.setItem(OVERRIDE_KEY, name);
  else store.removeItem(OVERRIDE_KEY);
}

/**
 * What to run on: `?backend=` first, then the user's setting, then a cached measurement for this device and
 * preset; `measure` when none applies.
 */
export function decideBackend(opts: {
  fromUrl: BackendName | null;
  setting: BackendName | null;
  cached: BackendChoice | null;
}):
  | { source: 'url' | 'setting'; name: BackendName }
  | { source: 'cache'; choice: BackendChoice }
  | { source: 'measure' } {
  if (opts.fromUrl) return { source: 'url', name: opts.fromUrl };
  if (opts.setting) return { source: 'setting', name: opts.setting };
  if (opts.cached) return { source: 'cache', choice: opts.cached };
  return { source: 'measure' };
}
