/**
 * Will a preset train on this backend? A static estimate, before anything is built: the memory a training step
 * of the preset needs (src/shared/presetLayers.ts gives its layers), set against the limits the worker read from
 * its backend (src/ml/deviceLimits.ts) by checkFit in src/shared/fitCheck.ts. Pure and thread-neutral.
 *
 * A training step (src/ml/trainStep.ts: `optimizer.minimize`) has two memory peaks, and the estimate takes the
 * larger:
 * - backward: tfjs' `gradients` keeps the forward pass's outputs, and every gradient it computes, alive until
 *   the last one is done: weights + optimizer slots + all gradients + saved weight copies + activations
 *   (BACKWARD_PEAK_COPIES);
 * - update: the activations are gone, the optimizer walks the variables: weights + slots + gradients + the
 *   update's own intermediates.
 */
import { layerParams, presetLayers, sizeOf, type LayerClass, type LayerSpec } from './presetLayers';
import type { ModelOptions, OptimizerName } from './trainingConfig';

export const FLOAT_BYTES = 4;

/** Optimizer state per trainable weight, in copies of it: tfjs' Adam keeps m and v; its RMSProp keeps the mean
 * square and the momentum (allocated even at momentum 0; tfjs-core rmsprop_optimizer.js, centered = false);
 * SGD none. */
export const OPTIMIZER_SLOTS: Record<OptimizerName, number> = { adam: 2, rmsprop: 2, sgd: 0 };

/**
 * Tensors of a variable's size alive at once while the optimizer updates it, beyond its weight, gradient and
 * slots, as a multiple of the largest variable. This ASSUMES each variable is updated on its own with its
 * intermediates released early: true of the app's lean Adam (src/ml/leanAdam.ts measures 3; 4 leaves one copy of
 * slack) and of tfjs' SGD (new = c·g + w in a per-variable tidy: 2). tfjs' RMSProp also tidies per variable but
 * keeps all 15 of its intermediates to the end of that tidy (its mean square is even computed twice): 14 beyond
 * the state, measured (src/ml/presetFit.measured.test.ts, vgg16). tfjs' own Adam, one tidy over ALL variables
 * (≈ 11 × the whole model), is not modelled: the app trains with the lean one.
 */
export const UPDATE_TRANSIENT_FACTOR: Record<OptimizerName, number> = { adam: 4, rmsprop: 14, sgd: 2 };

/**
 * Bytes alive at the backward pass's peak per layer, in copies of the layer's output for the batch: the forward
 * output, the copies tfjs saves for the gradient (`saveTensorsForBackwardMode` clones them; the wasm backend's
 * Identity copies the data), and the gradients tfjs' tape computes for every op output, which it frees only when
 * the whole backward pass ends. A count of tfjs' ops per layer came out 4× too low (batch norm alone runs ~20
 * ops in training), so the copies are MEASURED: the peak of distinct tensor data over one training step on wasm
 * in Node, per image (the slope between two batch sizes): paper 129.4 MB (5.2 copies of its conv outputs),
 * vgg16 25.8 MB and vgg19 28.0 MB (conv 5.0–5.2; pool 5.7–7.2 copies of the pooled output, whose gradient is 4×
 * its size), compact 9.5 MB (batch norm 12.8). The larger figures are kept, rounded up;
 * src/ml/presetFit.measured.test.ts re-measures compact and vgg16. Dense layers are assumed to behave as conv,
 * their batch norm as batch norm; flatten is a reshape (shared data). On cpu, WebGL and WebGPU Identity shares
 * its input's data, so there the saved copies (and the saved weight copies below) cost nothing: an overestimate.
 */
export const BACKWARD_PEAK_COPIES: Record<LayerClass, number> = {
  InputLayer: 3,
  Conv2D: 5.2,
  BatchNormalization: 13,
  MaxPooling2D: 7.2,
  Flatten: 0,
  Dense: 5.2,
  Dropout: 10,
};

/** Bytes of one pointer in wasm32 (XNNPACK's indirection buffers hold one per input pixel a kernel tap reads). */
const WASM_POINTER_BYTES = 4;

export interface FitConfig extends ModelOptions {
  batchSize: number;
  optimizer: OptimizerName;
}

export interface SizedTensor {
  /** e.g. "dense128 kernel", "conv3 output". */
  label: string;
  role: 'weight' | 'activation' | 'im2col';
  /** With the batch dimension first for activations and im2col matrices. */
  shape: number[];
  bytes: number;
}

