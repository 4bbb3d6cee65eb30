/**
 * Activation maximisation across every conv layer (the paper's figures 8–12): for each Conv2D layer in model
 * order, `perLayer` evenly spaced filters, each synthesised by `maximiseActivation` with its regularisers and
 * settings unchanged (this file only loops and reports). A row is reported as soon as its layer is finished,
 * so a caller can show rows one by one. The signal stops the run at the next filter (the filter under way is
 * abandoned mid-ascent); finished rows are returned, the unfinished layer is dropped, never returned half done.
 */
import type * as tf from '@tensorflow/tfjs';
import { maximiseActivation, type ActivationMaxOptions } from './activationMax';
import { convLayers } from './inspect';

/**
 * `n` filter indices spread evenly over `channels` (0, channels/n, 2·channels/n, … rounded down): evenly spaced
 * rather than "most active on test images" so the choice does not depend on the data and is the same every run.
 */
export function evenlySpacedFilters(channels: number, n: number): number[] {
  const count = Math.max(1, Math.min(channels, Math.round(n)));
  return Array.from({ length: count }, (_, i) => Math.floor((i * channels) / count));
}

export interface LayerMaxImage {
  filter: number;
  /** h*w*3 in [0,1], HWC. */
  image: Float32Array;
  startActivation: number;
  finalActivation: number;
  steps: number;
  ms: number;
}

export interface LayerMaxRow {
  layerName: string;
  channels: number;
  images: LayerMaxImage[];
  ms: number;
}

export interface AllLayersProgress {
  layersDone: number;
  layersTotal: number;
  filtersDone: number;
  filtersTotal: number;
  elapsedMs: number;
  /** Present when this event finishes a layer: its row. */
  row?: LayerMaxRow;
}

export interface AllLayersOptions extends Omit<ActivationMaxOptions, 'layerName' | 'filter' | 'startImage'> {
  /** Filters per layer (default 8; fewer where a layer has fewer). */
  perLayer?: number;
}

export async function maximiseEveryConvLayer(
  model: tf.LayersModel,
  opts: AllLayersOptions,
  onProgress?: (p: AllLayersProgress) => void,
  signal?: AbortSignal,
): Promise<{ rows: LayerMaxRow[]; layersTotal: number; cancelled: boolean }> {
  const { perLayer = 8, ...settings } = opts;
  const layers = convLayers(model).map((l) => {
    const channels = (l.outputShape as number[])[3];
    return { name: l.name, channels, filters: evenlySpacedFilters(channels, perLayer) };
  });
  const filtersTotal = layers.reduce((n, l) => n + l.filters.length, 0);
  const rows: LayerMaxRow[] = [];
  const t0 = performance.now();
  let filtersDone = 0;
  const report = (row?: LayerMaxRow) =>
    onProgress?.({
      layersDone: rows.length,
      layersTotal: layers.length,
      filtersDone,
      filtersTotal,
      elapsedMs: performance.now() - t0,
      row,
    });
  for (const layer of layers) {
    const rowStart = performance.now();
    const images: LayerMaxImage[] = [];
    for (const filter of layer.filters) {
      // On the cpu and wasm backends every await inside the ascent resolves as a microtask, so the worker would
      // never read the page's abort message; a macrotask turn here lets it arrive.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (signal?.aborted) return { rows, layersTotal: layers.length, cancelled: true };
      const start = performance.now();
      const r = await maximiseActivation(model, { ...settings, layerName: layer.name, filter }, undefined, signal);
      if (r.aborted) return { rows, layersTotal: layers.length, cancelled: true };
      images.push({
        filter,
        image: r.image,
        startActivation: r.startActivation,
        finalActivation: r.finalActivation,
        steps: r.history.length,
        ms: performance.now() - start,
      });
      filtersDone++;
      if (images.length < layer.filters.length) report();
    }
    const row = { layerName: layer.name, channels: layer.channels, images, ms: performance.now() - rowStart };
    rows.push(row);
    report(row);
  }
  return { rows, layersTotal: layers.length, cancelled: false };
}
