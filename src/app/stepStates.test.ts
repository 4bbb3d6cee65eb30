import { describe, expect, it } from 'vitest';
import type { DatasetRecord, RunRecord } from '../db/schema';
import { DEFAULT_CONFIG } from '../shared/trainingConfig';
import { stepStates, type StepInput } from './stepStates';

const dataset = (over: Partial<DatasetRecord> = {}): DatasetRecord => ({
  id: 'd1',
  name: 'Synthetic',
  kind: 'synthetic',
  classNames: ['Asha', 'Bela'],
  createdAt: 0,
  count: 58,
  classCounts: [29, 29],
  complete: true,
  ...over,
});
const run = (over: Partial<RunRecord> = {}): RunRecord => ({
  id: 'r1',
  datasetId: 'd1',
  createdAt: 0,
  updatedAt: 1,
  config: DEFAULT_CONFIG,
  status: 'completed',
  epochsDone: 2,
  batchLog: [],
  backend: 'wasm',
  checkpointEpoch: 2,
  epochs: [1, 2].map((epoch) => ({
    epoch,
    trainLoss: 0,
    trainAccuracy: 0,
    testLoss: 0,
    testAccuracy: epoch === 2 ? 0.874 : 0.5,
    seconds: 1,
    imagesPerSecond: 1,
  })),
  ...over,
});
const input = (over: Partial<StepInput> = {}): StepInput => ({
  datasets: [],
  selectedDatasetId: null,
  runs: [],
  training: { status: 'idle', epoch: null },
  surveyCount: 0,
  ...over,
});

describe('stepStates', () => {
  it('a fresh app: no dataset, no model, the model pages wait', () => {
    const s = stepStates(input());
    expect(s.data).toEqual({ text: 'no dataset', ready: false });
    expect(s.train).toEqual({ text: 'no model yet', ready: false });
    for (const k of ['see', 'fool', 'survey'] as const) expect(s[k]).toEqual({ text: 'needs a model', ready: false });
  });

  it('counts the selected dataset, and ignores one still being written', () => {
    expect(stepStates(input({ datasets: [dataset()], selectedDatasetId: 'd1' })).data.text).toBe(
      '58 images · 2 people',
    );
    expect(
      stepStates(input({ datasets: [dataset({ count: 1, classNames: ['A'] })], selectedDatasetId: 'd1' })).data.text,
    ).toBe('1 image · 1 person');
    expect(stepStates(input({ datasets: [dataset({ complete: false })], selectedDatasetId: 'd1' })).data.text).toBe(
      'no dataset',
    );
  });

  it('describes the newest checkpointed run by its checkpoint epoch and test accuracy', () => {
    const older = run({ id: 'r0', updatedAt: 0, config: { ...DEFAULT_CONFIG, architecture: 'paper' } });
    const unsaved = run({ id: 'r2', updatedAt: 9, checkpointEpoch: null });
    const s = stepStates(
      input({ datasets: [dataset()], selectedDatasetId: 'd1', runs: [older, run(), unsaved], surveyCount: 1 }),
    );
    expect(s.train.text).toBe(`trained: ${DEFAULT_CONFIG.architecture} epoch 2, acc 87 %`);
    expect(s.see.ready && s.fool.ready).toBe(true);
    expect(s.survey.text).toBe('1 survey');
  });

  it('says a run is training, with its epoch', () => {
    expect(stepStates(input({ training: { status: 'running', epoch: 3 } })).train.text).toBe('training: epoch 3');
  });
});
