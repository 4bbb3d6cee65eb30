/**
 * Sanity checks for saliency maps (Adebayo et al. 2018, "Sanity checks for saliency maps"): does a map
 * change when the model does? Cascading model randomisation re-initialises the weights of the layers from the
 * output down to layer k, for each k in turn (keeping the layers below k trained), recomputes every method's
 * maps, and compares them with the trained model's maps by the Spearman rank correlation of |attribution|
 * (per image, averaged over the images). A method whose maps survive full randomisation explains the image,
 * not the model. The data randomisation test (a copy trained on shuffled labels) is in shuffledLabels.ts and
 * is passed in here as one more model to compare.
 *
 * Works on a copy of the model (`cloneModel`): the worker's cached model is shared with other calls and must
 * never see randomised weights. Layers are re-initialised to their state at construction time, the way Keras
 * builds them: Glorot-uniform kernels (the model zoo's initialiser), zero biases, identity batch norm
 * (γ = 1, β = 0, moving mean 0, moving variance 1), each draw seeded so that a rerun gives the same numbers.
 */
import * as tf from '@tensorflow/tfjs';
import type { SaliencyMethodName, SanityChecks, SanityStage } from '../shared/protocol';
import { spearman } from '../../../shared/spearman';
import { hashSeed } from '../../../shared/synthetic/rng';
import { saliencyMap, type SaliencyOptions } from './saliency';
import { abortPoint } from '../../../ml/abortPoint';

/** Layer classes whose weights include a kernel: each starts a randomisation group. */
const KERNEL_LAYERS = /^(Conv1D|Conv2D|Conv3D|Conv2DTranspose|DepthwiseConv2D|SeparableConv2D|Dense)$/;

export interface LayerGroup {
  /** The kernel layer's name (the group's label on the page). */
  name: string;
  /** The kernel layer and the weighted layers that follow it up to the next one (its batch norm). */
  layers: string[];
}

/**
 * The model's weighted layers grouped for cascading randomisation, output first: each conv / dense layer
 * with the batch norm after it (a batch norm re-scales its layer's output, so randomising one without the
 * other would be half a step). Weighted layers before the first kernel layer form groups of their own.
 */
export function cascadeGroups(model: tf.LayersModel): LayerGroup[] {
  const groups: LayerGroup[] = [];
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const last = groups[groups.length - 1];
    if (KERNEL_LAYERS.test(layer.getClassName()) || !last) groups.push({ name: layer.name, layers: [layer.name] });
    else last.layers.push(layer.name);
  }
  return groups.reverse();
}

/** A copy of the model with its own variables (same layer names, same weights). Dispose it when done. */
export async function cloneModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  const copy = await tf.models.modelFromJSON({
    modelTopology: model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'],
  });
  // getWeights returns the live variables' values; setWeights copies them into the copy's own variables.
  copy.setWeights(model.getWeights());
  return copy;
}

/** The value a weight has when its layer is constructed (Keras defaults), seeded. Caller disposes it. */
export function initialValue(weightName: string, shape: number[], seed: number): tf.Tensor {
  const role = weightName.split('/').pop()!.replace(/_\d+$/, '');
  if (/kernel$/.test(role) || role === 'embeddings')
    return tf.initializers.glorotUniform({ seed }).apply(shape, 'float32');
  if (role === 'bias' || role === 'beta' || role === 'moving_mean') return tf.zeros(shape);
  if (role === 'gamma' || role === 'moving_variance') return tf.ones(shape);
  throw new Error(`no rule to re-initialise weight ${weightName}`);
}

/** Re-initialises every weight of the named layers of `model` in place (seeded per layer and weight). */
export function reinitialiseLayers(model: tf.LayersModel, layerNames: string[], seed: number): void {
  for (const name of layerNames) {
    const layer = model.getLayer(name);
    const fresh = layer.weights.map((w, i) =>
      initialValue(w.originalName, w.shape as number[], hashSeed(seed, model.layers.indexOf(layer), i)),
    );
    try {
      layer.setWeights(fresh); // copies into the layer's variables
    } finally {
      tf.dispose(fresh);
    }
  }
}

export interface SanityCheckInput {
  /** Images, h*w*3 floats in [0, 1] each (HWC). */
  images: Float32Array[];
  /** The class each image is explained for. */
  classIndices: number[];
}

