import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { meanActivation } from './activationMax';
import { evenlySpacedFilters, maximiseEveryConvLayer, type AllLayersProgress } from './activationMaxLayers';

const S = 16;

/** Three seeded conv layers (4, 6 and 8 filters, ReLU) with a pool between, then a dense head: tiny and fast on cpu. */
function tinyModel(): tf.LayersModel {
  const input = tf.input({ shape: [S, S, 3] });
  const conv = (filters: number, name: string, seed: number) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name,
      kernelInitializer: tf.initializers.heNormal({ seed }),
      // A bias of 1 keeps every filter alive on grey (a ReLU filter dead on grey gets no gradient and stays at 0).
      biasInitializer: tf.initializers.constant({ value: 1 }),
    });
  let x = conv(4, 'c1', 1).apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = conv(6, 'c2', 2).apply(x) as tf.SymbolicTensor;
  x = conv(8, 'c3', 3).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  const out = tf.layers
    .dense({
      units: 2,
      activation: 'softmax',
      name: 'out',
      kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

describe('activation maximisation across every conv layer', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('picks evenly spaced filters, at most one per channel', () => {
    expect(evenlySpacedFilters(64, 8)).toEqual([0, 8, 16, 24, 32, 40, 48, 56]);
    expect(evenlySpacedFilters(6, 3)).toEqual([0, 2, 4]);
    expect(evenlySpacedFilters(4, 8)).toEqual([0, 1, 2, 3]);
  });

  it('gives one row of N images per conv layer, each raising its own filter well above grey; progress in order; no tensor leaks', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const events: AllLayersProgress[] = [];
    const r = await maximiseEveryConvLayer(model, { perLayer: 3, steps: 30, seed: 2 }, (p) => events.push(p));
    expect(tf.memory().numTensors).toBe(before);
    expect(r.cancelled).toBe(false);
    expect(r.layersTotal).toBe(3);
    expect(r.rows.map((row) => row.layerName)).toEqual(['c1', 'c2', 'c3']);
    expect(r.rows.map((row) => row.images.map((i) => i.filter))).toEqual([
      [0, 1, 2],
      [0, 2, 4],
      [0, 2, 5],
    ]);

    const grey = new Float32Array(S * S * 3).fill(0.5);
    const lines: string[] = [];
    const checks: Array<[number, number]> = [];
    for (const row of r.rows) {
      for (const img of row.images) {
        expect(img.image.length).toBe(S * S * 3);
        expect(img.steps).toBe(30);
        const own = await meanActivation(model, img.image, row.layerName, img.filter);
        const onGrey = await meanActivation(model, grey, row.layerName, img.filter);
        lines.push(`${row.layerName}/${img.filter}: grey ${onGrey.toFixed(3)} → ${own.toFixed(3)}`);
        checks.push([own, onGrey]);
      }
    }
    console.log(`all-layers activation max (30 steps): ${lines.join('; ')}`);
    // Measured (30 steps, defaults, cpu): ratios 1.22–4.86×, mean 1.97×; rises 0.045–1.40. Asserted with some room:
    // every image ≥ 1.15× and +0.03 over grey, the mean ratio ≥ 1.8×.
    for (const [own, onGrey] of checks) {
      expect(own).toBeGreaterThanOrEqual(1.15 * onGrey);
      expect(own - onGrey).toBeGreaterThanOrEqual(0.03);
    }
    const meanRatio = checks.reduce((sum, [own, onGrey]) => sum + own / onGrey, 0) / checks.length;
    expect(meanRatio).toBeGreaterThanOrEqual(1.8);
    expect(tf.memory().numTensors).toBe(before);

    // One event per filter, in order; a layer's last filter's event carries its row.
    expect(events.map((e) => e.filtersDone)).toEqual(Array.from({ length: 9 }, (_, i) => i + 1));
    expect(events.every((e) => e.filtersTotal === 9 && e.layersTotal === 3)).toBe(true);
    expect(events.map((e) => e.layersDone)).toEqual([0, 0, 1, 1, 1, 2, 2, 2, 3]);
    expect(events.filter((e) => e.row).map((e) => e.row!.layerName)).toEqual(['c1', 'c2', 'c3']);
    expect(events.map((e) => e.elapsedMs)).toEqual([...events.map((e) => e.elapsedMs)].sort((a, b) => a - b));
    model.dispose();
  });

  it('cancel stops early with the finished rows and drops the layer under way', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let events = 0;
    const r = await maximiseEveryConvLayer(
      model,
      { perLayer: 3, steps: 10, seed: 2 },
      (p) => {
        events++;
        if (p.filtersDone === 4) controller.abort(); // the first filter of c2 done
      },
      controller.signal,
    );
    expect(r.cancelled).toBe(true);
    expect(r.rows.map((row) => row.layerName)).toEqual(['c1']);
    expect(r.rows[0].images).toHaveLength(3);
    expect(events).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
