import { afterEach, describe, expect, it } from 'vitest';
import type { ParticipantResult, SurveyKit } from '../features/survey/shared/types';
import { closeLabDb, openLabDb } from './open';
import { getSurvey, putResults, putSurvey, replaceSurvey, resultsOfSurvey } from './surveys';

const DB = 'surveys-test';
afterEach(async () => {
  await closeLabDb(DB);
  indexedDB.deleteDatabase(DB);
});

const kit = (name: string, pairs: number): SurveyKit => ({
  format: 'lookalike-lab-survey/1',
  id: 'k1',
  name,
  createdAt: '2026-12-06T00:00:00Z',
  classNames: ['A', 'B'],
  displayMs: 450,
  condition: 'pre',
  seed: 1,
  training: [],
  images: [],
  cnnPredictions: {},
  pairs: Array.from({ length: pairs }, (_, i) => ({ a: `a${i}`, b: `b${i}`, same: false })),
});
const result = (kitId: string, participantId: string): ParticipantResult => ({
  format: 'lookalike-lab-survey-result/1',
  kitId,
  participantId,
  condition: 'pre',
  seenBefore: null,
  startedAt: '',
  trials: [],
  features: [],
  otherFeatures: '',
});

describe('replaceSurvey', () => {
  it('replaces a same-id kit and deletes only its results, in one step', async () => {
    const db = await openLabDb(DB);
    await putSurvey(db, kit('old', 3));
    await putSurvey(db, { ...kit('other', 2), id: 'k2' });
    await putResults(db, [result('k1', 'P1'), result('k1', 'P2'), result('k2', 'P1')]);
    expect(await replaceSurvey(db, kit('new', 5))).toBe(2);
    expect((await getSurvey(db, 'k1'))?.name).toBe('new');
    expect(await resultsOfSurvey(db, 'k1')).toEqual([]);
    expect((await resultsOfSurvey(db, 'k2')).map((r) => r.participantId)).toEqual(['P1']);
  });
});
