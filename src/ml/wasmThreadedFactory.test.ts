import { describe, expect, it } from 'vitest';
import { reportedLogicalCores, threadedScriptUrls } from './wasmThreadedFactory';

describe('wasmThreadedFactory', () => {
  it('finds the pthread scripts beside the threaded .wasm that tfjs locates (setWasmPaths)', () => {
    expect(threadedScriptUrls('https://lab.example/sub/vendor/tfjs-wasm/tfjs-backend-wasm-threaded-simd.wasm')).toEqual(
      {
        factory: 'https://lab.example/sub/vendor/tfjs-wasm/tfjs-backend-wasm-threaded-simd.js',
        worker: 'https://lab.example/sub/vendor/tfjs-wasm/tfjs-backend-wasm-threaded-simd.worker.js',
      },
    );
  });

  it('reports twice the logical processors, which tfjs’ C++ halves back to one thread per processor', () => {
    expect(reportedLogicalCores(2)).toBe(4);
    expect(reportedLogicalCores(12)).toBe(24);
    expect(reportedLogicalCores(undefined)).toBe(2);
    expect(reportedLogicalCores(0)).toBe(2);
  });
});
