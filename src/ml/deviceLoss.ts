/**
 * A lost WebGPU device (issue #9 item 2). tfjs 4.22 never looks at `GPUDevice.lost`: once the device is gone
 * (driver crash, GPU reset, another tab exhausting the GPU, or `destroy()`), every later kernel silently does
 * nothing or fails, and a training run stalls or dies with an unrelated error. So the lab worker watches the
 * promise itself and tells the page, which replaces the worker and resumes from the last checkpoint
 * (src/store/recovery.ts). The device is the tfjs WebGPU backend's `device` property (backend_webgpu.d.ts).
 */
import * as tf from '@tensorflow/tfjs';

/** The two members of GPUDevice we use (the worker's lib has no WebGPU types; see backend.ts). */
interface GpuDeviceLike {
  lost: Promise<{ reason?: string; message?: string }>;
  destroy(): void;
}

function webgpuDevice(): GpuDeviceLike | null {
  const backend = tf.findBackend('webgpu') as unknown as { device?: GpuDeviceLike } | null;
  return backend?.device ?? null;
}

const watched = new WeakSet<GpuDeviceLike>();

/** Calls `onLost` once when the WebGPU backend's device is lost; false when there is no WebGPU device. */
export function watchDeviceLoss(onLost: (info: { reason: string; message: string }) => void): boolean {
  const device = webgpuDevice();
  if (!device) return false;
  if (watched.has(device)) return true;
  watched.add(device);
  void device.lost.then((info) => onLost({ reason: info.reason ?? 'unknown', message: info.message ?? '' }));
  return true;
}

/** Test hook (`?fault=debug` only): destroys the device as a GPU reset would take it away. */
export function destroyDevice(): void {
  const device = webgpuDevice();
  if (!device) throw new Error('No WebGPU device to lose: the lab is not running on WebGPU.');
  device.destroy();
}
