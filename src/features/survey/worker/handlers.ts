/** The Survey capability's lab-worker calls (protocol: ../shared/protocol.ts), composed by src/workers/lab.worker.ts. */
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';
import type { HandlersOf } from '../../../ml/core/callContext';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import { foolBatch } from '../../fool/worker/foolService';
import { correctlyClassified } from '../../fool/worker/handlers';
import { canvasPngCodec } from '../../fool/worker/pngCodec';
import type { SurveyApi, SurveyProgress } from '../shared/protocol';
import { buildSurveyKit } from './buildKit';
import { layerActivations, penultimateLayerName, softmaxHead } from './lastLayer';

export const surveyHandlers: HandlersOf<SurveyApi, SurveyProgress> = {
  async buildSurvey(args, ctx) {
    const { model, images, dataset } = await correctlyClassified(
      ctx,
      args.runId,
      'test',
      args.trainPerClass + args.pairs,
    );
    const id = `survey-${Date.now().toString(36)}`;
    return {
      ...(await buildSurveyKit(
        model,
        canvasPngCodec,
        images,
        dataset.classNames,
        { ...args, id },
        ctx.signal,
        (done, total) => ctx.progress({ done, total }),
      )),
      runId: args.runId,
    };
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
};