export interface SanityCheckOptions {
  methods: SaliencyMethodName[];
  /** Seed of the re-initialisation (default 0). SmoothGrad's noise seed stays fixed across stages. */
  seed?: number;
  /** Passed to every saliency method (SmoothGrad samples, IG steps, …). */
  saliency?: Partial<Omit<SaliencyOptions, 'method' | 'classIndex'>>;
  /** A copy trained on shuffled labels (data randomisation), compared as one more stage; not disposed here. */
  shuffledLabels?: { model: tf.LayersModel; trainAccuracy: number };
  /** Stop after this many cascade stages (default: all, down to the first layer). */
  maxStages?: number;
  progress?: (done: number, total: number, stage: string) => void;
  signal?: AbortSignal;
}

/**
 * Mean over images of ρ(|reference|, |map|). Images whose reference map is constant have no ranking to
 * compare with and are left out; a constant map against a ranked reference counts as ρ = 0 (it keeps none of
 * the ranking). NaN when every reference map is constant.
 */
export function meanCorrelation(perImage: number[], referenceConstant: boolean[]): number {
  let sum = 0;
  let n = 0;
  perImage.forEach((r, i) => {
    if (referenceConstant[i]) return;
    sum += Number.isNaN(r) ? 0 : r;
    n++;
  });
  return n ? sum / n : NaN;
}

function isConstant(map: Float32Array): boolean {
  for (let i = 1; i < map.length; i++) if (map[i] !== map[0]) return false;
  return true;
}

/** |map| of every method for every image: [method][image]. */
async function allMaps(
  model: tf.LayersModel,
  input: SanityCheckInput,
  opts: SanityCheckOptions,
  tick: () => void,
): Promise<Float32Array[][]> {
  const out: Float32Array[][] = [];
  for (const method of opts.methods) {
    const maps: Float32Array[] = [];
    for (let i = 0; i < input.images.length; i++) {
      await abortPoint(opts.signal);
      const map = await saliencyMap(model, input.images[i], {
        ...opts.saliency,
        method,
        classIndex: input.classIndices[i],
      });
      maps.push(Float32Array.from(map, Math.abs));
      tick();
    }
    out.push(maps);
  }
  return out;
}

/**
 * Cascading randomisation (and, if given, the shuffled-label model) for each method: the maps of every stage
 * and their Spearman correlation with the trained model's. Leaves `model` untouched and no tensors behind.
 */
export async function sanityChecks(
  model: tf.LayersModel,
  input: SanityCheckInput,
  opts: SanityCheckOptions,
): Promise<Omit<SanityChecks, 'pixels' | 'labels' | 'classNames' | 'imageIndices'>> {
  if (input.images.length !== input.classIndices.length)
    throw new RangeError(`${input.images.length} images but ${input.classIndices.length} classes`);
  const t0 = performance.now();
  const seed = opts.seed ?? 0;
  const groups = cascadeGroups(model).slice(0, opts.maxStages ?? Infinity);
  const stages: SanityStage[] = [{ name: 'original', kind: 'original', randomised: [] }];
  const randomised: string[] = [];
  for (const g of groups) {
    randomised.push(...g.layers);
    stages.push({ name: g.name, kind: 'cascade', randomised: [...randomised] });
  }
  if (opts.shuffledLabels) {
    stages.push({
      name: 'labels shuffled',
      kind: 'labels',
      randomised: [],
      trainAccuracy: opts.shuffledLabels.trainAccuracy,
    });
  }
  const total = stages.length * opts.methods.length * input.images.length;
  let done = 0;
  const maps: Float32Array[][][] = [];
  const copy = await cloneModel(model);
  try {
    for (const [s, stage] of stages.entries()) {
      // Cumulative: the copy keeps the previous stages' random layers, so randomise only this group.
      if (stage.kind === 'cascade') reinitialiseLayers(copy, groups[s - 1].layers, seed);
      const subject = stage.kind === 'labels' ? opts.shuffledLabels!.model : copy;
      maps.push(await allMaps(subject, input, opts, () => opts.progress?.(++done, total, stage.name)));
    }
  } finally {
    copy.dispose();
  }
  const reference = maps[0];
  const referenceConstant = reference.map((byImage) => byImage.map(isConstant));
  const perImage = maps.map((stageMaps) =>
    stageMaps.map((byImage, m) => byImage.map((map, i) => spearman(reference[m][i], map))),
  );
  return {
    methods: [...opts.methods],
    stages,
    maps,
    perImage,
    spearman: perImage.map((byMethod) => byMethod.map((r, m) => meanCorrelation(r, referenceConstant[m]))),
    constant: maps.map((byMethod) => byMethod.map((byImage) => byImage.filter(isConstant).length)),
    ms: performance.now() - t0,
  };
}
