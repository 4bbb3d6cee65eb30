/**
 * The model zoo as data, the one place its architectures are written: the paper's custom VGG variant,
 * Keras' VGG16/VGG19 convolutional bases at 64×64, and a compact default, each as the list of layers in the
 * order they are applied. The worker builds the TensorFlow.js model from this list (src/ml/models.ts) and
 * the page sizes the same model from it without TensorFlow.js (src/shared/presetLayers.ts, for the fit
 * check). Thread-neutral: plain data, no tfjs, no DOM.
 */
import type { ModelOptions } from './trainingConfig';

/** One layer as it is applied to the previous one's output. Convolutions and dense layers but the last use ReLU. */
export type LayerOp =
  /** kernelSize × kernelSize, stride 1; 'valid' loses kernelSize − 1 pixels. */
  | { kind: 'conv'; name: string; filters: number; kernelSize: number; padding: 'same' | 'valid' }
  /** Max-pooling, poolSize × poolSize with stride poolSize, 'valid' (Keras' default). */
  | { kind: 'pool'; name: string; poolSize: number }
  | { kind: 'batchNorm'; name: string; momentum: number }
  | { kind: 'flatten'; name: string }
  | { kind: 'dense'; name: string; units: number; activation: 'relu' | 'softmax' }
  | { kind: 'dropout'; name: string; rate: number };

/** Name of the input layer. */
export const INPUT_NAME = 'image';

/** Keras' default batch-norm momentum; the compact model uses 0.9 (see compact). */
const KERAS_MOMENTUM = 0.99;

class Recipe {
  readonly ops: LayerOp[] = [];
  conv(filters: number, name: string, padding: 'same' | 'valid' = 'same'): void {
    this.ops.push({ kind: 'conv', name, filters, kernelSize: 3, padding });
  }
  pool(name: string): void {
    this.ops.push({ kind: 'pool', name, poolSize: 2 });
  }
  batchNorm(name: string, momentum = KERAS_MOMENTUM): void {
    this.ops.push({ kind: 'batchNorm', name, momentum });
  }
  flatten(): void {
    this.ops.push({ kind: 'flatten', name: 'flatten' });
  }
  dense(units: number, name: string, activation: 'relu' | 'softmax' = 'relu'): void {
    this.ops.push({ kind: 'dense', name, units, activation });
  }
  /** No layer at all for a rate of 0. */
  dropout(rate: number): void {
    if (rate > 0) this.ops.push({ kind: 'dropout', name: 'dropout', rate });
  }
}

/**
 * Paper §4.1, figure 2: 13 conv 3×3 ReLU layers without pooling (3→64, 64→64, 64→128, then ten 128→128;
 * 'same' padding except the last, which is 'valid' so the output is 62×62×128), flatten (492,032),
 * dense 128, dense 512, batch norm, dense 2 softmax: 64,637,762 parameters.
 * Not in the paper's table but in its text: a second batch norm (we place it after dense 128, the only other
 * dense layer, +512 params) and dropout 0.35 (we place it just before the softmax, no params).
 */
function paper(m: Recipe, o: ModelOptions): void {
  m.conv(64, 'conv1');
  m.conv(64, 'conv2');
  m.conv(128, 'conv3');
  for (let i = 4; i <= 13; i++) m.conv(128, `conv${i}`, i === 13 ? 'valid' : 'same');
  m.flatten();
  m.dense(128, 'dense128');
  if (o.batchNormLayers >= 2) m.batchNorm('batchnorm128');
  m.dense(512, 'dense512');
  if (o.batchNormLayers >= 1) m.batchNorm('batchnorm512');
}

/** Keras' VGG16 (blocks of 2,2,3,3,3 convs) or VGG19 (2,2,4,4,4) base; at 64×64 it ends at 2×2×512. */
function vgg(m: Recipe, convsPerBlock: number[]): void {
  const widths = [64, 128, 256, 512, 512];
  convsPerBlock.forEach((n, b) => {
    for (let i = 1; i <= n; i++) m.conv(widths[b], `block${b + 1}_conv${i}`);
    m.pool(`block${b + 1}_pool`);
  });
  m.flatten();
  m.dense(512, 'fc512');
}

/**
 * Compact default: four conv → batch norm → 2×2 max-pool stages (16, 32, 64, 64 channels × widthMultiplier),
 * dense 64, optional batch norm, dropout, softmax. About 27 MFLOP per forward pass: minutes on a CPU.
 * The conv batch norms are what make it learn the synthetic lookalikes within 2 epochs of 410 images: test
 * accuracy 0.68–0.79 in 6 runs with them, against 0.50–0.79 (often stuck at 0.50) without (wasm, batch 16).
 * Momentum 0.9, not Keras' 0.99: compact trains for tens of steps, and with 0.99 the moving statistics used
 * at test time are still mostly their initial values after 2 epochs (test accuracy stuck at 0.5, measured).
 */
function compact(m: Recipe, o: ModelOptions): void {
  const w = (c: number) => Math.max(1, Math.round(c * o.widthMultiplier));
  [16, 32, 64, 64].forEach((c, i) => {
    m.conv(w(c), `conv${i + 1}`);
    m.batchNorm(`bn${i + 1}`, 0.9);
    m.pool(`pool${i + 1}`);
  });
  m.flatten();
  m.dense(w(64), 'dense64');
  if (o.batchNormLayers >= 1) m.batchNorm('batchnorm', 0.9);
}

/** Every layer after the input that the preset `o` describes, in the order buildModel(o) applies them. */
export function modelLayers(o: ModelOptions): LayerOp[] {
  const m = new Recipe();
  switch (o.architecture) {
    case 'paper':
      paper(m, o);
      break;
    case 'vgg16':
      vgg(m, [2, 2, 3, 3, 3]);
      break;
    case 'vgg19':
      vgg(m, [2, 2, 4, 4, 4]);
      break;
    case 'compact':
      compact(m, o);
      break;
  }
  // Every architecture ends the same way: dropout (if any) just before the softmax.
  m.dropout(o.dropout);
  m.dense(o.numClasses, 'predictions', 'softmax');
  return m.ops;
}
