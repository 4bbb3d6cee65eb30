/**
 * The See capability's lab-worker calls: filters, feature maps, saliency, activation maximisation, where it
 * looks, sanity checks.
 * Plain data and typed arrays only: tensors never cross the worker boundary.
 */
import type { ModelOptions } from '../../../shared/trainingConfig';

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

export interface WhereItLooks {
  images: number;
  regions: string[];
  /** The regions that differ between the two people (pointing-game targets). */
  targets: string[];
  /**
   * false: the synthetic faces' true masks; true: approximate masks drawn around the face detector's stored
   * keypoints (photo datasets; src/features/see/shared/keypointRegions.ts), to be labelled so wherever they are shown.
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

export interface SeeApi {
  filters(args: { runId: string }): Promise<FilterLayer[]>;
  /** The filters of a freshly built, untrained model of these options (its seeded initial weights); nothing is stored. */
  untrainedFilters(args: { model: ModelOptions; seed: number }): Promise<FilterLayer[]>;
  featureMaps(args: { runId: string; imageIndex: number }): Promise<FeatureMapsResult>;
  saliency(args: { runId: string; imageIndex: number; explain: 'predicted' | 'other' }): Promise<SaliencyResult>;
  /** Activation maximisation of `filters` of `layerName`; `steps` of gradient ascent each (default ACTIVATION_MAX_DEFAULTS.steps, 128). */
  activationMax(args: {
    runId: string;
    layerName: string;
    filters: number[];
    seed: number;
    steps?: number;
  }): Promise<ActivationMaxResultSet>;
  /** Activation maximisation of `perLayer` evenly spaced filters of every conv layer, layer by layer (rows stream as progress). */
  activationMaxAllLayers(args: {
    runId: string;
    perLayer: number;
    seed: number;
    steps?: number;
  }): Promise<ActivationMaxAllLayers>;
  /** Saliency of the first `count` test faces per method, scored against the ground-truth region masks. */
  whereItLooks(args: { runId: string; count: number; methods: SaliencyMethodName[] }): Promise<WhereItLooks>;
  /** Sanity checks of the saliency methods on the first `count` test faces: cascading model randomisation, optionally shuffled labels. */
  sanityChecks(args: SanityCheckArgs): Promise<SanityChecks>;
}

/** What each call reports while it runs (`never`: no progress). */
export interface SeeProgress {
  filters: never;
  untrainedFilters: never;
  featureMaps: never;
  saliency: { done: number; total: number };
  activationMax: { done: number; total: number };
  activationMaxAllLayers: ActivationMaxAllLayersProgress;
  whereItLooks: { done: number; total: number };
  sanityChecks: { done: number; total: number; stage: string };
}
