import { describe, expect, it } from 'vitest';
import { WASM_MAX_THREADS, describeThreads, wasmThreadPlan } from './wasmThreads';

describe('wasmThreadPlan', () => {
  it('runs a thread per logical processor when cross-origin isolated, up to tfjs’ 8', () => {
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 2 })).toBe(2);
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 6 })).toBe(6);
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 32 })).toBe(WASM_MAX_THREADS);
  });

  it('is single-threaded without isolation (no SharedArrayBuffer) or with one core', () => {
    expect(wasmThreadPlan({ crossOriginIsolated: false, hardwareConcurrency: 16 })).toBe(1);
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 1 })).toBe(1);
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: undefined })).toBe(1);
  });

  it('takes ?threads= as an upper limit, never above the cores', () => {
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 8 }, 1)).toBe(1);
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 8 }, 3)).toBe(3);
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 2 }, 4)).toBe(2);
    expect(wasmThreadPlan({ crossOriginIsolated: false, hardwareConcurrency: 8 }, 4)).toBe(1);
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 4 }, 0)).toBe(4); // not a limit: ignored
    expect(wasmThreadPlan({ crossOriginIsolated: true, hardwareConcurrency: 4 }, null)).toBe(4);
  });
});

describe('describeThreads', () => {
  it('says how many threads wasm runs, and why only one when not isolated', () => {
    expect(describeThreads(2, true)).toBe(' · 2 threads');
    expect(describeThreads(1, true)).toBe(' · 1 thread');
    expect(describeThreads(1, false)).toBe(' · 1 thread (not cross-origin isolated)');
    expect(describeThreads(undefined, true)).toBe('');
  });
});
