/**
 * The one typed message protocol between the page and the lab worker (TensorFlow.js lives only there).
 * Every method takes plain data and returns plain data or typed arrays; tensors never cross the boundary.
 * `LabApi` lists the calls, `LabProgress` what each call may report while it runs.
 */
import type { AttackSettings } from './fool/attackSettings';
import type { PerturbationNorms } from './fool/bounds';
import type { BackendChoice } from './backendChoice';
import type { BackendName } from './backends';
import type { BackendLimits } from './fitCheck';
import type { SurveyCondition, SurveyKit } from './survey/types';
import type { Architecture, ModelOptions, TrainingConfig } from './trainingConfig';
import type { KernelChoice } from './webgpuKernelChoice';

// Defined in backends.ts (which backendChoice.ts also reads); still exported here for existing importers.
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

/** Noise sorting's progress: reading the crops, training fold model `fold` (steps), scoring its held-out crops. */
export interface NoiseSortProgress {
  phase: 'read' | 'train' | 'score';
  fold: number;
  folds: number;
  done: number;
  total: number;
}

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
  /** Gradient-ascent steps run, and the time they took (the test-set baseline excluded). */
  steps: number;
  ms: number;
}

export interface ActivationMaxResultSet {
  layerName: string;
  baselineImages: number;
  results: ActivationMaxImage[];
}

/** One conv layer's row of the all-layers activation maximisation (evenly spaced filters, see activationMaxLayers.ts). */
export interface ActivationMaxLayerRow {
  layerName: string;
  /** The layer's filter count (the row shows `results.length` of them). */
  channels: number;
  results: ActivationMaxImage[];
  /** Time for the whole row (gradient ascent of its filters). */
  ms: number;
}

export interface ActivationMaxAllLayers {
  baselineImages: number;
  layersTotal: number;
  /** Finished layers only, in model order; a cancelled run has fewer than `layersTotal`. Nothing is stored. */
  rows: ActivationMaxLayerRow[];
  cancelled: boolean;
  steps: number;
}

export interface ActivationMaxAllLayersProgress {
  layersDone: number;
  layersTotal: number;
  filtersDone: number;
  filtersTotal: number;
  elapsedMs: number;
  /** The row just finished, when this event finishes a layer. */
  row?: ActivationMaxLayerRow;
}

/** Images of a run's split with the model's predictions (the Fool page's clickable faces). */
export interface GalleryResult {
  classNames: string[];
  indices: number[];
  labels: number[];
  /** n × 64×64×3 */
  pixels: Uint8Array;
  probs: number[][];
  /** Images in the split (the gallery shows `indices.length` of them). */
  total: number;
}

/** The modified image saved as PNG by the browser, decoded again and re-classified. */
export interface SavedCheck {
  png: Uint8Array;
  probs: number[];
  /** Does the decoded file still fool the model (same success rule as the attack)? */
  fooled: boolean;
  /** Did decoding give back exactly the pixels that were encoded? */
  identical: boolean;
}

export interface FoolImageResult {
  index: number;
  label: number;
  target: number;
  classNames: string[];
  settings: AttackSettings;
  /** The bound actually applied, in words (the panel prints it). */
  ruleText: string;
  original: Uint8Array;
  /** The 8-bit modified image (what is saved). */
  modified: Uint8Array;
  probsBefore: number[];
  probsAfter: number[];
  success: boolean;
  steps: number;
  ms: number;
  /** Class probabilities after each step (index = step), for the chart and the replay slider. */
  history: number[][];
  frames: Array<{ step: number; pixels: Uint8Array }>;
  norms: PerturbationNorms;
  /** The saved pixels satisfy the rule exactly (no rounding slack). */
  withinBound: boolean;
  /** Share of the values that may move that sit at the attack's bound (why a face not fooled stopped). */
  atLimit: number;
  saved: SavedCheck;
}

export interface FoolBatchRow {
  index: number;
  label: number;
  target: number;
  success: boolean;
  savedSuccess: boolean;
  steps: number;
  linf: number;
  l2: number;
  maxRelative: number;
  withinBound: boolean;
  probsBefore: number[];
  probsAfter: number[];
  savedProbs: number[];
  /** Share of the values that may move that sit at their limit (why a face was not fooled: bound or steps). */
  atLimit?: number;
}

