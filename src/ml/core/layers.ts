/**
 * The ML core's layer walk, shared by See (saliency, activation maximisation), Fool (the attack engines) and
 * everything that needs a model's logits: the input's shape, a layer's index and output id, and running the
 * model layer by layer so a caller can substitute an intermediate activation or take the softmax head's
 * pre-activation (logits) without building new layers. Call inside tf.tidy / tf.grad.
 */
import * as tf from '@tensorflow/tfjs';

type Sym = tf.SymbolicTensor;

function asArray<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

/** [height, width, channels] of the model's (single) image input. */
export function inputShape(model: tf.LayersModel): [number, number, number] {
  const s = model.inputs[0].shape;
  if (s.length !== 4 || s.slice(1).some((d) => d == null))
    throw new Error(`expected an [n,h,w,c] input, got ${JSON.stringify(s)}`);
  return [s[1] as number, s[2] as number, s[3] as number];
}

export function layerIndex(model: tf.LayersModel, name: string): number {
  const i = model.layers.findIndex((l) => l.name === name);
  if (i < 0) throw new Error(`model ${model.name} has no layer named ${name}`);
  return i;
}

/** The id of a layer's (single) output symbolic tensor. */
export function outputId(layer: tf.layers.Layer): number {
  return asArray(layer.output as Sym | Sym[])[0].id;
}

export function isSoftmaxDense(layer: tf.layers.Layer): boolean {
  return layer.getClassName() === 'Dense' && (layer.getConfig() as { activation?: unknown }).activation === 'softmax';
}

/** A softmax Dense layer's pre-activation. Its weights are live variables: never dispose them. */
function denseLogits(layer: tf.layers.Layer, h: tf.Tensor): tf.Tensor {
  const [kernel, bias] = layer.getWeights();
  const flat = h.reshape([-1, h.shape[h.shape.length - 1]]);
  let z = tf.matMul(flat as tf.Tensor2D, kernel as tf.Tensor2D) as tf.Tensor;
  if (bias) z = tf.add(z, bias);
  return z.reshape([...h.shape.slice(0, -1), kernel.shape[1] as number]);
}

/**
 * Runs model.layers[from..to] eagerly (inference mode), reading inputs from and writing outputs to `values`
 * (symbolic tensor id → tensor). Layers whose outputs are already in `values` are skipped, which is how a
 * caller substitutes an intermediate activation. With `logits`, a softmax Dense output layer yields its
 * pre-activation. Call inside tf.tidy / tf.grad.
 */
export function runLayers(
  model: tf.LayersModel,
  values: Map<number, tf.Tensor>,
  from: number,
  to: number,
  logits: boolean,
): void {
  const finalId = model.outputs[0].id;
  for (let i = from; i <= to; i++) {
    const layer = model.layers[i];
    if (layer.getClassName() === 'InputLayer') continue;
    const outs = asArray(layer.output as Sym | Sym[]);
    if (outs.every((o) => values.has(o.id))) continue;
    const ins = asArray(layer.input as Sym | Sym[]).map((s) => {
      const v = values.get(s.id);
      if (!v) throw new Error(`layer ${layer.name}: input ${s.name} not computed`);
      return v;
    });
    const result =
      logits && outs[0].id === finalId && isSoftmaxDense(layer)
        ? denseLogits(layer, ins[0])
        : (layer.apply(ins.length === 1 ? ins[0] : ins, { training: false }) as tf.Tensor | tf.Tensor[]);
    asArray(result).forEach((t, k) => values.set(outs[k].id, t));
  }
}

/** Feeds x as the model's input; returns the value map (call inside tf.tidy). */
export function feed(model: tf.LayersModel, x: tf.Tensor): Map<number, tf.Tensor> {
  return new Map([[model.inputs[0].id, x]]);
}
