/**
 * The lab worker's platform calls (start a backend, describe a model, device limits) and the message types every
 * capability shares. Each capability declares its own calls in src/features/<capability>/shared/protocol.ts;
 * src/features/labApi.ts composes them into the one typed protocol of the lab worker.
 * Plain data and typed arrays only: tensors never cross the worker boundary.
 */
import type { BackendChoice } from './backendChoice';
import type { BackendName } from './backends';
import type { BackendLimits } from './fitCheck';
import type { Architecture, ModelOptions } from './trainingConfig';
import type { KernelChoice } from './webgpuKernelChoice';

// Defined in backends.ts (which backendChoice.ts also reads).
export { BACKENDS, type BackendName } from './backends';

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
}

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why the backend was refused (init failure or failed smoke test). */
  error?: string;
  ms: number;
}

export interface BackendInfo {
  name: BackendName;
  forced: boolean;
  adapter: AdapterDescription | null;
  attempts: BackendAttempt[];
  /** Set by the page when the backend was picked by timing a training step on each (src/shared/backendChoice.ts). */
  choice?: BackendChoice;
  /** WebGPU only: whether our kernels or tfjs' run on this adapter, and why (shared/webgpuKernelChoice.ts). */
  kernels?: KernelChoice;
  /** wasm only: the threads tfjs' wasm backend runs (1 = the single-threaded build; src/ml/backend.ts). */
  threads?: number;
}

export interface LayerRow {
  name: string;
  className: string;
  outputShape: string;
  params: number;
}

export interface ModelSummary {
  name: string;
  layers: LayerRow[];
  totalParams: number;
  trainableParams: number;
}

export type SplitName = 'train' | 'test' | 'validation';

export interface InitArgs {
  /** Force one backend (the `?backend=` URL parameter); null tries webgpu → webgl → wasm → cpu. */
  backend: BackendName | null;
  /** Absolute URL of the app's base, to find self-hosted wasm files. */
  baseUrl: string;
  /** Reliability tests only: the page's `?fault=` values (src/db/faults.ts). */
  faults?: string[];
  /** Set when this worker replaces one that was lost: why (src/store/recovery.ts). */
  after?: 'device-lost' | 'crash';
  /** At most this many wasm threads (the `?threads=` URL parameter; 1 = the single-threaded build). Default: one per core. */
  wasmThreads?: number | null;
}

export interface PlatformApi {
  init(args: InitArgs): Promise<BackendInfo>;
  summarize(options: ModelOptions): Promise<ModelSummary>;
  /** The limits of this worker's backend that decide whether a preset fits (src/shared/fitCheck.ts). */
  deviceLimits(): Promise<BackendLimits>;
  /** Backend choice by measurement: start `backend` (this worker is a throwaway probe) and time one training step of `preset`. */
  timeBackend(args: {
    backend: BackendName;
    baseUrl: string;
    preset: Architecture;
    batchSize: number;
    includeSoftware?: boolean;
    wasmThreads?: number | null;
  }): Promise<{ warmupMs: number; stepMs: number }>;
}

/** What each call reports while it runs (`never`: no progress). */
export interface PlatformProgress {
  init: never;
  summarize: never;
  deviceLimits: never;
  timeBackend: never;
}

export type ControlAction = 'pause' | 'resume' | 'stop';

/** What the worker reports on its own, outside any call: its WebGPU device was lost (GPUDevice.lost). */
export interface WorkerNotice {
  type: 'device-lost';
  backend: BackendName;
  /** GPUDeviceLostInfo: 'destroyed' or 'unknown' (driver crash, GPU reset, …), and the browser's message. */
  reason: string;
  message: string;
}
