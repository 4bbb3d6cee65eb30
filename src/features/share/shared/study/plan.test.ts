/**
 * The study's schedule and its resume after a reload: the budget shares (unused time passed on), the step a
 * reloaded study continues with, what it keeps (the comparison's finished presets, the training run to resume
 * from its checkpoint), skips with their reasons. IndexedDB round trip: src/db/studies.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../../../shared/trainingConfig';
import {
  allowanceFor,
  MIN_ALLOWANCE_MS,
  newStudy,
  nextStep,
  presetsLeft,
  skipReason,
  STEP_SHARES,
  trainedRunId,
  trainingToResume,
  withStep,
} from './plan';
import { STUDY_STEPS, type StudyRecord } from './types';

const settings = {
  budgetMs: 100_000,
  config: DEFAULT_CONFIG,
  comparePresets: ['compact', 'vgg16', 'vgg19'] as Array<'compact' | 'vgg16' | 'vgg19'>,
  compareEpochs: 1,
  trainPreset: 'compact' as const,
  trainEpochs: 1,
  attackPerClass: 200,
  lastLayerPerClass: 75,
};
const fresh = () => newStudy('s', 'd', settings, 0);

describe('study schedule', () => {
  it('splits the budget by the default shares and passes unused time on to the later steps', () => {
    expect(STUDY_STEPS.reduce((s, n) => s + STEP_SHARES[n], 0)).toBeCloseTo(1, 10);
    const s = fresh();
    expect(allowanceFor(s, 'noise')).toBeCloseTo(10_000, 6);
    // Noise took 4 s of its 10: the 96 s left are shared by compare … lastLayer (shares 0.9 in all).
    const afterNoise = withStep(s, 'noise', { status: 'done' }, 1, 4000);
    expect(allowanceFor(afterNoise, 'compare')).toBeCloseTo((96_000 * 0.35) / 0.9, 6);
    // The last timed step gets everything left.
    const late = { ...afterNoise, spentMs: 99_000 };
    expect(allowanceFor(late, 'lastLayer')).toBeCloseTo(1000, 6);
  });

  it('skips a step once the budget is spent, and the model steps without a trained checkpoint', () => {
    const spent = { ...fresh(), spentMs: 100_000 - MIN_ALLOWANCE_MS / 2 };
    expect(skipReason(spent, 'compare', () => true)).toMatch(/^Skipped: the time budget was spent \(100 s of 100 s\)/);
    // Reading survey results takes no time: never skipped for the budget.
    expect(skipReason(spent, 'survey', () => true)).toBeNull();
    const s = fresh();
    expect(skipReason(s, 'validate', () => true)).toMatch(/no trained model/);
    const trained = withStep(s, 'train', { status: 'cut', runIds: ['r1'] }, 1);
    expect(trainedRunId(trained)).toBe('r1');
    expect(skipReason(trained, 'attack', (id) => id === 'r1')).toBeNull();
    expect(skipReason(trained, 'attack', () => false)).toMatch(/no trained model/);
  });

  it('resumes at the step that was running, keeping what it had finished', () => {
    let s: StudyRecord = fresh();
    expect(nextStep(s)).toBe('noise');
    s = withStep(s, 'noise', { status: 'done' }, 1);
    s = withStep(s, 'compare', { status: 'running', runIds: ['rc'], presetsDone: ['compact'] }, 2);
    // A reload here: compare is redone, but only for the presets that did not finish.
    expect(nextStep(s)).toBe('compare');
    expect(presetsLeft(s)).toEqual(['vgg16', 'vgg19']);
    s = withStep(
      s,
      'compare',
      { status: 'done', runIds: ['rc', 'rv16', 'rv19'], presetsDone: ['compact', 'vgg16', 'vgg19'] },
      3,
    );
    expect(presetsLeft(s)).toEqual([]);
    // Training started and stored its run id, then the page reloaded: that run resumes.
    expect(trainingToResume(s)).toBeNull();
    s = withStep(s, 'train', { status: 'running', runIds: ['rt'] }, 4);
    expect(nextStep(s)).toBe('train');
    expect(trainingToResume(s)).toBe('rt');
    s = withStep(s, 'train', { status: 'done' }, 5);
    expect(trainingToResume(s)).toBeNull();
    expect(nextStep(s)).toBe('validate');
    expect(s.finished).toBe(false);
    for (const step of ['validate', 'attack', 'lastLayer', 'survey'] as const)
      s = withStep(s, step, { status: step === 'attack' ? 'skipped' : 'done' }, 6);
    expect(nextStep(s)).toBeNull();
    expect(s.finished).toBe(true);
  });
});