export interface FoolBatchReport {
  settings: AttackSettings;
  ruleText: string;
  classNames: string[];
  split: SplitName;
  /** Images of the split classified to find correctly classified ones, and the model's accuracy on them. */
  examined: number;
  modelAccuracy: number;
  images: number;
  successRate: number;
  savedSuccessRate: number;
  accuracyBefore: number;
  accuracyAfter: number;
  accuracyAfterSaved: number;
  medianSteps: number;
  maxSteps: number;
  meanLinf: number;
  maxLinf: number;
  meanL2: number;
  maxL2: number;
  maxRelative: number;
  allWithinBound: boolean;
  msPerImage: number;
  msPerStep: number;
  rows: FoolBatchRow[];
}

export interface BudgetCurve {
  settings: AttackSettings;
  /** 'fraction' (paper attack, values in %) or 'epsilon' (levels). */
  parameter: 'fraction' | 'epsilon';
  images: number;
  points: Array<{ value: number; successRate: number; accuracy: number }>;
}

export interface TransferReport {
  settings: AttackSettings;
  images: number;
  sourceSuccess: number;
  /** Share of the transferred images the target model misclassifies. */
  targetFooled: number;
  targetAccuracyBefore: number;
  targetAccuracyAfter: number;
}

export interface RobustnessRow {
  runId: string;
  clean: number;
  underAttack: Array<{ settings: AttackSettings; ruleText: string; accuracy: number }>;
}

export interface BuildSurveyArgs {
  runId: string;
  name: string;
  trainPerClass: number;
  pairs: number;
  displayMs: number;
  condition: SurveyCondition;
  seed: number;
  attack: AttackSettings;
}

export interface LastLayerExport {
  layerName: string;
  width: number;
  classNames: string[];
  indices: number[];
  labels: number[];
  /** n × width, row-major: originals, then the same images modified by the attack. */
  original: Float32Array;
  modified: Float32Array;
  probsOriginal: number[][];
  probsModified: number[][];
  settings: AttackSettings;
  /** The softmax Dense layer's weights (width × classes, row-major) and bias, for the clamping experiment; null if the head is not one. */
  head: { kernel: Float32Array; bias: Float32Array } | null;
}

export interface WhereItLooks {
  images: number;
  regions: string[];
  /** The regions that differ between the two people (pointing-game targets). */
  targets: string[];
  /**
   * false: the synthetic faces' true masks; true: approximate masks drawn around the face detector's stored
   * keypoints (photo datasets; src/shared/keypointRegions.ts), to be labelled so wherever they are shown.
   */
  approximate: boolean;
  /** Test faces among the first `count` left out for having no masks (photo crops stored without keypoints). */
  skipped: number;
  rows: Array<{
    method: SaliencyMethodName;
    /** Mean share of attribution mass per region (index = region). */
    attribution: number[];
    /** Mean share of the image area per region. */
    area: number[];
    ratio: number[];
    pointing: { hits: number; total: number; rate: number; chance: number };
    msPerImage: number;
  }>;
}

/** One column of the sanity checks: the trained model, a cascade stage, or the copy trained on shuffled labels. */
export interface SanityStage {
  /** 'original', the top-most layer randomised so far (stage k randomises the output down to it), or 'labels shuffled'. */
  name: string;
  kind: 'original' | 'cascade' | 'labels';
  /** Layers whose weights are re-initialised at this stage (cumulative, output first). */
  randomised: string[];
  /** 'labels' only: the copy's accuracy on the shuffled labels it was trained on (how far it memorised them). */
  trainAccuracy?: number;
}

/** Sanity checks for saliency maps (Adebayo et al. 2018): model and data randomisation. */
export interface SanityChecks {
  /** Test-split indices of the images, their pixels (n × 64×64×3) and true labels (each image is explained for it). */
  imageIndices: number[];
  pixels: Uint8Array;
  labels: number[];
  classNames: string[];
  methods: SaliencyMethodName[];
  stages: SanityStage[];
  /** maps[stage][method][image]: |attribution|, h×w. */
  maps: Float32Array[][][];
  /** perImage[stage][method][image]: Spearman ρ with the original map (NaN where either map is constant). */
  perImage: number[][][];
  /** spearman[stage][method]: mean ρ over images (a constant map counts as 0; images with a constant original are left out). */
  spearman: number[][];
  /** constant[stage][method]: how many maps are constant (no ranking at all). */
  constant: number[][];
  ms: number;
}

