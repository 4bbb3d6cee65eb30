/**
 * The lab worker: owns TensorFlow.js, the backend, models and tensors. The page talks to it only through the
 * typed protocol in shared/protocol.ts; every call gets an AbortSignal and may stream progress.
 */
import { openLabDb, type LabDatabase } from '../db/open';
import { selectBackend, softwareOnly } from '../ml/backend';
import { generateDemoDataset } from '../ml/data/demoDataset';
import { evaluateModel, loadRunModel } from '../ml/evaluate';
import { benchTraining } from '../ml/benchTraining';
import { buildModel } from '../ml/models';
import { summarizeModel } from '../ml/summary';
import { acquireRunModel } from '../ml/modelCache';
import { ACTIVATION_MAX_DEFAULTS, activationGain, maximiseActivation } from '../ml/see/activationMax';
import { maximiseEveryConvLayer, type LayerMaxRow } from '../ml/see/activationMaxLayers';
import { channelMeansOverImages, convLayers, readFeatureMaps, readFilters } from '../ml/see/inspect';
import { saliencyMap } from '../ml/see/saliency';
import { whereItLooks } from '../ml/see/whereItLooks';
import { approximateMasksOf } from '../ml/see/photoRegions';
import { APPROX_REGION_NAMES } from '../shared/keypointRegions';
import { sanityChecks } from '../ml/see/sanityChecks';
import { trainOnShuffledLabels } from '../ml/see/shuffledLabels';
import type { ActivationMaxLayerRow, SaliencyMethodName, SplitName } from '../shared/protocol';
import { TrainControl, runTraining } from '../ml/train';
import { sortNoise } from '../ml/noiseSort';
import { probabilitiesOf } from '../ml/core/probabilities';
import { adversarialZip, budgetCurve, foolBatch, foolOneImage, pickCorrectlyClassified, robustnessReport, transferAttack } from '../ml/fool/foolService';
import { canvasPngCodec } from '../ml/fool/pngCodec';
import { attackKind } from '../shared/fool/attackKinds';
import { installDemo } from '../ml/demo/installDemo';
import { runLockName, runsTrainingElsewhere } from '../shared/runLock';
import { exportKerasModel, exportRunModel, importKerasModel, importModelFiles } from '../ml/modelIo';
import { buildSurveyKit } from '../ml/survey/buildKit';
import { layerActivations, penultimateLayerName, softmaxHead } from '../ml/survey/lastLayer';
import { faultActive, setFaults } from '../db/faults';
import { destroyDevice, watchDeviceLoss } from '../ml/deviceLoss';
import { readDeviceLimits } from '../ml/deviceLimits';
import { convGradients } from '../ml/debugConvGradients';
import { getDataset, getSplit, readDetections, readImages, readMasks, splitIndices } from '../db/datasets';
import type { BackendInfo, FromWorker, LabApi, LabMethod, LabProgress, ToWorker } from '../shared/protocol';
import { sameOriginOnly } from '../shared/sameOriginOnly';
import { argMax } from '../shared/argMax';
import { errorMessage } from '../shared/errorMessage';
import { PIXELS_PER_IMAGE } from '../shared/imageGeometry';
import { abortPoint } from '../ml/abortPoint';

declare const self: DedicatedWorkerGlobalScope;
sameOriginOnly(self); // the page's CSP does not reach workers

let backend: BackendInfo | null = null;
const controllers = new Map<number, AbortController>();
const trainControls = new Map<number, TrainControl>();

interface CallContext<M extends LabMethod> {
  id: number;
  signal: AbortSignal;
  progress: (data: LabProgress[M]) => void;
  /** Runs `cleanup` when the call ends, however it ends (releases of cached models). */
  defer: (cleanup: () => void) => void;
}

// Calls that arrive before `init` (a page opened straight on #/fool asks for faces at once) wait for it.
let backendChosen: (info: BackendInfo) => void = () => {};
const backendReady = new Promise<BackendInfo>((resolve) => (backendChosen = resolve));

async function requireBackend(): Promise<BackendInfo> {
  return backend ?? backendReady;
}

/**
 * The run's cached model, lent to this call until it ends: calls run concurrently, and a model another call
 * replaces in the cache is disposed only once no call uses it (src/ml/modelCache.ts).
 */
async function runModel(ctx: Pick<CallContext<LabMethod>, 'defer'>, db: LabDatabase, runId: string) {
  const lease = await acquireRunModel(db, runId);
  ctx.defer(lease.release);
  return lease;
}

