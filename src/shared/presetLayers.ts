/**
 * The model zoo's layers as plain data: name, class, output shape and weight shapes of every layer that
 * src/ml/models.ts builds, computed without TensorFlow.js so the page can size a preset before the worker
 * builds it (src/shared/presetFit.ts). src/ml/presetLayers.test.ts checks every layer against the real tfjs
 * models, so a change to models.ts that is not mirrored here fails a test.
 */
import type { ModelOptions } from './trainingConfig';

export type LayerClass = 'InputLayer' | 'Conv2D' | 'BatchNormalization' | 'MaxPooling2D' | 'Flatten' | 'Dense' | 'Dropout';

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

export const INPUT_SHAPE = [64, 64, 3];

export const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

export function layerParams(layer: LayerSpec): number {
  return layer.weights.reduce((n, w) => n + sizeOf(w.shape), 0);
}

/** Builds the layer list in the order models.ts applies the layers. */
class Walk {
  readonly layers: LayerSpec[] = [{ name: 'image', className: 'InputLayer', outputShape: [...INPUT_SHAPE], weights: [] }];

  private get shape(): number[] {
    return this.layers[this.layers.length - 1].outputShape;
  }

  conv(filters: number, name: string, padding: 'same' | 'valid' = 'same'): void {
    const [h, w, cin] = this.shape;
    // 3×3, stride 1: 'valid' loses one pixel on each side.
    const out = padding === 'same' ? [h, w, filters] : [h - 2, w - 2, filters];
    this.push(name, 'Conv2D', out, [
      { name: 'kernel', shape: [3, 3, cin, filters], trainable: true },
      { name: 'bias', shape: [filters], trainable: true },
    ]);
  }

  pool(name: string): void {
    const [h, w, c] = this.shape;
    // 2×2, stride 2, 'valid' (Keras' default): floor((n − 2) / 2) + 1.
    this.push(name, 'MaxPooling2D', [Math.floor((h - 2) / 2) + 1, Math.floor((w - 2) / 2) + 1, c], []);
  }

  batchNorm(name: string): void {
    const c = this.shape[this.shape.length - 1];
    this.push(name, 'BatchNormalization', [...this.shape], [
      { name: 'gamma', shape: [c], trainable: true },
      { name: 'beta', shape: [c], trainable: true },
      { name: 'moving_mean', shape: [c], trainable: false },
      { name: 'moving_variance', shape: [c], trainable: false },
    ]);
  }

  flatten(): void {
    this.push('flatten', 'Flatten', [sizeOf(this.shape)], []);
  }

  dense(units: number, name: string): void {
    const inputs = this.shape[this.shape.length - 1];
    this.push(name, 'Dense', [units], [
      { name: 'kernel', shape: [inputs, units], trainable: true },
      { name: 'bias', shape: [units], trainable: true },
    ]);
  }

  dropout(rate: number): void {
    // models.ts adds no layer for a rate of 0.
    if (rate > 0) this.push('dropout', 'Dropout', [...this.shape], []);
  }

  private push(name: string, className: LayerClass, outputShape: number[], weights: WeightSpec[]): void {
    this.layers.push({ name, className, outputShape, weights });
  }
}

/** Every layer of the preset `o` describes, as buildModel(o) makes it. */
export function presetLayers(o: ModelOptions): LayerSpec[] {
  const m = new Walk();
  switch (o.architecture) {
    case 'paper':
      m.conv(64, 'conv1');
      m.conv(64, 'conv2');
      m.conv(128, 'conv3');
      for (let i = 4; i <= 13; i++) m.conv(128, `conv${i}`, i === 13 ? 'valid' : 'same');
      m.flatten();
      m.dense(128, 'dense128');
      if (o.batchNormLayers >= 2) m.batchNorm('batchnorm128');
      m.dense(512, 'dense512');
      if (o.batchNormLayers >= 1) m.batchNorm('batchnorm512');
      break;
    case 'vgg16':
    case 'vgg19': {
      const perBlock = o.architecture === 'vgg16' ? [2, 2, 3, 3, 3] : [2, 2, 4, 4, 4];
      const widths = [64, 128, 256, 512, 512];
      perBlock.forEach((n, b) => {
        for (let i = 1; i <= n; i++) m.conv(widths[b], `block${b + 1}_conv${i}`);
        m.pool(`block${b + 1}_pool`);
      });
      m.flatten();
      m.dense(512, 'fc512');
      break;
    }
    case 'compact': {
      const w = (c: number) => Math.max(1, Math.round(c * o.widthMultiplier));
      [16, 32, 64, 64].forEach((c, i) => {
        m.conv(w(c), `conv${i + 1}`);
        m.batchNorm(`bn${i + 1}`);
        m.pool(`pool${i + 1}`);
      });
      m.flatten();
      m.dense(w(64), 'dense64');
      if (o.batchNormLayers >= 1) m.batchNorm('batchnorm');
      break;
    }
  }
  m.dropout(o.dropout);
  m.dense(o.numClasses, 'predictions');
  return m.layers;
}
