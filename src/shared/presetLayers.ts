/**
 * The model zoo's layers with their shapes: name, class, output shape and weight shapes of every layer of a
 * preset, computed without TensorFlow.js from the same layer list the worker builds the model from
 * (src/shared/modelZoo.ts), so the page can size a preset before the worker builds it
 * (src/shared/presetFit.ts). src/ml/presetLayers.test.ts checks the shape arithmetic against the real tfjs
 * models.
 */
import { INPUT_SHAPE } from './imageGeometry';
import { INPUT_NAME, modelLayers, type LayerOp } from './modelZoo';
import type { ModelOptions } from './trainingConfig';

export type LayerClass =
  'InputLayer' | 'Conv2D' | 'BatchNormalization' | 'MaxPooling2D' | 'Flatten' | 'Dense' | 'Dropout';

export interface WeightSpec {
  /** Keras' weight name within its layer (kernel, bias, gamma, beta, moving_mean, moving_variance). */
  name: string;
  shape: number[];
  /** Moving mean and variance are weights but not trained: no gradient, no optimizer slots. */
  trainable: boolean;
}

export interface LayerSpec {
  name: string;
  className: LayerClass;
  /** Output shape of one example (the batch dimension left out). */
  outputShape: number[];
  weights: WeightSpec[];
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

export function layerParams(layer: LayerSpec): number {
  return layer.weights.reduce((n, w) => n + sizeOf(w.shape), 0);
}

const LAYER_CLASS: Record<LayerOp['kind'], LayerClass> = {
  conv: 'Conv2D',
  pool: 'MaxPooling2D',
  batchNorm: 'BatchNormalization',
  flatten: 'Flatten',
  dense: 'Dense',
  dropout: 'Dropout',
};

/** Output shape and weights of one layer applied to an input of shape `input`. */
function shapeOf(op: LayerOp, input: number[]): Pick<LayerSpec, 'outputShape' | 'weights'> {
  const last = input[input.length - 1];
  switch (op.kind) {
    case 'conv': {
      const [h, w, cin] = input;
      // Stride 1: 'valid' loses kernelSize − 1 pixels in each direction.
      const lost = op.padding === 'same' ? 0 : op.kernelSize - 1;
      return {
        outputShape: [h - lost, w - lost, op.filters],
        weights: [
          { name: 'kernel', shape: [op.kernelSize, op.kernelSize, cin, op.filters], trainable: true },
          { name: 'bias', shape: [op.filters], trainable: true },
        ],
      };
    }
    case 'pool': {
      const [h, w, c] = input;
      // Stride = pool size, 'valid' (Keras' default): floor((n − p) / p) + 1.
      const out = (n: number) => Math.floor((n - op.poolSize) / op.poolSize) + 1;
      return { outputShape: [out(h), out(w), c], weights: [] };
    }
    case 'batchNorm':
      return {
        outputShape: [...input],
        weights: [
          { name: 'gamma', shape: [last], trainable: true },
          { name: 'beta', shape: [last], trainable: true },
          { name: 'moving_mean', shape: [last], trainable: false },
          { name: 'moving_variance', shape: [last], trainable: false },
        ],
      };
    case 'flatten':
      return { outputShape: [sizeOf(input)], weights: [] };
    case 'dense':
      return {
        outputShape: [op.units],
        weights: [
          { name: 'kernel', shape: [last, op.units], trainable: true },
          { name: 'bias', shape: [op.units], trainable: true },
        ],
      };
    case 'dropout':
      return { outputShape: [...input], weights: [] };
  }
}

/** Every layer of the preset `o` describes, as buildModel(o) makes it (the input layer first). */
export function presetLayers(o: ModelOptions): LayerSpec[] {
  const layers: LayerSpec[] = [
    { name: INPUT_NAME, className: 'InputLayer', outputShape: [...INPUT_SHAPE], weights: [] },
  ];
  for (const op of modelLayers(o)) {
    layers.push({
      name: op.name,
      className: LAYER_CLASS[op.kind],
      ...shapeOf(op, layers[layers.length - 1].outputShape),
    });
  }
  return layers;
}