export interface SanityCheckArgs {
  runId: string;
  /** The first `count` test faces. */
  count: number;
  methods: SaliencyMethodName[];
  /** Data randomisation: a re-initialised copy trained on `images` training faces with shuffled labels for `epochs`. */
  shuffledLabels?: { images: number; epochs: number };
}

/** `benchTraining`: time one preset's training step on the worker's backend (random data of the right shape). */
export interface BenchTrainingArgs {
  preset: Architecture;
  /** Compact's channel multiplier (tests run tiny models); the other presets ignore it, as in models.ts. */
  widthMultiplier?: number;
  numClasses?: number;
  batchSize: number;
  /** Timed steps (the median of these is the figure), after `warmup` untimed-for-the-figure steps. */
  steps: number;
  warmup: number;
  /** Timed `predict` calls on the same batch, after one warm-up (default 3; 0 skips inference). */
  inferenceRuns?: number;
  /** One more step under tf.profile: peak tensor bytes and milliseconds per kernel. */
  profile?: boolean;
  /** Stop timing early (at least one step) once the call would overrun this by half again. */
  budgetMs?: number;
  /** Bench only: tfjs flags (`tf.env().set`) for this call, e.g. `{ WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE: false }`; restored after. */
  tfFlags?: Record<string, number | boolean | string>;
  /** The preset's dropout rate instead of the Train page's; 0 makes the steps deterministic (tests compare losses across runs). */
  dropout?: number;
}

export interface KernelTime {
  name: string;
  ms: number;
  count: number;
}

export interface BenchTrainingResult {
  backend: string;
  preset: Architecture;
  batchSize: number;
  widthMultiplier: number;
  params: number;
  /** Conv and dense FLOPs (2 × multiply-adds) per image; training ≈ 3 × forward (src/ml/flops.ts). */
  forwardFlopsPerImage: number;
  trainFlopsPerImage: number;
  /** false: building, training or predicting failed (out of memory, a device limit…): see `stage` and `error`. */
  fits: boolean;
  stage?: 'build' | 'warmup' | 'train' | 'inference' | 'profile';
  error?: string;
  buildMs: number;
  warmupMs: number[];
  /** Wall-clock ms of each timed step: upload, forward, backward, Adam update and the loss readback. */
  stepMs: number[];
  losses: number[];
  /** Fewer than `steps` were timed because of `budgetMs`. */
  budgetCut: boolean;
  /** ms per `predict` of `batchSize` images (readback included). */
  inferenceMs: number[];
  /** tf.profile's peak tensor bytes over one training step (with `profile`). */
  peakBytes: number | null;
  /** wasm backend only: its heap's size at the end (wasm memory only grows, so this is its peak). */
  wasmHeapBytes: number | null;
  /** tf.memory() with the model still built. */
  memory: { numTensors: number; numBytes: number; numBytesInGPU?: number; unreliable?: boolean } | null;
  /** With `profile`: ms and calls per kernel over the profiled step, slowest first. */
  kernels: KernelTime[] | null;
  /** Tensors left behind by the whole call (0 unless a failure left some). */
  tensorsLeaked?: number;
}

