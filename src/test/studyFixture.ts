/** A study with every step run, and the stored runs it names: the input of the report builder's tests. */
import { DEFAULT_CONFIG } from '../shared/trainingConfig';
import { newStudy, withStep } from '../features/share/shared/study/plan';
import type { ReportInput, ReportRun } from '../features/share/shared/study/reportHtml';
import type { StudyRecord } from '../features/share/shared/study/types';

const epoch = (e: number, acc: number) => ({
  epoch: e,
  trainLoss: 0.7 - e * 0.05,
  trainAccuracy: acc + 0.03,
  testLoss: 0.69 - e * 0.041,
  testAccuracy: acc,
  seconds: 3.25 + e,
  imagesPerSecond: 100,
});

export function studyFixture(): ReportInput {
  const settings = {
    budgetMs: 600_000,
    config: DEFAULT_CONFIG,
    comparePresets: ['compact', 'vgg16'] as const,
    compareEpochs: 2,
    trainPreset: 'compact' as const,
    trainEpochs: 3,
    attackPerClass: 200,
    lastLayerPerClass: 75,
  };
  let s: StudyRecord = newStudy(
    'study-1',
    'ds-1',
    { ...settings, comparePresets: [...settings.comparePresets] },
    1_700_000_000_000,
  );
  const t = 1_700_000_100_000;
  s = withStep(
    s,
    'noise',
    { status: 'done', noise: { counts: [40, 17, 7], total: 64, ms: 12_345 }, ms: 12_400, allowanceMs: 60_000 },
    t,
    12_400,
  );
  s = withStep(
    s,
    'compare',
    { status: 'done', runIds: ['run-c', 'run-v'], presetsDone: ['compact', 'vgg16'], ms: 90_000, allowanceMs: 200_000 },
    t,
    90_000,
  );
  s = withStep(s, 'train', { status: 'done', runIds: ['run-t'], ms: 50_000, allowanceMs: 200_000 }, t, 50_000);
  s = withStep(
    s,
    'validate',
    {
      status: 'done',
      validation: {
        runId: 'run-t',
        count: 13,
        accuracy: 0.6923076923,
        loss: 0.6512345,
        confusion: [
          [5, 2],
          [2, 4],
        ],
        perClassAccuracy: [0.7142857, 0.6666667],
      },
    },
    t,
  );
  s = withStep(
    s,
    'attack',
    {
      status: 'done',
      attack: {
        runId: 'run-t',
        split: 'test',
        perClass: 200,
        ruleText: '±2.5 % of each value',
        examined: 13,
        images: 9,
        successRate: 0.8888889,
        accuracyBefore: 1,
        accuracyAfter: 0.1111111,
        trueConfidenceBefore: 0.8765432,
        trueConfidenceAfter: 0.0543219,
        medianSteps: 17,
        maxRelative: 0.025,
      },
    },
    t,
  );
  s = withStep(
    s,
    'lastLayer',
    {
      status: 'done',
      lastLayer: {
        runId: 'run-t',
        layerName: 'dense_1',
        width: 32,
        images: 6,
        trueConfidenceOriginal: 0.81234,
        trueConfidenceModified: 0.0712,
      },
    },
    t,
  );
  s = withStep(
    s,
    'survey',
    {
      status: 'done',
      survey: { surveys: 1, participants: 3, pre: { trials: 40, correct: 23 }, post: { trials: 20, correct: 11 } },
    },
    t,
  );
  const run = (id: string, architecture: string, accs: number[]): ReportRun => ({
    id,
    status: 'completed',
    epochsDone: accs.length,
    backend: 'wasm',
    config: {
      architecture,
      epochs: accs.length,
      batchSize: 16,
      learningRate: 0.001,
      widthMultiplier: 0.25,
      optimizer: 'adam',
    },
    epochs: accs.map((a, i) => epoch(i + 1, a)),
  });
  return {
    study: s,
    dataset: {
      name: 'Synthetic <lookalikes>',
      kind: 'synthetic',
      classNames: ['Asha', 'B<script>ela'],
      count: 77,
      classCounts: [39, 38],
    },
    runs: [
      run('run-c', 'compact', [0.5625, 0.6875]),
      run('run-v', 'vgg16', [0.5, 0.53125]),
      run('run-t', 'compact', [0.59375, 0.65625, 0.71875]),
    ],
    noiseBins: { counts: [40, 17, 7], folds: 2, epochs: 8, ms: 12_345, createdAt: 1_700_000_050_000 },
    generatedAt: 1_700_000_200_000,
  };
}
