import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ModelOptions } from '../shared/trainingConfig';
import { buildModel } from './models';
import { summarizeModel } from './summary';

const base: ModelOptions = { ...DEFAULT_CONFIG, numClasses: 2 };

function paramsOf(o: Partial<ModelOptions>) {
  const model = buildModel({ ...base, ...o });
  try {
    return summarizeModel(model);
  } finally {
    model.dispose();
  }
}

describe('model zoo parameter counts', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('paper model: the figure-2 table exactly, without the second batch norm and dropout', () => {
    const s = paramsOf({ architecture: 'paper', batchNormLayers: 1, dropout: 0 });
    const byName = Object.fromEntries(s.layers.map((l) => [l.name, l]));
    expect(byName.conv1.params).toBe(1_792);
    expect(byName.conv2.params).toBe(36_928);
    expect(byName.conv3.params).toBe(73_856);
    for (let i = 4; i <= 13; i++) expect(byName[`conv${i}`].params).toBe(147_584);
    expect(byName.conv12.outputShape).toBe('None × 64 × 64 × 128');
    expect(byName.conv13.outputShape).toBe('None × 62 × 62 × 128');
    expect(byName.flatten.outputShape).toBe('None × 492032');
    expect(byName.dense128.params).toBe(62_980_224);
    expect(byName.dense512.params).toBe(66_048);
    expect(byName.batchnorm512.params).toBe(2_048);
    expect(byName.predictions.params).toBe(1_026);
    expect(s.totalParams).toBe(64_637_762);
  });

  it('paper model with both batch norms and dropout (the paper settings) adds 512 params', () => {
    const s = paramsOf({ architecture: 'paper', batchNormLayers: 2, dropout: 0.35 });
    expect(s.totalParams).toBe(64_637_762 + 512);
    const names = s.layers.map((l) => l.name);
    expect(names.indexOf('batchnorm128')).toBe(names.indexOf('dense128') + 1);
    expect(names.indexOf('dropout')).toBe(names.indexOf('predictions') - 1);
  });

  it('VGG16 and VGG19 at 64×64: Keras base counts and totals', () => {
    const v16 = paramsOf({ architecture: 'vgg16' });
    const base16 = v16.layers.filter((l) => l.name.startsWith('block')).reduce((n, l) => n + l.params, 0);
    expect(base16).toBe(14_714_688);
    expect(v16.totalParams).toBe(15_764_802);
    const v19 = paramsOf({ architecture: 'vgg19' });
    const base19 = v19.layers.filter((l) => l.name.startsWith('block')).reduce((n, l) => n + l.params, 0);
    expect(base19).toBe(20_024_384);
    expect(v19.totalParams).toBe(21_074_498);
    expect(v19.layers.find((l) => l.name === 'block5_pool')?.outputShape).toBe('None × 2 × 2 × 512');
  });

  it('compact model: small, with pooling, width multiplier shrinks it', () => {
    const full = paramsOf({ architecture: 'compact' });
    expect(full.totalParams).toBeLessThan(200_000);
    expect(full.layers.filter((l) => l.className === 'MaxPooling2D')).toHaveLength(4);
    const narrow = paramsOf({ architecture: 'compact', widthMultiplier: 0.25 });
    expect(narrow.totalParams).toBeLessThan(full.totalParams / 8);
  });

  it('building and disposing models leaks no tensors', () => {
    const before = tf.memory().numTensors;
    paramsOf({ architecture: 'compact' });
    paramsOf({ architecture: 'vgg16' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
