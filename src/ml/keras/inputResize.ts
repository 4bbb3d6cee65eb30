/**
 * The lab's faces are 64×64; a model made for another input size gets this layer in front of it, so every part
 * of the lab (See, Fool, Survey) feeds it 64×64 crops unchanged. Bilinear with half-pixel centres, as Keras'
 * Resizing / tf.image.resize and PyTorch's interpolate(align_corners=False) do, written as two matrix products:
 * exact gradients on every backend (tfjs' ResizeBilinear gradient ignores half-pixel centres).
 * Registered with TensorFlow.js' serialisation so a stored run's topology rebuilds it.
 */
import * as tf from '@tensorflow/tfjs';

export const INPUT_RESIZE_CLASS = 'LookalikeInputResize';

/** Row i: the weights of the `from` source pixels that make output pixel i (half-pixel centres, edges clamped). */
export function resizeMatrix(to: number, from: number): Float32Array {
  const m = new Float32Array(to * from);
  const scale = from / to;
  for (let i = 0; i < to; i++) {
    const src = Math.max(0, (i + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(src), from - 1);
    const i1 = Math.min(i0 + 1, from - 1);
    const t = src - i0;
    m[i * from + i0] += 1 - t;
    m[i * from + i1] += t;
  }
  return m;
}

interface InputResizeArgs {
  height: number;
  width: number;
  name?: string;
}

export class InputResize extends tf.layers.Layer {
  static className = INPUT_RESIZE_CLASS;
  readonly height: number;
  readonly width: number;

  constructor(args: InputResizeArgs) {
    super({ name: args.name });
    this.height = args.height;
    this.width = args.width;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0], this.height, this.width, s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [n, h, w, c] = x.shape;
      const ry = tf.tensor2d(resizeMatrix(this.height, h), [this.height, h]);
      const rx = tf.tensor2d(resizeMatrix(this.width, w), [this.width, w]);
      // Rows: [H, n·W·C] → [h, n·W·C]; then columns: [W, n·h·C] → [w, n·h·C].
      const rows = tf.matMul(ry, x.transpose([1, 0, 2, 3]).reshape([h, n * w * c])).reshape([this.height, n, w, c]);
      const cols = tf
        .matMul(rx, rows.transpose([2, 1, 0, 3]).reshape([w, n * this.height * c]))
        .reshape([this.width, n, this.height, c]);
      return cols.transpose([1, 2, 0, 3]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width };
  }
}

tf.serialization.registerClass(InputResize);
