/**
 * Test helper (Node / Vitest only): the shipped demo model (public/demo, compact trained on the seeded synthetic
 * lookalikes) and its dataset's splits, regenerated without IndexedDB, so See tests measure a ≥ 90 % model
 * exactly as the browser installs it. Call after the tfjs backend is set up (the model is built on it).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { splitIndices } from '../db/datasets';
import { writeModelWeights } from '../ml/checkpoint';
import { stratifiedSplit } from '../ml/data/splits';
import { parseDemoModel } from '../features/share/worker/demo/installDemo';
import { buildModel } from '../ml/models';
import { toInput } from '../ml/trainStep';
import { DEMO, type DemoModelFile } from '../shared/demo';
import { generateFace, type FaceParams } from '../shared/synthetic/lookalikes';
import { hashSeed } from '../shared/synthetic/rng';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';

export interface DemoFace {
  /** 64×64×3 uint8, HWC. */
  pixels: Uint8Array;
  label: number;
  /** 64×64 region ids (REGION_NAMES). */
  mask: Uint8Array;
  /** The generator's parameters (the face's geometry). */
  params: FaceParams;
}

export async function loadDemoModel(): Promise<tf.LayersModel> {
  const meta = JSON.parse(await readFile(join(process.cwd(), 'public', DEMO.metaPath), 'utf8')) as DemoModelFile;
  const bin = await readFile(join(process.cwd(), 'public', DEMO.weightsPath));
  const stored = parseDemoModel(meta, bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const model = buildModel(meta.config);
  writeModelWeights(model, stored);
  return model;
}

/**
 * The demo dataset's test (and first `trainCount` training) faces. Image i of the main set is
 * generateFace(hash(seed, i), i mod 2) (iterateLookalikes), and the split depends only on the labels, the
 * validation flags and the seed, so this is the browser's split, in the same order.
 */
export function demoSplits(trainCount = 0): { test: DemoFace[]; train: DemoFace[] } {
  const validation = Math.max(2, Math.round(DEMO.count / 5));
  const labels = Uint8Array.from(
    { length: DEMO.count + validation },
    (_, i) => (i < DEMO.count ? i : i - DEMO.count) % 2,
  );
  const split = stratifiedSplit('demo', labels, (i) => i >= DEMO.count, DEMO.seed);
  const face = (i: number): DemoFace => {
    const f = generateFace(hashSeed(DEMO.seed, i), (i % 2) as 0 | 1);
    return { pixels: f.pixels, label: i % 2, mask: f.mask, params: f.params };
  };
  return {
    test: Array.from(splitIndices(split, 'test'), face),
    train: Array.from(splitIndices(split, 'train').slice(0, trainCount), face),
  };
}

/** Share of `faces` the model classifies as their label (batches of 100, async reads only). */
export async function accuracy(model: tf.LayersModel, faces: DemoFace[]): Promise<number> {
  let correct = 0;
  for (let start = 0; start < faces.length; start += 100) {
    const chunk = faces.slice(start, start + 100);
    const pixels = new Uint8Array(chunk.length * PIXELS_PER_IMAGE);
    chunk.forEach((f, k) => pixels.set(f.pixels, k * PIXELS_PER_IMAGE));
    const classes = tf.tidy(() => tf.argMax(model.predict(toInput(pixels, chunk.length)) as tf.Tensor, -1));
    const d = await classes.data();
    classes.dispose();
    chunk.forEach((f, k) => (correct += d[k] === f.label ? 1 : 0));
  }
  return correct / faces.length;
}
