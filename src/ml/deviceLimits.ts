/**
 * The limits of the worker's current TensorFlow.js backend that decide whether a preset can train on it
 * (src/shared/fitCheck.ts): the WebGPU device's buffer limits, WebGL's MAX_TEXTURE_SIZE and the texture flags
 * tfjs shapes its textures by, the wasm heap. Read from what tfjs actually created, not from a fresh adapter or
 * context, because those are what the training will run on.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpuMaxBindingFault } from '../db/faults';
import type { BackendLimits } from '../shared/fitCheck';

/**
 * The largest heap tfjs' wasm builds can grow to: Emscripten's `getHeapMax()` returns 4,294,901,760 (4 GiB − 64 KiB,
 * wasm32) in every 4.22 build (wasm-out/*.js; deviceLimits.test.ts checks it). A page cannot read a
 * WebAssembly.Memory's maximum, so it is a constant here.
 */
export const WASM_HEAP_MAX_BYTES = 4_294_901_760;

/** The two GPUSupportedLimits fields we read (the worker's lib has no WebGPU types; see backend.ts). */
interface WebgpuBackendLike {
  device?: { limits: { maxStorageBufferBindingSize: number; maxBufferSize: number } };
}

/** `adapter`: how the page names the WebGPU adapter (the worker's BackendInfo), shown beside its limits. */
export function readDeviceLimits(adapter = ''): BackendLimits {
  const name = tf.getBackend();
  switch (name) {
    case 'wasm': {
      const heap = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8;
      return { backend: 'wasm', heapMaxBytes: WASM_HEAP_MAX_BYTES, heapBytes: heap ? heap.byteLength : null };
    }
    case 'webgpu': {
      const limits = (tf.backend() as unknown as WebgpuBackendLike).device?.limits;
      if (!limits) throw new Error('The WebGPU backend has no device to read limits from.');
      const lowered = webgpuMaxBindingFault();
      const injected = lowered !== null && lowered < limits.maxStorageBufferBindingSize;
      return {
        backend: 'webgpu',
        maxStorageBufferBindingSize: injected ? lowered : limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        adapter,
        ...(injected ? { injected: `?fault=webgpu-max-binding:${lowered}` } : {}),
      };
    }
    case 'webgl': {
      // The flags, not a fresh context's MAX_TEXTURE_SIZE: tfjs shapes and validates its textures by these.
      const env = tf.env();
      return {
        backend: 'webgl',
        maxTextureSize: env.getNumber('WEBGL_MAX_TEXTURE_SIZE'),
        maxSizeForNarrowTexture: env.getNumber('WEBGL_MAX_SIZE_FOR_NARROW_TEXTURE'),
        autoSquarifyNarrowTexture: env.getBool('WEBGL_AUTO_SQUARIFY_NARROW_TEXTURE_SHAPE'),
        webglVersion: env.getNumber('WEBGL_VERSION'),
        packed: env.getBool('WEBGL_PACK'),
        convIm2col: env.getBool('WEBGL_CONV_IM2COL'),
        float32: env.getBool('WEBGL_RENDER_FLOAT32_ENABLED'),
      };
    }
    case 'cpu':
      return { backend: 'cpu' };
    default:
      throw new Error(`No device limits known for the ${name} backend.`);
  }
}
