/**
 * Model and optimizer state ⇄ plain Float32Arrays for IndexedDB. Reads are asynchronous (`await data()`),
 * which is the only correct way to read WebGPU tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { StoredTensor } from '../db/schema';

export async function readModelWeights(model: tf.LayersModel): Promise<StoredTensor[]> {
  const out: StoredTensor[] = [];
  for (const w of model.weights) {
    const v = w.read();
    out.push({ name: w.originalName, shape: [...v.shape], data: Float32Array.from(await v.data()) });
  }
  return out;
}

export function writeModelWeights(model: tf.LayersModel, stored: StoredTensor[]): void {
  if (stored.length !== model.weights.length)
    throw new Error(`checkpoint has ${stored.length} weights, model has ${model.weights.length}`);
  const tensors = stored.map((s, i) => {
    const expected = model.weights[i].shape.join('×');
    if (s.shape.join('×') !== expected) throw new Error(`weight ${s.name}: shape ${s.shape} ≠ ${expected}`);
    return tf.tensor(s.data, s.shape);
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}

export async function readOptimizerState(optimizer: tf.Optimizer): Promise<StoredTensor[]> {
  const named = await optimizer.getWeights();
  const out: StoredTensor[] = [];
  for (const { name, tensor } of named) {
    out.push({ name, shape: [...tensor.shape], data: Float32Array.from(await tensor.data()) });
    // 'iter' is a fresh scalar made for us; the others are the optimizer's own live variables.
    if (name === 'iter') tensor.dispose();
  }
  return out;
}

export async function writeOptimizerState(optimizer: tf.Optimizer, stored: StoredTensor[]): Promise<void> {
  const named = stored.map((s) => ({
    name: s.name,
    tensor: s.name === 'iter' ? tf.scalar(s.data[0], 'int32') : tf.tensor(s.data, s.shape),
  }));
  await optimizer.setWeights(named);
  // setWeights copies into variables of its own.
  tf.dispose(named.map((n) => n.tensor));
}

export function storedBytes(tensors: StoredTensor[]): number {
  return tensors.reduce((n, t) => n + t.data.byteLength, 0);
}
