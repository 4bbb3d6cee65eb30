/** The See capability's lab-worker calls (protocol: ../shared/protocol.ts), composed by src/workers/lab.worker.ts. */
import { readImages, readDetections, readMasks, splitIndices } from '../../../db/datasets';
import { argMax } from '../../../shared/argMax';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import { requireBackend, withRun, withRunImage, type HandlersOf } from '../../../ml/core/callContext';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import { buildModel } from '../../../ml/models';
import { APPROX_REGION_NAMES } from '../shared/keypointRegions';
import type { ActivationMaxLayerRow, SaliencyMethodName, SeeApi, SeeProgress } from '../shared/protocol';
import { ACTIVATION_MAX_DEFAULTS, activationGain, maximiseActivation } from './activationMax';
import { maximiseEveryConvLayer, type LayerMaxRow } from './activationMaxLayers';
import { channelMeansOverImages, convLayers, readFeatureMaps, readFilters } from './inspect';
import { approximateMasksOf } from './photoRegions';
import { saliencyMap } from './saliency';
import { sanityChecks } from './sanityChecks';
import { trainOnShuffledLabels } from './shuffledLabels';
import { whereItLooks } from './whereItLooks';

/** Baseline for an activation's gain: each filter's mean activation over (up to) the first 64 test images. */
const BASELINE_IMAGES = 64;