/** A run's (cached) model and one image of its dataset, the index clamped to the dataset. */
async function runAndImage(ctx: Pick<CallContext<LabMethod>, 'defer'>, runId: string, imageIndex: number) {
  await requireBackend();
  const db = await openLabDb();
  const { model, datasetId } = await runModel(ctx, db, runId);
  const dataset = await getDataset(db, datasetId);
  if (!dataset) throw new Error('The dataset of this run was deleted.');
  const index = Math.max(0, Math.min(dataset.count - 1, Math.floor(imageIndex)));
  const { pixels, labels } = await readImages(db, datasetId, [index]);
  return { model, pixels, label: labels[0], classNames: dataset.classNames };
}

/** A run's model and the first `perClass` correctly classified images of each class of a split. */
async function correctlyClassified(ctx: Pick<CallContext<LabMethod>, 'defer'>, runId: string, splitName: SplitName, perClass: number) {
  await requireBackend();
  const db = await openLabDb();
  const { model, datasetId } = await runModel(ctx, db, runId);
  const dataset = await getDataset(db, datasetId);
  const split = await getSplit(db, datasetId);
  if (!dataset || !split) throw new Error('The dataset of this run was deleted.');
  const images = await pickCorrectlyClassified(
    model,
    splitIndices(split, splitName),
    (indices) => readImages(db, datasetId, indices),
    perClass,
    dataset.classNames.length,
  );
  return { model, images, db, datasetId, dataset };
}

type Handlers = { [M in LabMethod]: (args: Parameters<LabApi[M]>[0], ctx: CallContext<M>) => ReturnType<LabApi[M]> };

