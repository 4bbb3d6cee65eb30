/** The Fool capability's lab-worker calls (protocol: ../shared/protocol.ts), composed by src/workers/lab.worker.ts. */
import type * as tf from '@tensorflow/tfjs';
import { getDataset, getSplit, readImages, splitIndices } from '../../../db/datasets';
import { argMax } from '../../../shared/argMax';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import {
  withLab,
  withRun,
  withRunImage,
  withRunModel,
  type CallContext,
  type HandlersOf,
} from '../../../ml/core/callContext';
import { loadRunModel } from '../../../ml/core/loadRunModel';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import { attackKind } from '../shared/attackKinds';
import type { SplitName } from '../../../shared/protocol';
import type { FoolApi, FoolProgress } from '../shared/protocol';
import {
  adversarialZip,
  budgetCurve,
  foolBatch,
  foolOneImage,
  pickCorrectlyClassified,
  robustnessReport,
  transferAttack,
} from './foolService';
import { canvasPngCodec } from './pngCodec';

/** A run's model and the first `perClass` correctly classified images of each class of a split (Fool, Survey). */
export async function correctlyClassified(
  ctx: Pick<CallContext<unknown>, 'defer'>,
  runId: string,
  splitName: SplitName,
  perClass: number,
) {
  const { db, model, datasetId, dataset, split } = await withRun(ctx, runId);
  const images = await pickCorrectlyClassified(
    model,
    splitIndices(split, splitName),
    (indices) => readImages(db, datasetId, indices),
    perClass,
    dataset.classNames.length,
  );
  return { model, images, db, datasetId, dataset };
}

/** Predictions for at most this many images at once: a few MB of activations. */
const PREDICT_CHUNK = 64;

export const foolHandlers: HandlersOf<FoolApi, FoolProgress> = {
  async gallery(args, ctx) {
    const { db, model, datasetId, dataset, split } = await withRun(ctx, args.runId);
    const all = splitIndices(split, args.split);
    const indices = Array.from(all.slice(0, Math.max(0, args.limit)));
    const { pixels, labels } = await readImages(db, datasetId, indices);
    const k = dataset.classNames.length;
    const probs: number[][] = [];
    for (let start = 0; start < indices.length; start += PREDICT_CHUNK) {
      const n = Math.min(PREDICT_CHUNK, indices.length - start);
      const p = await probabilitiesOf(
        model,
        pixels.subarray(start * PIXELS_PER_IMAGE, (start + n) * PIXELS_PER_IMAGE),
        n,
      );
      for (let i = 0; i < n; i++) probs.push(Array.from(p.subarray(i * k, (i + 1) * k)));
    }
    return { classNames: dataset.classNames, indices, labels: Array.from(labels), pixels, probs, total: all.length };
  },
  async classify(args, ctx) {
    const { db, model, datasetId } = await withRunModel(ctx, args.runId);
    const dataset = await getDataset(db, datasetId);
    if (args.pixels.length !== PIXELS_PER_IMAGE)
      throw new Error(`Expected a 64×64 RGB image (${PIXELS_PER_IMAGE} values), got ${args.pixels.length}.`);
    return { probs: Array.from(await probabilitiesOf(model, args.pixels, 1)), classNames: dataset?.classNames ?? [] };
  },
  async foolImage(args, ctx) {
    let image: { model: tf.LayersModel; pixels: Uint8Array; label: number; classNames: string[] };
    if (args.pixels) {
      if (args.pixels.length !== PIXELS_PER_IMAGE) throw new Error('A face to fool must be 64×64 RGB.');
      const { db, model, datasetId } = await withRunModel(ctx, args.runId);
      const probs = await probabilitiesOf(model, args.pixels, 1);
      // A dropped photo has no true label: take the model's answer as the one to flip.
      const label = argMax(probs);
      image = { model, pixels: args.pixels, label, classNames: (await getDataset(db, datasetId))?.classNames ?? [] };
    } else {
      image = await withRunImage(ctx, args.runId, args.imageIndex);
    }
    const result = await foolOneImage(
      image.model,
      canvasPngCodec,
      { index: args.pixels ? -1 : args.imageIndex, pixels: image.pixels, label: image.label },
      args.settings,
      ctx.signal,
      (step) => ctx.progress({ step }),
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
    const points = await budgetCurve(model, images, args.settings, args.values, {
      signal: ctx.signal,
      progress: (done, total) => ctx.progress({ done, total }),
    });
    return {
      settings: args.settings,
      parameter: attackKind(args.settings).budget!.parameter,
      images: images.labels.length,
      points,
    };
  },
  async transfer(args, ctx) {
    // Twice as many candidates as needed from the source, kept only where the target is right too.
    const {
      model: source,
      images,
      db,
      datasetId,
    } = await correctlyClassified(ctx, args.sourceRunId, args.split, args.perClass * 2);
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
      const r = await transferAttack(source, target.model, both, args.settings, ctx.signal, (step) =>
        ctx.progress({ done: Math.min(step, steps), total: steps }),
      );
      return { settings: args.settings, ...r };
    } finally {
      target.model.dispose();
    }
  },
  async robustness(args, ctx) {
    const db = await withLab();
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
        const report = await robustnessReport(
          loaded.model,
          { indices, pixels, labels: Array.from(labels) },
          args.attacks,
          ctx.signal,
          (done, total) => ctx.progress({ done: i * total + done, total: args.runIds.length * total }),
        );
        rows.push({ runId, ...report });
      } finally {
        loaded.model.dispose();
      }
    }
    return { images, rows };
  },
};
