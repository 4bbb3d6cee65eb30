/**
 * The model zoo: the paper's custom VGG variant, Keras' VGG16/VGG19 convolutional bases at 64×64, and a
 * compact default. Every builder takes plain ModelOptions so a checkpoint can rebuild its model exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { hashSeed } from '../shared/synthetic/rng';
import type { ModelOptions } from '../shared/trainingConfig';

export const INPUT_SHAPE = [64, 64, 3] as const;

type Sym = tf.SymbolicTensor;

/** Set only while buildModel runs (it is synchronous): the seed for every kernel initialiser, or null. */
let initSeed: number | null = null;

/** Keras' default kernel initialiser (Glorot uniform), seeded per layer name when a seed is given. */
function kernelInit(name: string): ReturnType<typeof tf.initializers.glorotUniform> | undefined {
  if (initSeed === null) return undefined;
  const nameHash = [...name].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
  return tf.initializers.glorotUniform({ seed: hashSeed(initSeed, nameHash) });
}

function conv(x: Sym, filters: number, name: string, padding: 'same' | 'valid' = 'same'): Sym {
  return tf.layers
    .conv2d({ filters, kernelSize: 3, padding, activation: 'relu', name, kernelInitializer: kernelInit(name) })
    .apply(x) as Sym;
}

function pool(x: Sym, name: string): Sym {
  return tf.layers.maxPooling2d({ poolSize: 2, strides: 2, name }).apply(x) as Sym;
}

function dense(x: Sym, units: number, name: string, activation: 'relu' | 'softmax' = 'relu'): Sym {
  return tf.layers.dense({ units, activation, name, kernelInitializer: kernelInit(name) }).apply(x) as Sym;
}

function batchNorm(x: Sym, name: string, momentum = 0.99): Sym {
  return tf.layers.batchNormalization({ name, momentum }).apply(x) as Sym;
}

function dropout(x: Sym, rate: number, name: string): Sym {
  return rate > 0 ? (tf.layers.dropout({ rate, name }).apply(x) as Sym) : x;
}

/**
 * Paper §4.1, figure 2: 13 conv 3×3 ReLU layers without pooling (3→64, 64→64, 64→128, then ten 128→128;
 * 'same' padding except the last, which is 'valid' so the output is 62×62×128), flatten (492,032),
 * dense 128, dense 512, batch norm, dense 2 softmax: 64,637,762 parameters.
 * Not in the paper's table but in its text: a second batch norm (we place it after dense 128, the only other
 * dense layer, +512 params) and dropout 0.35 (we place it just before the softmax, no params).
 */
function buildPaper(input: Sym, o: ModelOptions): Sym {
  let x = conv(input, 64, 'conv1');
  x = conv(x, 64, 'conv2');
  x = conv(x, 128, 'conv3');
  for (let i = 4; i <= 13; i++) x = conv(x, 128, `conv${i}`, i === 13 ? 'valid' : 'same');
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as Sym;
  x = dense(x, 128, 'dense128');
  if (o.batchNormLayers >= 2) x = batchNorm(x, 'batchnorm128');
  x = dense(x, 512, 'dense512');
  if (o.batchNormLayers >= 1) x = batchNorm(x, 'batchnorm512');
  x = dropout(x, o.dropout, 'dropout');
  return dense(x, o.numClasses, 'predictions', 'softmax');
}

/** Keras' VGG16 (blocks of 2,2,3,3,3 convs) or VGG19 (2,2,4,4,4) base; at 64×64 it ends at 2×2×512. */
function buildVgg(input: Sym, o: ModelOptions, convsPerBlock: number[]): Sym {
  const widths = [64, 128, 256, 512, 512];
  let x = input;
  convsPerBlock.forEach((n, b) => {
    for (let i = 1; i <= n; i++) x = conv(x, widths[b], `block${b + 1}_conv${i}`);
    x = pool(x, `block${b + 1}_pool`);
  });
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as Sym;
  x = dense(x, 512, 'fc512');
  x = dropout(x, o.dropout, 'dropout');
  return dense(x, o.numClasses, 'predictions', 'softmax');
}

/**
 * Compact default: four conv → batch norm → 2×2 max-pool stages (16, 32, 64, 64 channels × widthMultiplier),
 * dense 64, optional batch norm, dropout, softmax. About 27 MFLOP per forward pass: minutes on a CPU.
 * The conv batch norms are what make it learn the synthetic lookalikes within 2 epochs of 410 images: test
 * accuracy 0.68–0.79 in 6 runs with them, against 0.50–0.79 (often stuck at 0.50) without (wasm, batch 16).
 */
function buildCompact(input: Sym, o: ModelOptions): Sym {
  const w = (c: number) => Math.max(1, Math.round(c * o.widthMultiplier));
  let x = input;
  [16, 32, 64, 64].forEach((c, i) => {
    x = conv(x, w(c), `conv${i + 1}`);
    x = batchNorm(x, `bn${i + 1}`, 0.9);
    x = pool(x, `pool${i + 1}`);
  });
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as Sym;
  x = dense(x, w(64), 'dense64');
  // Momentum 0.9, not Keras' 0.99: compact trains for tens of steps, and with 0.99 the moving statistics used
  // at test time are still mostly their initial values after 2 epochs (test accuracy stuck at 0.5, measured).
  if (o.batchNormLayers >= 1) x = batchNorm(x, 'batchnorm', 0.9);
  x = dropout(x, o.dropout, 'dropout');
  return dense(x, o.numClasses, 'predictions', 'softmax');
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
  const input = tf.input({ shape: [...INPUT_SHAPE], name: 'image' });
  let output: Sym;
  switch (o.architecture) {
    case 'paper':
      output = buildPaper(input, o);
      break;
    case 'vgg16':
      output = buildVgg(input, o, [2, 2, 3, 3, 3]);
      break;
    case 'vgg19':
      output = buildVgg(input, o, [2, 2, 4, 4, 4]);
      break;
    case 'compact':
      output = buildCompact(input, o);
      break;
  }
  return tf.model({ inputs: input, outputs: output, name: o.architecture });
}
