/**
 * The one typed message protocol between the page and the lab worker (TensorFlow.js lives only there).
 * Every method takes plain data and returns plain data or typed arrays; tensors never cross the boundary.
 * `LabApi` lists the calls, `LabProgress` what each call may report while it runs.
 */
import type { ModelOptions, TrainingConfig } from './trainingConfig';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

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

export interface BatchMetric {
  epoch: number;
  batch: number;
  /** Global step count since the run began. */
  step: number;
  loss: number;
  accuracy: number;
  /** Milliseconds since this training call started (throughput without a clock on the page side). */
  ms: number;
  size: number;
}

export interface EpochMetric {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface MisclassifiedImage {
  index: number;
  label: number;
  predicted: number;
  confidence: number;
  pixels: Uint8Array;
}

export interface Evaluation {
  runId: string;
  split: SplitName;
  count: number;
  accuracy: number;
  loss: number;
  /** confusion[trueClass][predictedClass] */
  confusion: number[][];
  perClassAccuracy: number[];
  misclassified: MisclassifiedImage[];
}

export type SplitName = 'train' | 'test' | 'validation';

export interface InitArgs {
  /** Force one backend (the `?backend=` URL parameter); null tries webgpu → webgl → wasm → cpu. */
  backend: BackendName | null;
  /** Absolute URL of the app's base, to find self-hosted wasm files. */
  baseUrl: string;
}

export interface GenerateArgs {
  count: number;
  seed: number;
  name: string;
}

export interface TrainArgs {
  datasetId: string;
  config: TrainingConfig;
  /** Resume this run from its last checkpoint instead of starting a new one. */
  resumeRunId?: string;
}

export type TrainEvent =
  | { type: 'started'; runId: string; summary: ModelSummary; startEpoch: number; batchesPerEpoch: number }
  | { type: 'batch'; runId: string; metric: BatchMetric }
  | { type: 'epoch'; runId: string; metric: EpochMetric }
  | { type: 'checkpoint'; runId: string; epoch: number; bytes: number; ms: number }
  | { type: 'paused'; runId: string }
  | { type: 'resumed'; runId: string };

export interface TrainResult {
  runId: string;
  status: 'completed' | 'stopped';
  epochsDone: number;
}

export interface FilterLayer {
  name: string;
  /** [kernelHeight, kernelWidth, inputChannels, filters] */
  shape: [number, number, number, number];
  weights: Float32Array;
}

export interface FeatureMapLayer {
  name: string;
  height: number;
  width: number;
  channels: number;
  /** height × width × channels, HWC */
  data: Float32Array;
  channelMeans: number[];
}

export interface FeatureMapsResult {
  image: Uint8Array;
  label: number;
  classNames: string[];
  probs: number[];
  layers: FeatureMapLayer[];
}

export type SaliencyMethodName = 'gradient' | 'smoothgrad' | 'gradcam' | 'integrated-gradients';

export interface SaliencyResult {
  image: Uint8Array;
  label: number;
  classNames: string[];
  probs: number[];
  /** The class whose score was explained. */
  classIndex: number;
  maps: Array<{ method: SaliencyMethodName; map: Float32Array; ms: number }>;
}

export interface ActivationMaxImage {
  filter: number;
  pixels: Uint8Array;
  startActivation: number;
  finalActivation: number;
  /** finalActivation divided by the filter's mean activation over test images (NaN when that mean is 0). */
  gain: number;
}

export interface ActivationMaxResultSet {
  layerName: string;
  baselineImages: number;
  results: ActivationMaxImage[];
}

export interface LabApi {
  init(args: InitArgs): Promise<BackendInfo>;
  summarize(options: ModelOptions): Promise<ModelSummary>;
  generateDemo(args: GenerateArgs): Promise<{ datasetId: string; count: number; ms: number }>;
  train(args: TrainArgs): Promise<TrainResult>;
  evaluate(args: { runId: string; split: SplitName }): Promise<Evaluation>;
  filters(args: { runId: string }): Promise<FilterLayer[]>;
  featureMaps(args: { runId: string; imageIndex: number }): Promise<FeatureMapsResult>;
  saliency(args: { runId: string; imageIndex: number; explain: 'predicted' | 'other' }): Promise<SaliencyResult>;
  activationMax(args: { runId: string; layerName: string; filters: number[]; seed: number }): Promise<ActivationMaxResultSet>;
}

export interface LabProgress {
  init: never;
  summarize: never;
  generateDemo: { done: number; total: number };
  train: TrainEvent;
  evaluate: { done: number; total: number };
  filters: never;
  featureMaps: never;
  saliency: { done: number; total: number };
  activationMax: { done: number; total: number };
}

export type LabMethod = keyof LabApi;

export type ControlAction = 'pause' | 'resume' | 'stop';

export type ToWorker =
  | { kind: 'call'; id: number; method: LabMethod; args: unknown }
  | { kind: 'abort'; id: number }
  | { kind: 'control'; id: number; action: ControlAction };

export type FromWorker =
  | { kind: 'progress'; id: number; data: unknown }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; message: string };