const handlers: Handlers = {
  async init(args) {
    setFaults(args.faults ?? []);
    // `?fault=init-hang:N`: a replacement worker that never starts (the page passes it to the first N only).
    if (args.after && faultActive('init-hang')) await new Promise<never>(() => {});
    // A worker replacing one whose GPU was lost: under `?fault=webgpu-unavailable` the GPU does not come back.
    const refused =
      args.after === 'device-lost' && faultActive('webgpu-unavailable') ? { webgpu: 'injected fault: WebGPU did not come back after the device loss' } : {};
    backend ??= await selectBackend(args.backend, args.baseUrl, refused, args.wasmThreads);
    // tfjs ignores a lost device; the page replaces this worker when it happens (src/store/recovery.ts).
    if (backend.name === 'webgpu') watchDeviceLoss((info) => post({ kind: 'notice', notice: { type: 'device-lost', backend: 'webgpu', ...info } }));
    backendChosen(backend);
    return backend;
  },
  async summarize(options) {
    await requireBackend();
    const model = buildModel(options);
    try {
      return summarizeModel(model);
    } finally {
      model.dispose();
    }
  },
  async generateDemo(args, ctx) {
    const t0 = performance.now();
    const db = await openLabDb();
    const r = await generateDemoDataset(db, args, ctx.progress, ctx.signal);
    return { ...r, ms: performance.now() - t0 };
  },
  async train(args, ctx) {
    if (args.resumeRunId && (await runsTrainingElsewhere()).has(args.resumeRunId)) {
      throw new Error('This run is being trained in another tab; resume it there (or close that tab first).');
    }
    const control = new TrainControl();
    trainControls.set(ctx.id, control);
    // Hold the run's Web Lock from the moment its id is known until training ends in any way.
    let release: () => void = () => {};
    const finished = new Promise<void>((resolve) => (release = resolve));
    try {
      return await runTraining(args, {
        db: await openLabDb(),
        backend: (await requireBackend()).name,
        control,
        signal: ctx.signal,
        emit: (e) => {
          if (e.type === 'started') void navigator.locks?.request(runLockName(e.runId), () => finished);
          ctx.progress(e);
        },
      });
    } finally {
      release();
      trainControls.delete(ctx.id);
    }
  },
  async evaluate(args, ctx) {
    await requireBackend();
    const db = await openLabDb();
    const { model, config, datasetId } = await loadRunModel(db, args.runId);
    try {
      return await evaluateModel(db, model, args.runId, datasetId, config.numClasses, args.split, ctx.progress, ctx.signal);
    } finally {
      model.dispose();
    }
  },
  async filters(args, ctx) {
    await requireBackend();
    const { model } = await runModel(ctx, await openLabDb(), args.runId);
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
    const { model, pixels, label, classNames } = await runAndImage(ctx, args.runId, args.imageIndex);
    const maps = await readFeatureMaps(model, pixels);
    return { ...maps, image: pixels, label, classNames };
  },
  async saliency(args, ctx) {
    const { model, pixels, label, classNames } = await runAndImage(ctx, args.runId, args.imageIndex);
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
    await requireBackend();
    const db = await openLabDb();
    const { model, datasetId } = await runModel(ctx, db, args.runId);
    const split = await getSplit(db, datasetId);
    if (!split) throw new Error('The dataset of this run was deleted.');
    // Baseline for the gain: the filter's mean activation over (up to 64) test images.
    const testIndices = splitIndices(split, 'test').slice(0, 64);
    const { pixels } = await readImages(db, datasetId, testIndices);
    const baseline = await channelMeansOverImages(model, args.layerName, pixels, testIndices.length);
    const results = [];
    for (const filter of args.filters) {
      const t0 = performance.now();
      const r = await maximiseActivation(model, { layerName: args.layerName, filter, seed: args.seed, steps: args.steps }, undefined, ctx.signal);
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
    await requireBackend();
    const db = await openLabDb();
    const { model, datasetId } = await runModel(ctx, db, args.runId);
    const split = await getSplit(db, datasetId);
    if (!split) throw new Error('The dataset of this run was deleted.');
    if (!(Number.isInteger(args.perLayer) && args.perLayer >= 1)) throw new Error(`Filters per layer must be a whole number ≥ 1, not ${args.perLayer}.`);
    // The same gain baseline as the single-layer grid: each filter's mean activation over (up to 64) test images.
    const testIndices = splitIndices(split, 'test').slice(0, 64);
    const { pixels } = await readImages(db, datasetId, testIndices);
    const baselines = new Map<string, number[]>();
    for (const layer of convLayers(model)) baselines.set(layer.name, await channelMeansOverImages(model, layer.name, pixels, testIndices.length));
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
    return { baselineImages: testIndices.length, layersTotal, rows, cancelled, steps: args.steps ?? ACTIVATION_MAX_DEFAULTS.steps };
  },
  async gallery(args, ctx) {
    await requireBackend();
    const db = await openLabDb();
    const { model, datasetId } = await runModel(ctx, db, args.runId);
    const dataset = await getDataset(db, datasetId);
    const split = await getSplit(db, datasetId);
    if (!dataset || !split) throw new Error('The dataset of this run was deleted.');
    const all = splitIndices(split, args.split);
    const indices = Array.from(all.slice(0, Math.max(0, args.limit)));
    const { pixels, labels } = await readImages(db, datasetId, indices);
    const k = dataset.classNames.length;
    const probs: number[][] = [];
    for (let start = 0; start < indices.length; start += 64) {
      const n = Math.min(64, indices.length - start);
      const p = await probabilitiesOf(model, pixels.subarray(start * PIXELS_PER_IMAGE, (start + n) * PIXELS_PER_IMAGE), n);
      for (let i = 0; i < n; i++) probs.push(Array.from(p.subarray(i * k, (i + 1) * k)));
    }
    return { classNames: dataset.classNames, indices, labels: Array.from(labels), pixels, probs, total: all.length };
  },
  async classify(args, ctx) {
    await requireBackend();
    const db = await openLabDb();
    const { model, datasetId } = await runModel(ctx, db, args.runId);
    const dataset = await getDataset(db, datasetId);
    if (args.pixels.length !== PIXELS_PER_IMAGE) throw new Error(`Expected a 64×64 RGB image (${PIXELS_PER_IMAGE} values), got ${args.pixels.length}.`);
    return { probs: Array.from(await probabilitiesOf(model, args.pixels, 1)), classNames: dataset?.classNames ?? [] };
  },
  async labelConfidence(args, ctx) {
    await requireBackend();
    const db = await openLabDb();
    const { model, datasetId } = await runModel(ctx, db, args.runId);
    const dataset = await getDataset(db, datasetId);
    if (!dataset) throw new Error('The dataset of this run is gone.');
    const confidence = new Float32Array(dataset.count);
    const classes = dataset.classNames.length;
    const step = 64; // images per prediction: a few MB of activations at most
    for (let start = 0; start < dataset.count; start += step) {
      await abortPoint(ctx.signal);
      const indices = Array.from({ length: Math.min(step, dataset.count - start) }, (_, k) => start + k);
      const { pixels, labels } = await readImages(db, datasetId, indices);
      const probs = await probabilitiesOf(model, pixels, indices.length);
      indices.forEach((i, k) => (confidence[i] = probs[k * classes + labels[k]]));
      ctx.progress({ done: start + indices.length, total: dataset.count });
    }
    return { datasetId, confidence };
  },
  async noiseSort(args, ctx) {
    await requireBackend();
    const r = await sortNoise(await openLabDb(), args.datasetId, {}, ctx.progress, ctx.signal);
    return { datasetId: args.datasetId, counts: r.counts, total: r.bins.length, ms: r.ms };
  },
  async foolImage(args, ctx) {
    let image: { model: Awaited<ReturnType<typeof runAndImage>>['model']; pixels: Uint8Array; label: number; classNames: string[] };
    if (args.pixels) {
      await requireBackend();
      if (args.pixels.length !== PIXELS_PER_IMAGE) throw new Error('A face to fool must be 64×64 RGB.');
      const db = await openLabDb();
      const { model, datasetId } = await runModel(ctx, db, args.runId);
      const probs = await probabilitiesOf(model, args.pixels, 1);
      // A dropped photo has no true label: take the model's answer as the one to flip.
      const label = argMax(probs);
      image = { model, pixels: args.pixels, label, classNames: (await getDataset(db, datasetId))?.classNames ?? [] };
    } else {
      image = await runAndImage(ctx, args.runId, args.imageIndex);
    }
    const result = await foolOneImage(image.model, canvasPngCodec, { index: args.pixels ? -1 : args.imageIndex, pixels: image.pixels, label: image.label }, args.settings, ctx.signal, (step) =>
      ctx.progress({ step }),
    );
    return { ...result, classNames: image.classNames };
  },
  async foolBatch(args, ctx) {
    const { model, images: picked, dataset } = await correctlyClassified(ctx, args.runId, args.split, args.perClass);
    const { report, modified, pngs } = await foolBatch(model, canvasPngCodec, picked, args.settings, {
      keepImages: true,
      signal: ctx.signal,
      progress: (done, total) => ctx.progress({ done, total }),
    });
    const full = {
      ...report,
      classNames: dataset.classNames,
      split: args.split,
      examined: picked.examined,
      modelAccuracy: picked.examined ? picked.correct / picked.examined : NaN,
    };
    return { report: full, zip: await adversarialZip(canvasPngCodec, full, picked.pixels, modified, pngs) };
  },
  async budgetCurve(args, ctx) {
    const { model, images } = await correctlyClassified(ctx, args.runId, args.split, args.perClass);
    const points = await budgetCurve(model, images, args.settings, args.values, { signal: ctx.signal, progress: (done, total) => ctx.progress({ done, total }) });
    return { settings: args.settings, parameter: attackKind(args.settings).budget!.parameter, images: images.labels.length, points };
  },
  async transfer(args, ctx) {
    // Twice as many candidates as needed from the source, kept only where the target is right too.
    const { model: source, images, db, datasetId } = await correctlyClassified(ctx, args.sourceRunId, args.split, args.perClass * 2);
    const target = await loadRunModel(db, args.targetRunId);
    try {
      if (target.datasetId !== datasetId) throw new Error('Transfer needs two models trained on the same dataset.');
      const both = await pickCorrectlyClassified(
        target.model,
        images.indices,
        (indices) => readImages(db, datasetId, indices),
        args.perClass,
        target.config.numClasses,
      );
      const steps = attackKind(args.settings).stepLimit(args.settings);
      const r = await transferAttack(source, target.model, both, args.settings, ctx.signal, (step) => ctx.progress({ done: Math.min(step, steps), total: steps }));
      return { settings: args.settings, ...r };
    } finally {
      target.model.dispose();
    }
  },
  async robustness(args, ctx) {
    await requireBackend();
    const db = await openLabDb();
    const rows = [];
    let images = 0;
    let datasetId: string | null = null;
    for (const [i, runId] of args.runIds.entries()) {
      // Each run loaded on its own and disposed: the cache keeps only the page's current model.
      const loaded = await loadRunModel(db, runId);
      try {
        if (datasetId && loaded.datasetId !== datasetId) throw new Error('Compare runs trained on the same dataset.');
        datasetId = loaded.datasetId;
        const split = await getSplit(db, loaded.datasetId);
        if (!split) throw new Error('The dataset of this run was deleted.');
        const indices = Array.from(splitIndices(split, args.split).slice(0, args.count));
        const { pixels, labels } = await readImages(db, loaded.datasetId, indices);
        images = indices.length;
        // Progress in chunks of every run's attacks, so one model's report moves the bar too.
        const report = await robustnessReport(loaded.model, { indices, pixels, labels: Array.from(labels) }, args.attacks, ctx.signal, (done, total) =>
          ctx.progress({ done: i * total + done, total: args.runIds.length * total }),
        );
        rows.push({ runId, ...report });
      } finally {
        loaded.model.dispose();
      }
    }
    return { images, rows };
  },
  async buildSurvey(args, ctx) {
    const { model, images, dataset } = await correctlyClassified(ctx, args.runId, 'test', args.trainPerClass + args.pairs);
    const id = `survey-${Date.now().toString(36)}`;
    return { ...(await buildSurveyKit(model, canvasPngCodec, images, dataset.classNames, { ...args, id }, ctx.signal, (done, total) => ctx.progress({ done, total }))), runId: args.runId };
  },
  async lastLayer(args, ctx) {
    const { model, images, dataset } = await correctlyClassified(ctx, args.runId, 'test', args.perClass);
    const n = images.labels.length;
    const { modified } = await foolBatch(model, canvasPngCodec, images, args.settings, {
      keepImages: true,
      signal: ctx.signal,
      progress: (done, total) => ctx.progress({ done, total }),
    });
    const stacked = new Uint8Array(n * PIXELS_PER_IMAGE);
    modified.forEach((m, i) => stacked.set(m, i * m.length));
    const layerName = penultimateLayerName(model);
    const original = await layerActivations(model, layerName, images.pixels, n);
    const after = await layerActivations(model, layerName, stacked, n);
    const k = dataset.classNames.length;
    const split = (p: Float32Array) => Array.from({ length: n }, (_, i) => Array.from(p.subarray(i * k, (i + 1) * k)));
    return {
      layerName,
      width: original.width,
      classNames: dataset.classNames,
      indices: images.indices,
      labels: images.labels,
      original: original.values,
      modified: after.values,
      probsOriginal: split(await probabilitiesOf(model, images.pixels, n)),
      probsModified: split(await probabilitiesOf(model, stacked, n)),
      settings: args.settings,
      head: await softmaxHead(model),
    };
  },
  async exportModel(args) {
    await requireBackend();
    return exportRunModel(await openLabDb(), args.runId);
  },
  async importModel(args) {
    await requireBackend();
    return importModelFiles(await openLabDb(), args);
  },
  async exportKerasModel(args) {
    await requireBackend();
    return { bytes: await exportKerasModel(await openLabDb(), args.runId, args.format) };
  },
  async importKerasModel(args) {
    await requireBackend();
    return importKerasModel(await openLabDb(), args);
  },
  async whereItLooks(args, ctx) {
    await requireBackend();
    const db = await openLabDb();
    const { model, datasetId } = await runModel(ctx, db, args.runId);
    const split = await getSplit(db, datasetId);
    if (!split) throw new Error('The dataset of this run was deleted.');
    const indices = Array.from(splitIndices(split, 'test').slice(0, args.count));
    const progress = (done: number, total: number) => ctx.progress({ done, total });
    const masks = await readMasks(db, datasetId, indices);
    if (masks) {
      const { pixels, labels } = await readImages(db, datasetId, indices);
      return whereItLooks(model, { pixels, labels, masks }, args.methods, progress, ctx.signal);
    }
    // Photos have no true masks: approximate ones from the keypoints the detector stored with each crop.
    const approximate = approximateMasksOf(await readDetections(db, datasetId, indices));
    const { pixels, labels } = await readImages(db, datasetId, approximate.kept.map((k) => indices[k]));
    const regions = { names: APPROX_REGION_NAMES, targets: ['eyes', 'nose', 'mouth'], approximate: true, skipped: approximate.skipped };
    return whereItLooks(model, { pixels, labels, masks: approximate.masks }, args.methods, progress, ctx.signal, regions);
  },
  async sanityChecks(args, ctx) {
    await requireBackend();
    const db = await openLabDb();
    const { model, datasetId } = await runModel(ctx, db, args.runId);
    const dataset = await getDataset(db, datasetId);
    const split = await getSplit(db, datasetId);
    if (!dataset || !split) throw new Error('The dataset of this run was deleted.');
    const indices = Array.from(splitIndices(split, 'test').slice(0, Math.max(1, Math.min(64, Math.round(args.count)))));
    const { pixels, labels } = await readImages(db, datasetId, indices);
    const images = indices.map((_, i) => Float32Array.from(pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE), (v) => v / 255));
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
      const result = await sanityChecks(model, { images, classIndices: Array.from(labels) }, {
        methods: args.methods,
        shuffledLabels: shuffled ?? undefined,
        signal: ctx.signal,
        progress: (done, total, stage) => ctx.progress({ done, total, stage }),
      });
      return { ...result, imageIndices: indices, pixels, labels: Array.from(labels), classNames: dataset.classNames };
    } finally {
      shuffled?.model.dispose();
    }
  },
  async installDemo(args, ctx) {
    await requireBackend();
    return installDemo(await openLabDb(), args.baseUrl, ctx.progress, ctx.signal);
  },
  async benchTraining(args, ctx) {
    await requireBackend();
    return benchTraining(args, ctx.signal);
  },
  async timeBackend(args) {
    // Only in a throwaway probe worker (src/bridge/measureBackends.ts): it starts on exactly this backend.
    // A software-emulated GPU (SwiftShader, llvmpipe) is 10–40× slower than wasm wherever we measured
    // (docs/performance.md): not timed unless asked (`?probe=all`), which saves a first visit two 6-s caps.
    const software = args.includeSoftware ? null : await softwareOnly(args.backend);
    if (software) throw new Error(`not timed: ${software}`);
    backend ??= await selectBackend(args.backend, args.baseUrl, {}, args.wasmThreads);
    backendChosen(backend);
    // One warm-up and one timed step of the app's own training step (src/ml/benchTraining.ts).
    const r = await benchTraining({ preset: args.preset, batchSize: args.batchSize, steps: 1, warmup: 1, inferenceRuns: 0 });
    if (!r.fits) throw new Error(`${args.backend} could not train ${args.preset} (${r.stage}: ${r.error})`);
    return { warmupMs: r.warmupMs[0], stepMs: r.stepMs[0] };
  },
  async deviceLimits() {
    const { adapter } = await requireBackend();
    return readDeviceLimits(adapter ? [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' ') : '');
  },
  async debugConvGradients(args) {
    if (!faultActive('debug')) throw new Error('Debug calls are off (they need ?fault=debug in the page URL).');
    await requireBackend();
    return convGradients(args);
  },
  async debugFault(args) {
    if (!faultActive('debug')) throw new Error('Debug faults are off (they need ?fault=debug in the page URL).');
    if (args.fault === 'lose-device') {
      destroyDevice();
      return { injected: 'WebGPU device destroyed' };
    }
    // Uncaught and asynchronous, as a bug in a callback would be: the page gets the worker's error event.
    setTimeout(() => {
      throw new Error('injected crash (test hook)');
    });
    return { injected: 'uncaught error' };
  },
};

function post(msg: FromWorker, transfer: Transferable[] = []) {
  self.postMessage(msg, transfer);
}

self.onmessage = async (event: MessageEvent<ToWorker>) => {
  const msg = event.data;
  if (msg.kind === 'abort') {
    controllers.get(msg.id)?.abort();
    trainControls.get(msg.id)?.stop();
    return;
  }
  if (msg.kind === 'control') {
    const control = trainControls.get(msg.id);
    if (msg.action === 'pause') control?.pause();
    else if (msg.action === 'resume') control?.resume();
    else control?.stop();
    return;
  }
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  const handler = handlers[msg.method] as (args: unknown, ctx: CallContext<LabMethod>) => Promise<unknown>;
  const cleanups: Array<() => void> = [];
  try {
    const value = await handler(msg.args, {
      id: msg.id,
      signal: controller.signal,
      progress: (data) => post({ kind: 'progress', id: msg.id, data }),
      defer: (cleanup) => cleanups.push(cleanup),
    });
    post({ kind: 'result', id: msg.id, value });
  } catch (err) {
    post({ kind: 'error', id: msg.id, message: errorMessage(err) });
  } finally {
    controllers.delete(msg.id);
    for (const cleanup of cleanups) cleanup();
  }
};
