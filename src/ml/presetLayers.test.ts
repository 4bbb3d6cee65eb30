/**
 * The tfjs-free arithmetic used by the Train page's fit check against TensorFlow.js itself: every layer shape
 * src/shared/presetLayers.ts computes from the zoo's layer lists (src/shared/modelZoo.ts) against the model
 * src/ml/models.ts really builds from the same lists, and the WebGL texture-shape port
 * (src/shared/webglTextureShape.ts) against tfjs-backend-webgl's own function.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateFit } from '../shared/presetFit';
import { presetLayers } from '../shared/presetLayers';
import { DEFAULT_CONFIG, PAPER_CONFIG, type ModelOptions } from '../shared/trainingConfig';
import { textureShapeOf } from '../shared/webglTextureShape';
import { buildModel } from './models';

/** name, class, output shape (batch left out) and [shape, trainable] of each weight, as tfjs reports them. */
function realLayers(o: ModelOptions) {
  const model = buildModel(o);
  try {
    return model.layers.map((layer) => ({
      name: layer.name,
      className: layer.getClassName(),
      outputShape: (layer.outputShape as number[]).slice(1),
      weights: layer.weights.map((w) => [w.shape, w.trainable]),
    }));
  } finally {
    model.dispose();
  }
}

function mirroredLayers(o: ModelOptions) {
  return presetLayers(o).map((l) => ({ ...l, weights: l.weights.map((w) => [w.shape, w.trainable]) }));
}

describe('presetLayers gives the shapes of the model models.ts builds', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases: Array<[string, ModelOptions]> = [
    ['paper, paper settings', PAPER_CONFIG],
    ['paper, the table (one batch norm, no dropout)', { ...PAPER_CONFIG, batchNormLayers: 1, dropout: 0 }],
    ['vgg16', { ...DEFAULT_CONFIG, architecture: 'vgg16' }],
    ['vgg19, 5 classes', { ...DEFAULT_CONFIG, architecture: 'vgg19', numClasses: 5 }],
    ['compact (default)', DEFAULT_CONFIG],
    [
      'compact ×0.3, no head batch norm, no dropout',
      { ...DEFAULT_CONFIG, widthMultiplier: 0.3, batchNormLayers: 0, dropout: 0 },
    ],
  ];
  for (const [name, options] of cases) {
    it(`${name}: every layer's name, class, output shape and weight shapes`, () => {
      expect(mirroredLayers(options)).toEqual(realLayers(options));
    });
  }

  for (const [name, config] of [
    ['compact', DEFAULT_CONFIG],
    ['paper', PAPER_CONFIG],
  ] as const) {
    it(`${name}: the estimate's parameter counts and largest weight are the real model's`, () => {
      const model = buildModel(config);
      try {
        const e = estimateFit(config);
        const weights = model.weights.map((w) => ({ tensor: w.read(), trainable: w.trainable }));
        expect(e.params).toBe(model.countParams());
        expect(e.trainableParams).toBe(weights.filter((w) => w.trainable).reduce((n, w) => n + w.tensor.size, 0));
        const biggest = weights.reduce((a, b) => (b.tensor.size > a.tensor.size ? b : a)).tensor;
        expect(e.largestWeight.shape).toEqual(biggest.shape);
        expect(e.largestWeight.bytes).toBe(biggest.size * tf.util.bytesPerElement(biggest.dtype));
        expect(e.weightBytes).toBe(
          weights.reduce((n, w) => n + w.tensor.size * tf.util.bytesPerElement(w.tensor.dtype), 0),
        );
      } finally {
        model.dispose();
      }
    });
  }
});

describe('WebGL texture shapes: the port against tfjs-backend-webgl', () => {
  // The flags are registered by tfjs-backend-webgl on import; setting them means no GL context is asked for.
  afterAll(() => {
    tf.env().set('WEBGL_MAX_TEXTURE_SIZE', 16384);
    tf.env().set('WEBGL_AUTO_SQUARIFY_NARROW_TEXTURE_SHAPE', false);
  });

  const shapes = [
    [492_032, 128], // the paper's dense kernel
    [128, 64, 64, 128], // the paper's conv output at batch 128
    [16, 64, 64, 3],
    [128, 1_152, 4_096], // an im2col matrix
    [3, 3, 128, 128],
    [7],
    [1, 5],
    [33, 1, 65],
    [2, 1_000_001],
  ];
  for (const [max, squarify] of [
    [4096, false],
    [8192, false],
    [16384, false],
    [8192, true],
  ] as const) {
    it(`MAX_TEXTURE_SIZE ${max}${squarify ? ', narrow textures squarified' : ''}: same [rows, cols] as getTextureShapeFromLogicalShape, packed and not`, () => {
      tf.env().set('WEBGL_MAX_TEXTURE_SIZE', max);
      tf.env().set('WEBGL_AUTO_SQUARIFY_NARROW_TEXTURE_SHAPE', squarify);
      const flags = { maxTextureSize: max, maxSizeForNarrowTexture: Infinity, autoSquarifyNarrowTexture: squarify };
      for (const shape of shapes) {
        for (const packed of [false, true]) {
          expect(textureShapeOf(shape, packed, flags), `${shape} packed=${packed}`).toEqual(
            tf.webgl_util.getTextureShapeFromLogicalShape(shape, packed),
          );
        }
      }
    });
  }
});
