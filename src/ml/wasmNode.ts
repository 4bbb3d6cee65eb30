/**
 * Test helper (Node / Vitest only): runs tfjs on the wasm backend, with our training kernels, in Node.
 *
 * In Node, '@tensorflow/tfjs-backend-wasm' resolves to dist/tf-backend-wasm.node.js, whose Emscripten glue reads
 * the .wasm binary with fs from the prefix we give `setWasmPaths` (a plain absolute directory, trailing slash,
 * and usePlatformFetch = false: Node's fetch cannot read file paths). Multithreading stays off here: tfjs' Node
 * build does not go through our threaded-factory wrapper (src/ml/wasmThreadedFactory.ts) and tfjs reports no
 * thread support in Node; the browser's lab worker runs threads (src/ml/backend.ts). SIMD works in Node ≥ 16 and is
 * kept when it validates.
 */
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './wasmKernels';
import { registerBatchNormGradient } from './batchNormGrad';

let pathsSet = false;

/** The absolute directory (with trailing separator) holding tfjs-backend-wasm's .wasm files. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep;
}

export async function setupWasmInNode(options: { simd?: boolean } = {}): Promise<void> {
  if (!pathsSet) {
    // Must precede the backend's first initialisation (tf.setBackend / tf.ready).
    setWasmPaths(wasmDistDir());
    pathsSet = true;
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const simd = options.simd ?? (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  tf.env().set('WASM_HAS_SIMD_SUPPORT', simd);
  registerWasmTrainingKernels();
  registerBatchNormGradient(); // as the lab worker does (src/ml/backend.ts)
  if (!(await tf.setBackend('wasm'))) throw new Error('setupWasmInNode: the wasm backend failed to initialise');
}