export const seeHandlers: HandlersOf<SeeApi, SeeProgress> = {
  async filters(args, ctx) {
    const { model } = await withRun(ctx, args.runId);
    return readFilters(model);
  },
  async untrainedFilters(args) {
    await requireBackend();
    // Built, read and disposed at once: the paper model's 64.6 M parameters need not stay on the device.
    const model = buildModel(args.model, args.seed);
    try {
      return await readFilters(model);
    } finally {
      model.dispose();
    }
  },
  async featureMaps(args, ctx) {
    const { model, pixels, label, classNames } = await withRunImage(ctx, args.runId, args.imageIndex);
    const maps = await readFeatureMaps(model, pixels);
    return { ...maps, image: pixels, label, classNames };
  },
  async saliency(args, ctx) {
    const { model, pixels, label, classNames } = await withRunImage(ctx, args.runId, args.imageIndex);
    // Only the prediction is needed here, not every layer's activations.
    const probs = Array.from(await probabilitiesOf(model, pixels, 1));
    const predicted = argMax(probs);
    const classIndex = args.explain === 'predicted' ? predicted : (predicted + 1) % probs.length;
    const image = Float32Array.from(pixels, (v) => v / 255);
    const methods: SaliencyMethodName[] = ['gradient', 'smoothgrad', 'gradcam', 'integrated-gradients'];
    const maps = [];
    for (const method of methods) {
      const t0 = performance.now();
      maps.push({ method, map: await saliencyMap(model, image, { method, classIndex }), ms: performance.now() - t0 });
      ctx.progress({ done: maps.length, total: methods.length });
    }
    return { image: pixels, label, classNames, probs, classIndex, maps };
  },
  async activationMax(args, ctx) {
    const { db, model, datasetId, split } = await withRun(ctx, args.runId);
    const testIndices = splitIndices(split, 'test').slice(0, BASELINE_IMAGES);
    const { pixels } = await readImages(db, datasetId, testIndices);
    const baseline = await channelMeansOverImages(model, args.layerName, pixels, testIndices.length);
    const results = [];
    for (const filter of args.filters) {
      const t0 = performance.now();
      const r = await maximiseActivation(
        model,
        { layerName: args.layerName, filter, seed: args.seed, steps: args.steps },
        undefined,
        ctx.signal,
      );
      // A cancelled ascent returns its half-way image: never pass that off as the filter's maximised image.
      ctx.signal.throwIfAborted();
      results.push({
        steps: r.history.length,
        ms: performance.now() - t0,
        filter,
        pixels: Uint8Array.from(r.image, (v) => Math.round(v * 255)),
        startActivation: r.startActivation,
        finalActivation: r.finalActivation,
        gain: activationGain(r.finalActivation, baseline[filter]),
      });
      ctx.progress({ done: results.length, total: args.filters.length });
    }
    return { layerName: args.layerName, baselineImages: testIndices.length, results };
  },
  async activationMaxAllLayers(args, ctx) {
    const { db, model, datasetId, split } = await withRun(ctx, args.runId);
    if (!(Number.isInteger(args.perLayer) && args.perLayer >= 1))
      throw new Error(`Filters per layer must be a whole number ≥ 1, not ${args.perLayer}.`);
    // The same gain baseline as the single-layer grid.
    const testIndices = splitIndices(split, 'test').slice(0, BASELINE_IMAGES);
    const { pixels } = await readImages(db, datasetId, testIndices);
    const baselines = new Map<string, number[]>();
    for (const layer of convLayers(model))
      baselines.set(layer.name, await channelMeansOverImages(model, layer.name, pixels, testIndices.length));
    const toRow = (row: LayerMaxRow): ActivationMaxLayerRow => ({
      layerName: row.layerName,
      channels: row.channels,
      ms: row.ms,
      results: row.images.map((r) => ({
        filter: r.filter,
        pixels: Uint8Array.from(r.image, (v) => Math.round(v * 255)),
        startActivation: r.startActivation,
        finalActivation: r.finalActivation,
        gain: activationGain(r.finalActivation, baselines.get(row.layerName)![r.filter]),
        steps: r.steps,
        ms: r.ms,
      })),
    });
    // Each row goes out as progress the moment its layer is done, so the page shows rows one by one.
    const rows: ActivationMaxLayerRow[] = [];
    const { layersTotal, cancelled } = await maximiseEveryConvLayer(
      model,
      { perLayer: args.perLayer, seed: args.seed, steps: args.steps },
      ({ row, ...counts }) => {
        if (row) rows.push(toRow(row));
        ctx.progress(row ? { ...counts, row: rows[rows.length - 1] } : counts);
      },
      ctx.signal,
    );
    return {
      baselineImages: testIndices.length,
      layersTotal,
      rows,
      cancelled,
      steps: args.steps ?? ACTIVATION_MAX_DEFAULTS.steps,
    };
  },
  async whereItLooks(args, ctx) {
    const { db, model, datasetId, split } = await withRun(ctx, args.runId);
    const indices = Array.from(splitIndices(split, 'test').slice(0, args.count));
    const progress = (done: number, total: number) => ctx.progress({ done, total });
    const masks = await readMasks(db, datasetId, indices);
    if (masks) {
      const { pixels, labels } = await readImages(db, datasetId, indices);
      return whereItLooks(model, { pixels, labels, masks }, args.methods, progress, ctx.signal);
    }
    // Photos have no true masks: approximate ones from the keypoints the detector stored with each crop.
    const approximate = approximateMasksOf(await readDetections(db, datasetId, indices));
    const { pixels, labels } = await readImages(
      db,
      datasetId,
      approximate.kept.map((k) => indices[k]),
    );
    const regions = {
      names: APPROX_REGION_NAMES,
      targets: ['eyes', 'nose', 'mouth'],
      approximate: true,
      skipped: approximate.skipped,
    };
    return whereItLooks(
      model,
      { pixels, labels, masks: approximate.masks },
      args.methods,
      progress,
      ctx.signal,
      regions,
    );
  },
  async sanityChecks(args, ctx) {
    const { db, model, datasetId, dataset, split } = await withRun(ctx, args.runId);
    const indices = Array.from(splitIndices(split, 'test').slice(0, Math.max(1, Math.min(64, Math.round(args.count)))));
    const { pixels, labels } = await readImages(db, datasetId, indices);
    const images = indices.map((_, i) =>
      Float32Array.from(pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE), (v) => v / 255),
    );
    let shuffled: Awaited<ReturnType<typeof trainOnShuffledLabels>> | null = null;
    try {
      if (args.shuffledLabels) {
        const trainIndices = Array.from(splitIndices(split, 'train').slice(0, Math.max(1, args.shuffledLabels.images)));
        const train = await readImages(db, datasetId, trainIndices);
        shuffled = await trainOnShuffledLabels(
          model,
          { pixels: train.pixels, labels: train.labels, numClasses: dataset.classNames.length },
          {
            epochs: Math.max(1, Math.round(args.shuffledLabels.epochs)),
            seed: 1,
            signal: ctx.signal,
            progress: (done, total) => ctx.progress({ done, total, stage: 'training a copy on shuffled labels' }),
          },
        );
      }
      const result = await sanityChecks(
        model,
        { images, classIndices: Array.from(labels) },
        {
          methods: args.methods,
          shuffledLabels: shuffled ?? undefined,
          signal: ctx.signal,
          progress: (done, total, stage) => ctx.progress({ done, total, stage }),
        },
      );
      return { ...result, imageIndices: indices, pixels, labels: Array.from(labels), classNames: dataset.classNames };
    } finally {
      shuffled?.model.dispose();
    }
  },
};
