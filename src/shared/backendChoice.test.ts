import { describe, expect, it } from 'vitest';
import {
  MAX_CAP_MS,
  MIN_CAP_MS,
  backendSetting,
  cachedChoice,
  decideBackend,
  describeTimings,
  fastestBackend,
  probeCapMs,
  setBackendSetting,
  storeChoice,
  type BackendChoice,
  type BackendTiming,
  type KeyValue,
} from './backendChoice';
import { BACKENDS } from './backends';

function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const timings: BackendTiming[] = [
  { name: 'wasm', ok: true, stepMs: 400, totalMs: 2000 },
  { name: 'webgpu', ok: false, totalMs: 6000, error: 'over the 6 s cap' },
  { name: 'webgl', ok: true, stepMs: 900, totalMs: 5000 },
  { name: 'cpu', ok: false, totalMs: 10, error: 'failed to start' },
];
const choice: BackendChoice = { name: 'wasm', preset: 'compact', batchSize: 8, timings, measuredAt: 1 };

describe('backend choice by measurement', () => {
  it('picks the shortest timed step among the backends that worked', () => {
    expect(fastestBackend(timings)).toBe('wasm');
    expect(fastestBackend([...timings, { name: 'webgpu', ok: true, stepMs: 100, totalMs: 9000 }])).toBe('webgpu');
    expect(fastestBackend(timings.filter((t) => !t.ok))).toBeNull();
    // A tie keeps the one measured first.
    expect(
      fastestBackend([
        { name: 'wasm', ok: true, stepMs: 5, totalMs: 1 },
        { name: 'cpu', ok: true, stepMs: 5, totalMs: 1 },
      ]),
    ).toBe('wasm');
  });

  it('caps each probe at a multiple of the best whole probe so far, within bounds', () => {
    expect(probeCapMs([])).toBe(MAX_CAP_MS);
    expect(probeCapMs([{ name: 'wasm', ok: true, stepMs: 50, totalMs: 500 }])).toBe(MIN_CAP_MS);
    expect(probeCapMs([{ name: 'wasm', ok: true, stepMs: 900, totalMs: 4000 }])).toBe(12_000);
    expect(probeCapMs([{ name: 'wasm', ok: true, stepMs: 9000, totalMs: 60_000 }])).toBe(MAX_CAP_MS);
    expect(probeCapMs([{ name: 'wasm', ok: false, totalMs: 100 }])).toBe(MAX_CAP_MS);
  });

  it('describes every backend: images/s or why not', () => {
    expect(describeTimings(choice)).toBe(
      'wasm 20 img/s · webgpu over the 6 s cap · webgl 8.9 img/s · cpu failed to start',
    );
  });

  it('caches per device and preset, and survives a broken cache', () => {
    const store = memory();
    expect(cachedChoice(store, 'dev-a', 'compact')).toBeNull();
    storeChoice(store, 'dev-a', choice);
    expect(cachedChoice(store, 'dev-a', 'compact')).toEqual({ ...choice, cached: true });
    expect(cachedChoice(store, 'dev-a', 'vgg16')).toBeNull();
    expect(cachedChoice(store, 'dev-b', 'compact')).toBeNull();
    storeChoice(store, 'dev-a', { ...choice, preset: 'vgg16', name: 'webgl' });
    expect(cachedChoice(store, 'dev-a', 'vgg16')?.name).toBe('webgl');
    expect(cachedChoice(store, 'dev-a', 'compact')?.name).toBe('wasm');
    for (const key of store.data.keys()) store.setItem(key, '{not json');
    expect(cachedChoice(store, 'dev-a', 'compact')).toBeNull();
  });

  it('lets ?backend= win over the setting, the setting over the cache, and measures only without any', () => {
    const store = memory();
    expect(backendSetting(store, BACKENDS)).toBeNull();
    setBackendSetting(store, 'cpu');
    expect(backendSetting(store, BACKENDS)).toBe('cpu');
    store.setItem('lookalike-lab:backend-setting', 'quantum');
    expect(backendSetting(store, BACKENDS)).toBeNull();
    setBackendSetting(store, null);
    expect(backendSetting(store, BACKENDS)).toBeNull();

    const cached = { ...choice, cached: true };
    expect(decideBackend({ fromUrl: 'webgl', setting: 'cpu', cached })).toEqual({ source: 'url', name: 'webgl' });
    expect(decideBackend({ fromUrl: null, setting: 'cpu', cached })).toEqual({ source: 'setting', name: 'cpu' });
    expect(decideBackend({ fromUrl: null, setting: null, cached })).toEqual({ source: 'cache', choice: cached });
    expect(decideBackend({ fromUrl: null, setting: null, cached: null })).toEqual({ source: 'measure' });
  });
});
