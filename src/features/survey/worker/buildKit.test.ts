/**
 * Building a survey kit from a run's correctly classified test faces (issue 16 item 7): too few faces of a
 * person is reported as that shortage, and enough faces give a kit. A real (tiny, untrained) model on the cpu
 * backend classifies the kit's images; the 'pre' condition saves no PNG.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ATTACK } from '../../fool/shared/attackSettings';
import { buildModel } from '../../../ml/models';
import type { PngCodec } from '../../fool/worker/pngCodec';
import { buildSurveyKit, type KitOptions } from './buildKit';
import { PIXELS_PER_IMAGE } from '../../../shared/imageGeometry';

const SIZE = PIXELS_PER_IMAGE;
const noPng: PngCodec = {
  encode: () => Promise.reject(new Error('no PNG is saved in the pre condition')),
  decode: () => Promise.reject(new Error('no PNG is read in the pre condition')),
};
const options: KitOptions = {
  id: 'k',
  name: 'Lookalike survey',
  trainPerClass: 20,
  pairs: 20,
  displayMs: 450,
  condition: 'pre',
  seed: 1,
  attack: DEFAULT_ATTACK,
};

function picked(asha: number, bela: number) {
  const labels = [...Array<number>(asha).fill(0), ...Array<number>(bela).fill(1)];
  return {
    indices: labels.map((_, i) => i),
    labels,
    pixels: Uint8Array.from({ length: labels.length * SIZE }, (_, i) => (i * 13) % 256),
  };
}

let model: tf.LayersModel;
beforeAll(async () => {
  await tf.setBackend('cpu');
  model = buildModel(
    { architecture: 'compact', numClasses: 2, dropout: 0, batchNormLayers: 1, widthMultiplier: 0.125 },
    1,
  );
});

describe('buildSurveyKit', () => {
  it('with the defaults and 12 / 3 correctly classified test faces, names the shortage (not "need at least 2 people, got 0")', async () => {
    await expect(buildSurveyKit(model, noPng, picked(12, 3), ['Asha', 'Bela'], options)).rejects.toThrow(
      'Survey: only 12 correctly classified test faces of Asha, only 3 correctly classified test faces of Bela; need 22 of each person (20 training faces + 2 to pair).',
    );
    await expect(buildSurveyKit(model, noPng, picked(40, 3), ['Asha', 'Bela'], options)).rejects.toThrow(
      /^Survey: only 3 correctly classified test faces of Bela; need 22 of each person/,
    );
  });

  it('builds a kit from 22 faces of each person: 20 training faces each and 20 balanced pairs', async () => {
    const kit = await buildSurveyKit(model, noPng, picked(22, 22), ['Asha', 'Bela'], options);
    expect(kit.training).toHaveLength(40);
    expect(kit.pairs).toHaveLength(20);
    expect(kit.pairs.filter((p) => p.same)).toHaveLength(10);
    expect(Object.keys(kit.cnnPredictions)).toHaveLength(kit.images.length);
  });
});
