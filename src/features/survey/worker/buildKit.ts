/**
 * Builds a survey kit from a run (paper §7): correctly classified test faces of each class, some shown with
 * their names for training, the rest paired (balanced same/different, seeded). In the 'post' condition the
 * paired faces are replaced by the paper attack's modified images, as the paper's second survey did. The
 * model's own prediction for every shown image goes in the kit, so the CNN can "answer" the same pairs.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BuildSurveyArgs } from '../shared/protocol';
import { makePairs, pickTraining } from '../shared/pairs';
import { surveyShortage } from '../shared/supply';
import type { SurveyImage, SurveyKit } from '../shared/types';
import { foolBatch, type BatchImages } from '../../fool/worker/foolService';
import { probabilitiesOf } from '../../../ml/core/probabilities';
import type { PngCodec } from '../../fool/worker/pngCodec';
import { argMax } from '../../../shared/argMax';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

/** The page's survey settings (BuildSurveyArgs) and the kit's new id; the run is already resolved to a model. */
export type KitOptions = Omit<BuildSurveyArgs, 'runId'> & { id: string };

export async function buildSurveyKit(
  model: tf.LayersModel,
  codec: PngCodec,
  picked: BatchImages,
  classNames: string[],
  o: KitOptions,
  signal?: AbortSignal,
  /** Faces manipulated so far (the 'post' condition's attack, the one long step). */
  progress?: (done: number, total: number) => void,
): Promise<SurveyKit> {
  // Each person needs the training faces and two left to pair: say who falls short before any pair is drawn.
  const shortage = surveyShortage(picked.labels, classNames, o.trainPerClass);
  if (shortage) throw new Error(shortage);
  const all = picked.labels.map((label, i) => ({ id: `img-${picked.indices[i]}`, label, i }));
  const training = pickTraining(all, o.trainPerClass, o.seed);
  const trainingSet = new Set(training);
  const pool = all.filter((x) => !trainingSet.has(x.id));
  const pairs = makePairs(pool, o.pairs, o.seed + 1);
  const used = new Set([...training, ...pairs.flatMap((p) => [p.a, p.b])]);
  const chosen = all.filter((x) => used.has(x.id));
  const images: SurveyImage[] = chosen.map((x) => ({
    id: x.id,
    label: x.label,
    pixels: picked.pixels.slice(x.i * PIXELS_PER_IMAGE, (x.i + 1) * PIXELS_PER_IMAGE),
    modified: false,
  }));

  if (o.condition === 'post') {
    // Only the paired (test-phase) faces are manipulated; training faces stay the originals.
    const targets = images.filter((im) => !trainingSet.has(im.id));
    const batch: BatchImages = {
      indices: targets.map((_, i) => i),
      labels: targets.map((t) => t.label),
      pixels: new Uint8Array(targets.length * PIXELS_PER_IMAGE),
    };
    targets.forEach((t, i) => batch.pixels.set(t.pixels, i * PIXELS_PER_IMAGE));
    const { modified } = await foolBatch(model, codec, batch, o.attack, { keepImages: true, signal, progress });
    targets.forEach((t, i) => {
      t.pixels = modified[i];
      t.modified = true;
    });
  }

  const k = classNames.length;
  const stacked = new Uint8Array(images.length * PIXELS_PER_IMAGE);
  images.forEach((im, i) => stacked.set(im.pixels, i * PIXELS_PER_IMAGE));
  const probs = await probabilitiesOf(model, stacked, images.length);
  const cnnPredictions: Record<string, number> = {};
  images.forEach((im, i) => {
    const p = probs.subarray(i * k, (i + 1) * k);
    cnnPredictions[im.id] = argMax(p);
  });
  return {
    format: 'lookalike-lab-survey/1',
    id: o.id,
    name: o.name,
    createdAt: new Date().toISOString(),
    classNames,
    displayMs: o.displayMs,
    condition: o.condition,
    seed: o.seed,
    training,
    pairs,
    images,
    cnnPredictions,
  };
}