export interface LabApi {
  init(args: InitArgs): Promise<BackendInfo>;
  summarize(options: ModelOptions): Promise<ModelSummary>;
  generateDemo(args: GenerateArgs): Promise<{ datasetId: string; count: number; ms: number }>;
  train(args: TrainArgs): Promise<TrainResult>;
  evaluate(args: { runId: string; split: SplitName }): Promise<Evaluation>;
  filters(args: { runId: string }): Promise<FilterLayer[]>;
  /** The filters of a freshly built, untrained model of these options (its seeded initial weights); nothing is stored. */
  untrainedFilters(args: { model: ModelOptions; seed: number }): Promise<FilterLayer[]>;
  featureMaps(args: { runId: string; imageIndex: number }): Promise<FeatureMapsResult>;
  saliency(args: { runId: string; imageIndex: number; explain: 'predicted' | 'other' }): Promise<SaliencyResult>;
  /** Activation maximisation of `filters` of `layerName`; `steps` of gradient ascent each (default ACTIVATION_MAX_DEFAULTS.steps, 128). */
  activationMax(args: { runId: string; layerName: string; filters: number[]; seed: number; steps?: number }): Promise<ActivationMaxResultSet>;
  /** Activation maximisation of `perLayer` evenly spaced filters of every conv layer, layer by layer (rows stream as progress). */
  activationMaxAllLayers(args: { runId: string; perLayer: number; seed: number; steps?: number }): Promise<ActivationMaxAllLayers>;
  gallery(args: { runId: string; split: SplitName; limit: number }): Promise<GalleryResult>;
  classify(args: { runId: string; pixels: Uint8Array }): Promise<{ probs: number[]; classNames: string[] }>;
  /** The model's probability of each stored image's own label, for every image of the run's dataset (review). */
  labelConfidence(args: { runId: string }): Promise<{ datasetId: string; confidence: Float32Array }>;
  /** The paper's noise sorting (ml/noiseSort.ts): trains small cross-fitted models, stores every crop's bin. */
  noiseSort(args: { datasetId: string }): Promise<{ datasetId: string; counts: [number, number, number]; total: number; ms: number }>;
  /** Fools dataset image `imageIndex`, or `pixels` (a dropped photo's face; its label is the model's prediction). */
  foolImage(args: { runId: string; imageIndex: number; pixels?: Uint8Array; settings: AttackSettings }): Promise<FoolImageResult>;
  foolBatch(args: { runId: string; split: SplitName; perClass: number; settings: AttackSettings }): Promise<{ report: FoolBatchReport; zip: Uint8Array }>;
  budgetCurve(args: { runId: string; split: SplitName; perClass: number; settings: AttackSettings; values: number[] }): Promise<BudgetCurve>;
  transfer(args: { sourceRunId: string; targetRunId: string; split: SplitName; perClass: number; settings: AttackSettings }): Promise<TransferReport>;
  /** Clean accuracy and accuracy under each attack, for several runs on the same first `count` images of a split. */
  robustness(args: { runIds: string[]; split: SplitName; count: number; attacks: AttackSettings[] }): Promise<{ images: number; rows: RobustnessRow[] }>;
  buildSurvey(args: BuildSurveyArgs): Promise<SurveyKit>;
  /** Activations feeding the softmax for `perClass` correctly classified test images per class, original and modified. */
  lastLayer(args: { runId: string; perClass: number; settings: AttackSettings }): Promise<LastLayerExport>;
  /** The run's model in TensorFlow.js layers format. */
  exportModel(args: { runId: string }): Promise<{ modelJson: string; weights: Uint8Array }>;
  /** Validates a layers-format model (model.json text + concatenated weights) and stores it as a run on a dataset. */
  importModel(args: { datasetId: string; name: string; modelJson: string; weights: Uint8Array }): Promise<{ runId: string; layers: number; params: number }>;
  /** Saliency of the first `count` test faces per method, scored against the ground-truth region masks. */
  /** The run's model as a Keras 3 `.keras` zip or a legacy Keras `.h5` file. */
  exportKerasModel(args: { runId: string; format: 'keras' | 'h5' }): Promise<{ bytes: Uint8Array }>;
  /** Loads a Keras `.keras` or `.h5` model file and stores it as a run on a dataset (`inputShape`: the model's own input). */
  importKerasModel(args: { datasetId: string; name: string; bytes: Uint8Array }): Promise<{ runId: string; layers: number; params: number; format: 'keras' | 'h5'; inputShape: [number, number, number] }>;
  whereItLooks(args: { runId: string; count: number; methods: SaliencyMethodName[] }): Promise<WhereItLooks>;
  /** Regenerates the demo dataset and stores the shipped pretrained model as a run (idempotent). */
  installDemo(args: { baseUrl: string }): Promise<{ datasetId: string; runId: string; created: boolean; ms: number }>;
  /** Sanity checks of the saliency methods on the first `count` test faces: cascading model randomisation, optionally shuffled labels. */
  sanityChecks(args: SanityCheckArgs): Promise<SanityChecks>;
  /** Times training steps and inference of a preset on this worker's backend (bench, backend choice). */
  benchTraining(args: BenchTrainingArgs): Promise<BenchTrainingResult>;
  /** Reliability tests only (refused unless `?fault=debug`): crash this worker, or destroy its WebGPU device. */
  debugFault(args: { fault: 'crash' | 'lose-device' }): Promise<{ injected: string }>;
  /** Kernel tests only (refused unless `?fault=debug`): conv2d, its gradients and broadcast ops on this worker's backend. */
  debugConvGradients(args: ConvGradientsArgs): Promise<ConvGradientsResult>;
  /** Backend choice by measurement: start `backend` (this worker is a throwaway probe) and time one training step of `preset`. */
  timeBackend(args: { backend: BackendName; baseUrl: string; preset: Architecture; batchSize: number; includeSoftware?: boolean; wasmThreads?: number | null }): Promise<{ warmupMs: number; stepMs: number }>;
  /** The limits of this worker's backend that decide whether a preset fits (src/shared/fitCheck.ts). */
  deviceLimits(): Promise<BackendLimits>;
}

