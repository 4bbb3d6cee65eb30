/**
 * A Keras layer chain ⇄ a TensorFlow.js model. TensorFlow.js keeps weights in Keras' own layouts (conv kernel
 * [kh, kw, in, out], dense [in, out], batch norm gamma, beta, moving mean, moving variance; Flatten in HWC order),
 * so weights pass unchanged both ways. A model whose input is not 64×64 gets an InputResize layer in front.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIDE } from '../../shared/imageGeometry';
import type { ChainLayer, KerasActivation, KerasChain, Padding } from './kerasConfig';
import type { LayerWeights } from './kerasFiles';
import { INPUT_RESIZE_CLASS, InputResize } from './inputResize';

function tfjsLayer(l: ChainLayer): tf.layers.Layer {
  const { name } = l;
  switch (l.kind) {
    case 'conv':
      return tf.layers.conv2d({
        name,
        filters: l.filters,
        kernelSize: l.kernel,
        strides: l.strides,
        padding: l.padding,
        dilationRate: l.dilation,
        activation: l.activation,
        useBias: l.useBias,
      });
    case 'dense':
      return tf.layers.dense({ name, units: l.units, activation: l.activation, useBias: l.useBias });
    case 'batchNorm':
      return tf.layers.batchNormalization({
        name,
        axis: -1,
        epsilon: l.epsilon,
        momentum: l.momentum,
        center: l.center,
        scale: l.scale,
      });
    case 'maxPool':
      return tf.layers.maxPooling2d({ name, poolSize: l.pool, strides: l.strides, padding: l.padding });
    case 'dropout':
      return tf.layers.dropout({ name, rate: l.rate });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'activation':
      return tf.layers.activation({ name, activation: l.activation });
    case 'relu':
      return tf.layers.reLU({ name });
    case 'softmax':
      return tf.layers.softmax({ name, axis: -1 });
    case 'rescaling':
      return tf.layers.rescaling({ name, scale: l.scale, offset: l.offset });
  }
}

/**
 * Builds the chain on a 64×64×3 input (resized to the model's own input when that differs) and sets its weights.
 * Everything it created is disposed when it fails.
 */
export function buildChainModel(chain: KerasChain, weights: LayerWeights): tf.LayersModel {
  const [h, w] = chain.inputShape;
  const created = new Set(Object.keys(tf.engine().state.registeredVariables));
  let model: tf.LayersModel | null = null;
  try {
    const input = tf.input({ shape: [IMAGE_SIDE, IMAGE_SIDE, 3], name: chain.inputName });
    let x = input;
    if (h !== IMAGE_SIDE || w !== IMAGE_SIDE)
      x = new InputResize({ height: h, width: w, name: `${chain.inputName}_resize` }).apply(x) as tf.SymbolicTensor;
    const layers = chain.layers.map(tfjsLayer);
    for (const layer of layers) x = layer.apply(x) as tf.SymbolicTensor;
    model = tf.model({ inputs: input, outputs: x, name: chain.name });
    layers.forEach((layer, i) => {
      const values = weights[i].map((v, k) => tf.tensor(v, layer.weights[k]?.shape as number[] | undefined));
      try {
        layer.setWeights(values); // copies into the layer's variables
      } finally {
        tf.dispose(values);
      }
    });
    return model;
  } catch (err) {
    if (model) model.dispose();
    else
      tf.dispose(
        Object.entries(tf.engine().state.registeredVariables)
          .filter(([n]) => !created.has(n))
          .map(([, v]) => v),
      );
    throw err;
  }
}

const KINDS: Record<string, ChainLayer['kind']> = {
  Conv2D: 'conv',
  Dense: 'dense',
  BatchNormalization: 'batchNorm',
  MaxPooling2D: 'maxPool',
  Dropout: 'dropout',
  Flatten: 'flatten',
  Activation: 'activation',
  ReLU: 'relu',
  Softmax: 'softmax',
  Rescaling: 'rescaling',
};

type Cfg = Record<string, unknown>;
const two = (v: unknown): [number, number] =>
  Array.isArray(v) ? [Number(v[0]), Number(v[1])] : [Number(v), Number(v)];

