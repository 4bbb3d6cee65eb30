/**
 * readDeviceLimits on the backends Node has (cpu, wasm); WebGPU and WebGL are read in the browser
 * (e2e/preset-fit.spec.ts). The wasm heap maximum is a constant because a page cannot read it: here it is
 * checked against the Emscripten glue tfjs ships, so an upgrade that changes it fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { readDeviceLimits, WASM_HEAP_MAX_BYTES } from './deviceLimits';
import { setupWasmInNode, wasmDistDir } from './wasmNode';

describe('readDeviceLimits', () => {
  it('WASM_HEAP_MAX_BYTES is getHeapMax() of every tfjs wasm build', () => {
    const dir = join(wasmDistDir(), '..', 'wasm-out');
    const glue = readdirSync(dir).filter((f) => /^tfjs-backend-wasm.*\.js$/.test(f) && !f.includes('worker'));
    expect(glue.length).toBeGreaterThanOrEqual(3); // plain, SIMD, threaded SIMD
    for (const file of glue) {
      const max = /function getHeapMax\(\)\{return (\d+)\}/.exec(readFileSync(join(dir, file), 'utf8'));
      expect(max, file).not.toBeNull();
      expect(Number(max![1]), file).toBe(WASM_HEAP_MAX_BYTES);
    }
  });

  it('cpu: nothing to read', async () => {
    await tf.setBackend('cpu');
    expect(readDeviceLimits()).toEqual({ backend: 'cpu' });
  });

  it("wasm: the heap maximum and the heap's size now, in whole 64 KiB pages", async () => {
    await setupWasmInNode();
    const before = readDeviceLimits();
    expect(before).toMatchObject({ backend: 'wasm', heapMaxBytes: 4_294_901_760 });
    const heap = before.backend === 'wasm' ? before.heapBytes! : 0;
    expect(heap % 65_536).toBe(0);
    // A 400 MB tensor makes the heap grow, and the next read says so.
    const big = tf.zeros([100_000_000]);
    const after = readDeviceLimits();
    big.dispose();
    const grown = after.backend === 'wasm' ? after.heapBytes! : 0;
    expect(grown).toBeGreaterThan(Math.max(heap, 400_000_000));
    expect(grown % 65_536).toBe(0);
  });
});
