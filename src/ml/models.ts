/**
 * Builds the model zoo's TensorFlow.js models from their layer lists (src/shared/modelZoo.ts: the paper's
 * custom VGG variant, Keras' VGG16/VGG19 convolutional bases at 64×64, and a compact default). Every model
 * is built from plain ModelOptions so a checkpoint can rebuild its model exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SHAPE } from '../shared/imageGeometry';
import { INPUT_NAME, modelLayers, type LayerOp } from '../shared/modelZoo';
import { hashSeed } from '../shared/synthetic/rng';
import type { ModelOptions } from '../shared/trainingConfig';

type Sym = tf.SymbolicTensor;

/** Set only while buildModel runs (it is synchronous): the seed for every kernel initialiser, or null. */
let initSeed: number | null = null;

/** Keras' default kernel initialiser (Glorot uniform), seeded per layer name when a seed is given. */
function kernelInit(name: string): ReturnType<typeof tf.initializers.glorotUniform> | undefined {
  if (initSeed === null) return undefined;
  const nameHash = [...name].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
  return tf.initializers.glorotUniform({ seed: hashSeed(initSeed, nameHash) });
}

/** The tfjs layer for one entry of the zoo's layer list. */
function layerOf(op: LayerOp): tf.layers.Layer {
  const { name } = op;
  switch (op.kind) {
    case 'conv':
      return tf.layers.conv2d({
        filters: op.filters,
        kernelSize: op.kernelSize,
        padding: op.padding,
        activation: 'relu',
        name,
        kernelInitializer: kernelInit(name),
      });
    case 'pool':
      return tf.layers.maxPooling2d({ poolSize: op.poolSize, strides: op.poolSize, name });
    case 'batchNorm':
      return tf.layers.batchNormalization({ name, momentum: op.momentum });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'dense':
      return tf.layers.dense({ units: op.units, activation: op.activation, name, kernelInitializer: kernelInit(name) });
    case 'dropout':
      return tf.layers.dropout({ rate: op.rate, name });
  }
}

/**
 * Builds a fresh, uncompiled model. Call inside the worker; the caller owns (and disposes) it. With `seed`,
 * every kernel starts from the same seeded draw, so a training run can be repeated (dropout stays random).
 */
export function buildModel(o: ModelOptions, seed: number | null = null): tf.LayersModel {
  initSeed = seed;
  try {
    return buildLayers(o);
  } finally {
    initSeed = null;
  }
}

function buildLayers(o: ModelOptions): tf.LayersModel {
  const input = tf.input({ shape: [...INPUT_SHAPE], name: INPUT_NAME });
  let output: Sym = input;
  for (const op of modelLayers(o)) output = layerOf(op).apply(output) as Sym;
  return tf.model({ inputs: input, outputs: output, name: o.architecture });
}
