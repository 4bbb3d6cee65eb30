/**
 * The Data capability's lab-worker calls (protocol: ../shared/protocol.ts), composed by src/workers/lab.worker.ts.
 * Photo ingest and face detection run in their own worker (src/workers/ingest.worker.ts), not here.
 */
import { openLabDb } from '../../../db/open';
import { readImages } from '../../../db/datasets';
import { abortPoint } from '../../../ml/abortPoint';
import { withLab, withRun, type HandlersOf } from '../../../ml/core/callContext';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import type { DataApi, DataProgress } from '../shared/protocol';
import { generateDemoDataset } from './demoDataset';
import { sortNoise } from './noiseSort';

/** Images per prediction while scoring every crop: a few MB of activations at most. */
const CONFIDENCE_CHUNK = 64;

export const dataHandlers: HandlersOf<DataApi, DataProgress> = {
  async generateDemo(args, ctx) {
    const t0 = performance.now();
    const r = await generateDemoDataset(await openLabDb(), args, ctx.progress, ctx.signal);
    return { ...r, ms: performance.now() - t0 };
  },
  async labelConfidence(args, ctx) {
    const { db, model, datasetId, dataset } = await withRun(ctx, args.runId);
    const confidence = new Float32Array(dataset.count);
    const classes = dataset.classNames.length;
    for (let start = 0; start < dataset.count; start += CONFIDENCE_CHUNK) {
      await abortPoint(ctx.signal);
      const indices = Array.from({ length: Math.min(CONFIDENCE_CHUNK, dataset.count - start) }, (_, k) => start + k);
      const { pixels, labels } = await readImages(db, datasetId, indices);
      const probs = await probabilitiesOf(model, pixels, indices.length);
      indices.forEach((i, k) => (confidence[i] = probs[k * classes + labels[k]]));
      ctx.progress({ done: start + indices.length, total: dataset.count });
    }
    return { datasetId, confidence };
  },
  async noiseSort(args, ctx) {
    const r = await sortNoise(await withLab(), args.datasetId, {}, ctx.progress, ctx.signal);
    return { datasetId: args.datasetId, counts: r.counts, total: r.bins.length, ms: r.ms };
  },
};
