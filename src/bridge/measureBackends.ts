/**
 * Backend choice by measurement, page side: each backend is timed in its own throwaway lab worker, which is
 * terminated when it goes over its cap (a software-rendered GPU backend can block its thread for minutes inside
 * one step, so only terminating the worker bounds it). The lab worker proper then starts on the fastest.
 */
import {
  MEASURE_ORDER,
  PROBE_BATCH,
  probeCapMs,
  fastestBackend,
  type BackendChoice,
  type BackendTiming,
} from '../shared/backendChoice';
import type { BackendName } from '../shared/backends';
import type { Architecture } from '../shared/trainingConfig';
import { LabBridge } from './labBridge';
import { errorMessage } from '../shared/errorMessage';

interface MinimalGpu {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

/** What identifies this device for the cache: browser, cores, GPU adapter and WebGL renderer. */
export async function deviceKey(): Promise<string> {
  let adapter = 'no-webgpu';
  try {
    const a = await (navigator as unknown as { gpu?: MinimalGpu }).gpu?.requestAdapter();
    if (a) adapter = [a.info?.vendor, a.info?.architecture, a.info?.description].filter(Boolean).join(' ') || 'webgpu';
  } catch {
    // no adapter: part of the key as such
  }
  let renderer = 'no-webgl';
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (gl) {
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  } catch {
    // no WebGL
  }
  return [navigator.userAgent, navigator.hardwareConcurrency, adapter, renderer].join(' | ');
}

async function probe(
  name: BackendName,
  preset: Architecture,
  baseUrl: string,
  capMs: number,
  includeSoftware: boolean,
  wasmThreads: number | null,
): Promise<BackendTiming> {
  const t0 = performance.now();
  const bridge = new LabBridge();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cap = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`over the ${(capMs / 1000).toFixed(0)} s cap`)), capMs);
  });
  try {
    const r = await Promise.race([
      bridge.call('timeBackend', {
        backend: name,
        baseUrl,
        preset,
        batchSize: PROBE_BATCH,
        includeSoftware,
        wasmThreads,
      }),
      cap,
    ]);
    return { name, ok: true, stepMs: r.stepMs, totalMs: performance.now() - t0 };
  } catch (err) {
    const message = errorMessage(err);
    return {
      name,
      ok: false,
      totalMs: performance.now() - t0,
      error: message.replace(/^No usable TensorFlow\.js backend \(\w+: (.*)\)$/, '$1'),
    };
  } finally {
    clearTimeout(timer);
    bridge.terminate();
  }
}

/**
 * `includeSoftware`: time software-emulated GPU backends too (`?probe=all`; they are skipped otherwise).
 * `wasmThreads`: the `?threads=` limit, so that wasm is timed as the lab worker will run it.
 */
export async function measureBackends(
  preset: Architecture,
  baseUrl: string,
  onProgress?: (t: BackendTiming[]) => void,
  includeSoftware = false,
  wasmThreads: number | null = null,
): Promise<BackendChoice> {
  const timings: BackendTiming[] = [];
  for (const name of MEASURE_ORDER) {
    if (name === 'cpu' && timings.some((t) => t.ok && t.name === 'wasm')) {
      // tfjs' cpu backend is plain JavaScript: 2.1 images/s against wasm's 58 for compact here (docs/
      // performance.md). Probing it would only cost a first visit its cap.
      timings.push({
        name,
        ok: false,
        totalMs: 0,
        error: 'not timed: wasm runs, and the plain-JavaScript cpu backend is slower',
      });
      continue;
    }
    timings.push(await probe(name, preset, baseUrl, probeCapMs(timings), includeSoftware, wasmThreads));
    onProgress?.([...timings]);
  }
  const name = fastestBackend(timings);
  if (!name)
    throw new Error(`No backend could run a training step (${timings.map((t) => `${t.name}: ${t.error}`).join('; ')})`);
  return { name, preset, batchSize: PROBE_BATCH, timings, measuredAt: Date.now() };
}
