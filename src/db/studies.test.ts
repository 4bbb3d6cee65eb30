/** The study record after a "reload" (connection closed and reopened): the newest unfinished one, as it was saved. */
import { describe, expect, it } from 'vitest';
import { closeLabDb, openLabDb } from './open';
import { putStudy, unfinishedStudy } from './studies';
import { DEFAULT_CONFIG } from '../shared/trainingConfig';
import { newStudy, nextStep, presetsLeft, trainingToResume, withStep } from '../features/share/shared/study/plan';
import { STUDY_STEPS } from '../features/share/shared/study/types';

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

describe('stored studies', () => {
  it('reads an interrupted study back from IndexedDB as the one to resume', async () => {
    const name = 'study-resume';
    let db = await openLabDb(name);
    const older = withStep(newStudy('old', 'd', settings, 10), 'noise', { status: 'running' }, 11);
    let s = withStep(newStudy('new', 'd', settings, 20), 'noise', { status: 'done' }, 21, 5000);
    s = withStep(
      s,
      'compare',
      { status: 'done', runIds: ['a', 'b', 'c'], presetsDone: ['compact', 'vgg16', 'vgg19'] },
      22,
      30_000,
    );
    s = withStep(s, 'train', { status: 'running', runIds: ['rt'], allowanceMs: 20_000 }, 23);
    const done = STUDY_STEPS.reduce(
      (acc, step) => withStep(acc, step, { status: 'done' }, 30),
      newStudy('finished', 'd', settings, 30),
    );
    await putStudy(db, older);
    await putStudy(db, s);
    await putStudy(db, done);
    await closeLabDb(name); // the reload
    db = await openLabDb(name);
    const back = await unfinishedStudy(db);
    expect(back?.id).toBe('new'); // the newest unfinished one, not the finished one
    expect(back!.spentMs).toBe(35_000);
    expect(nextStep(back!)).toBe('train');
    expect(trainingToResume(back!)).toBe('rt');
    expect(presetsLeft(back!)).toEqual([]);
    await closeLabDb(name);
  });
});