/** The tfjs layer's settings as a chain layer; refuses anything Keras files of ours cannot hold. */
function chainLayerOf(layer: tf.layers.Layer): ChainLayer {
  const cls = layer.getClassName();
  const c = layer.getConfig() as Cfg;
  const kind = KINDS[cls];
  const refuse = (what: string): never => {
    throw new Error(`Layer "${layer.name}" (${cls}) ${what}`);
  };
  if (!kind)
    refuse(
      'cannot be saved as a Keras file (supported: Conv2D, Dense, BatchNormalization, Dropout, Flatten, MaxPooling2D, Activation, ReLU, Softmax, Rescaling).',
    );
  if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast') refuse('is not channels-last.');
  const name = layer.name;
  const act = (v: unknown) => (v ?? 'linear') as KerasActivation;
  switch (kind) {
    case 'conv':
      return {
        kind,
        name,
        filters: Number(c.filters),
        kernel: two(c.kernelSize),
        strides: two(c.strides),
        padding: c.padding as Padding,
        dilation: two(c.dilationRate),
        activation: act(c.activation),
        useBias: c.useBias !== false,
      };
    case 'dense':
      return { kind, name, units: Number(c.units), activation: act(c.activation), useBias: c.useBias !== false };
    case 'batchNorm':
      return {
        kind,
        name,
        axis: -1,
        epsilon: Number(c.epsilon),
        momentum: Number(c.momentum),
        center: c.center !== false,
        scale: c.scale !== false,
      };
    case 'maxPool':
      return {
        kind,
        name,
        pool: two(c.poolSize),
        strides: two(c.strides ?? c.poolSize),
        padding: c.padding as Padding,
      };
    case 'dropout':
      return { kind, name, rate: Number(c.rate) };
    case 'flatten':
      return { kind, name };
    case 'activation':
      return { kind, name, activation: act(c.activation) };
    case 'relu':
      if ((c.maxValue ?? null) !== null) refuse('has a maximum value.');
      return { kind, name };
    case 'softmax':
      return { kind, name };
    case 'rescaling':
      return { kind, name, scale: Number(c.scale), offset: Number(c.offset ?? 0) };
  }
}

/**
 * The chain and weights of a model built by the lab (its zoo, or a loaded file): a single chain from one input,
 * with an InputResize first when the model was loaded for another input size (its input is then that size).
 */
export async function chainOfModel(model: tf.LayersModel): Promise<{ chain: KerasChain; weights: LayerWeights }> {
  // A functional model lists its InputLayer among its layers, a tfjs Sequential does not: take it from the input.
  const input = model.inputs[0]?.sourceLayer;
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || input?.getClassName() !== 'InputLayer')
    throw new Error('Only models with one input and one output can be saved as Keras files.');
  const rest = model.layers.filter((l) => l !== input);
  const inputShape = model.inputs[0].shape;
  let shape: [number, number, number] = [Number(inputShape[1]), Number(inputShape[2]), Number(inputShape[3])];
  let previous = model.inputs[0];
  for (const layer of rest) {
    if (layer.inboundNodes.length !== 1 || layer.input !== previous)
      throw new Error(
        `Layer "${layer.name}" does not take its input from the layer before it: only single-chain models can be saved as Keras files.`,
      );
    previous = layer.output as tf.SymbolicTensor;
  }
  let layers = rest;
  if (layers[0]?.getClassName() === INPUT_RESIZE_CLASS) {
    const resize = layers[0] as InputResize;
    shape = [resize.height, resize.width, shape[2]];
    layers = layers.slice(1);
  }
  const chain: KerasChain = {
    name: model.name.replace(/[^-A-Za-z0-9._]/g, '_') || 'model',
    inputName: input.name,
    inputShape: shape,
    layers: layers.map(chainLayerOf),
  };
  const weights: LayerWeights = [];
  for (const layer of layers) {
    const values: Float32Array[] = [];
    for (const w of layer.weights) values.push(Float32Array.from(await w.read().data()));
    weights.push(values);
  }
  return { chain, weights };
}