export interface FitEstimate {
  architecture: ModelOptions['architecture'];
  batchSize: number;
  optimizer: OptimizerName;
  params: number;
  trainableParams: number;
  largestWeight: SizedTensor;
  largestActivation: SizedTensor;
  /** The larger of the two: the biggest buffer a GPU backend must hold as one piece. */
  largestTensor: SizedTensor;
  /** Every weight and layer output, and the im2col matrix tfjs' WebGL backend builds for each 3×3 conv. */
  tensors: SizedTensor[];
  weightBytes: number;
  gradientBytes: number;
  optimizerSlotBytes: number;
  /** Weights + gradients + optimizer slots. */
  stateBytes: number;
  /** The layers' outputs for the batch and all that back-propagation keeps of them (BACKWARD_PEAK_COPIES). */
  activationBytes: number;
  /** The copies of the weights the forward pass saves for the gradient. */
  savedWeightBytes: number;
  /** The batch: float32 images and int32 labels. */
  batchBytes: number;
  /** UPDATE_TRANSIENT_FACTOR × the largest trainable variable. */
  updateTransientBytes: number;
  backwardPhaseBytes: number;
  updatePhaseBytes: number;
  /** max(backward, update): tensor bytes at the step's peak (as measured on wasm; the GPU backends and cpu share more). */
  peakBytes: number;
  /**
   * wasm only, outside the tensors: XNNPACK keeps, per conv and dense layer run forward, a packed copy of the
   * kernel and bias (tfjs-backend-wasm conv2d_impl.cc / batch_mat_mul_impl.cc cache the operator until the
   * weight's data is freed) and, per conv, an indirection buffer of one pointer per output pixel and tap.
   */
  wasmXnnpackBytes: number;
}

const tensor = (label: string, role: SizedTensor['role'], shape: number[]): SizedTensor => ({
  label,
  role,
  shape,
  bytes: sizeOf(shape) * FLOAT_BYTES,
});

const largest = (ts: SizedTensor[]): SizedTensor => ts.reduce((a, b) => (b.bytes > a.bytes ? b : a));

function conv2dInfo(layers: LayerSpec[], i: number) {
  const [, , cin] = layers[i - 1].outputShape;
  const [oh, ow] = layers[i].outputShape;
  return { cin, oh, ow, taps: 9 }; // every conv of the zoo is 3×3
}

export function estimateFit(config: FitConfig): FitEstimate {
  const batch = Math.max(1, Math.floor(config.batchSize));
  const layers = presetLayers(config);
  const weights: SizedTensor[] = [];
  const trainable: SizedTensor[] = [];
  const activations: SizedTensor[] = [];
  const im2col: SizedTensor[] = [];
  let activationBytes = 0;
  let wasmXnnpackBytes = 0;
  layers.forEach((layer, i) => {
    for (const w of layer.weights) {
      const t = tensor(`${layer.name} ${w.name}`, 'weight', w.shape);
      weights.push(t);
      if (w.trainable) trainable.push(t);
    }
    const output = tensor(`${layer.name} output`, 'activation', [batch, ...layer.outputShape]);
    if (layer.className !== 'Flatten') activations.push(output);
    activationBytes += BACKWARD_PEAK_COPIES[layer.className] * output.bytes;
    if (layer.className === 'Conv2D' || layer.className === 'Dense')
      wasmXnnpackBytes += layerParams(layer) * FLOAT_BYTES;
    if (layer.className === 'Conv2D') {
      const { cin, oh, ow, taps } = conv2dInfo(layers, i);
      // tfjs-backend-webgl Conv2D_impl.js conv2dWithIm2Row: [batch, kh·kw·Cin, outH·outW], packed.
      im2col.push(tensor(`${layer.name} im2col matrix`, 'im2col', [batch, taps * cin, oh * ow]));
      wasmXnnpackBytes += batch * oh * ow * taps * WASM_POINTER_BYTES;
    }
  });
  const params = layers.reduce((n, l) => n + layerParams(l), 0);
  const trainableParams = trainable.reduce((n, t) => n + sizeOf(t.shape), 0);
  const weightBytes = params * FLOAT_BYTES;
  const gradientBytes = trainableParams * FLOAT_BYTES;
  const optimizerSlotBytes = OPTIMIZER_SLOTS[config.optimizer] * gradientBytes;
  const largestWeight = largest(weights);
  const largestActivation = largest(activations);
  const updateTransientBytes = UPDATE_TRANSIENT_FACTOR[config.optimizer] * largest(trainable).bytes;
  // The forward pass saves a copy of every kernel and bias it used (measured: the intercept of the per-image fit
  // is weights + slots + gradients + one more copy of the weights, for every preset).
  const savedWeightBytes = weightBytes;
  const backwardPhaseBytes = weightBytes + optimizerSlotBytes + gradientBytes + savedWeightBytes + activationBytes;
  // The batch itself (float images, int32 labels) lives through the whole step; in the backward pass it is part of
  // the input layer's copies.
  const batchBytes = batch * (sizeOf(layers[0].outputShape) + 1) * FLOAT_BYTES;
  const updatePhaseBytes = weightBytes + optimizerSlotBytes + gradientBytes + updateTransientBytes + batchBytes;
  return {
    architecture: config.architecture,
    batchSize: batch,
    optimizer: config.optimizer,
    params,
    trainableParams,
    largestWeight,
    largestActivation,
    largestTensor: largest([largestWeight, largestActivation]),
    tensors: [...weights, ...activations, ...im2col],
    weightBytes,
    gradientBytes,
    optimizerSlotBytes,
    stateBytes: weightBytes + gradientBytes + optimizerSlotBytes,
    activationBytes,
    savedWeightBytes,
    batchBytes,
    updateTransientBytes,
    backwardPhaseBytes,
    updatePhaseBytes,
    peakBytes: Math.max(backwardPhaseBytes, updatePhaseBytes),
    wasmXnnpackBytes,
  };
}