export interface LabProgress {
  init: never;
  summarize: never;
  generateDemo: { done: number; total: number };
  train: TrainEvent;
  evaluate: { done: number; total: number };
  filters: never;
  untrainedFilters: never;
  featureMaps: never;
  saliency: { done: number; total: number };
  activationMax: { done: number; total: number };
  activationMaxAllLayers: ActivationMaxAllLayersProgress;
  gallery: never;
  classify: never;
  labelConfidence: { done: number; total: number };
  noiseSort: NoiseSortProgress;
  foolImage: { step: number };
  foolBatch: { done: number; total: number };
  installDemo: { done: number; total: number };
  budgetCurve: { done: number; total: number };
  transfer: { done: number; total: number };
  robustness: { done: number; total: number };
  buildSurvey: { done: number; total: number };
  whereItLooks: { done: number; total: number };
  exportModel: never;
  importModel: never;
  exportKerasModel: never;
  importKerasModel: never;
  lastLayer: { done: number; total: number };
  sanityChecks: { done: number; total: number; stage: string };
  benchTraining: never;
  debugFault: never;
  debugConvGradients: never;
  timeBackend: never;
  deviceLimits: never;
}

/** Inputs of LabApi `debugConvGradients` (NHWC x, [kh, kw, cin, cout] w, dy of conv2d's output shape, scale of length cin). */
export interface ConvGradientsArgs {
  x: Float32Array;
  xShape: [number, number, number, number];
  w: Float32Array;
  wShape: [number, number, number, number];
  dy: Float32Array;
  strides: [number, number];
  pad: 'same' | 'valid';
  scale: Float32Array;
  /** Optional, length cout: then the result also has tf.fused.conv2d(x, w) + bias, linear and relu (FusedConv2D). */
  bias?: Float32Array;
}

/** conv2d(x, w), the gradients of sum(conv2d(x, w) * dy), and x * scale, x - scale, x + scale, x / scale, scale - x (+ fused convs with args.bias). */
export interface ConvGradientsResult {
  y: Float32Array;
  dx: Float32Array;
  dw: Float32Array;
  mul: Float32Array;
  sub: Float32Array;
  add: Float32Array;
  div: Float32Array;
  subRev: Float32Array;
  /** With args.bias: tf.fused.conv2d with that bias, activation 'linear' and 'relu'. */
  fusedLinear?: Float32Array;
  fusedRelu?: Float32Array;
}

export type LabMethod = keyof LabApi;

export type ControlAction = 'pause' | 'resume' | 'stop';

export type ToWorker =
  | { kind: 'call'; id: number; method: LabMethod; args: unknown }
  | { kind: 'abort'; id: number }
  | { kind: 'control'; id: number; action: ControlAction };

/** What the worker reports on its own, outside any call: its WebGPU device was lost (GPUDevice.lost). */
export interface WorkerNotice {
  type: 'device-lost';
  backend: BackendName;
  /** GPUDeviceLostInfo: 'destroyed' or 'unknown' (driver crash, GPU reset, …), and the browser's message. */
  reason: string;
  message: string;
}

export type FromWorker =
  | { kind: 'notice'; notice: WorkerNotice }
  | { kind: 'progress'; id: number; data: unknown }
  | { kind: 'result'; id: number; value: unknown }
  | { kind: 'error'; id: number; message: string };
