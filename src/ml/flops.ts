/**
 * FLOPs of a tfjs layers model per image: 2 × multiply-adds of its convolutions (2·H·W·Cout·Cin·kh·kw, H×W the
 * output size) and dense layers (2·in·out). Pooling, batch norm, activations and the optimizer are left out
 * (a few % at most for our models). A training step costs about 3× the forward pass (forward, then the input
 * and weight gradients, each as large as the forward); bench/run.mjs and bench/torch_peer.py use the same rule.
 */
import type * as tf from '@tensorflow/tfjs';

export interface LayerFlops {
  name: string;
  className: string;
  flops: number;
}

export interface ModelFlops {
  /** Forward pass, one image. */
  forward: number;
  /** ≈ 3 × forward: one training step per image. */
  train: number;
  layers: LayerFlops[];
}

export function countFlops(model: tf.LayersModel): ModelFlops {
  const layers: LayerFlops[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    // The kernel is a Conv2D's or Dense's first weight (names get suffixes like kernel_1 when models share a process).
    const kernel = layer.weights[0]?.shape;
    if (!kernel) continue;
    let flops = 0;
    if (className === 'Conv2D') {
      const out = layer.outputShape as number[]; // [null, H, W, Cout]
      const [kh, kw, cin, cout] = kernel as number[];
      flops = 2 * out[1] * out[2] * cout * cin * kh * kw;
    } else if (className === 'Dense') {
      const [inputs, units] = kernel as number[];
      flops = 2 * inputs * units;
    } else continue;
    layers.push({ name: layer.name, className, flops });
  }
  const forward = layers.reduce((n, l) => n + l.flops, 0);
  return { forward, train: 3 * forward, layers };
}
