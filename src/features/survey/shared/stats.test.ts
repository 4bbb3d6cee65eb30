/** Tests for Wilson intervals, survey summaries, the features table and display-timing summary. */
import { describe, expect, it } from 'vitest';
import { featureCounts, summarize, timingSummary, wilsonInterval } from './stats';
import type { ParticipantResult, SurveyCondition, TrialRecord } from './types';

function trial(correct: boolean, shownMs = 450, over: Partial<TrialRecord> = {}): TrialRecord {
  return {
    pairIndex: 0,
    same: true,
    answer: correct ? 'same' : 'different',
    correct,
    shownMs,
    targetMs: 450,
    frameMs: 16.7,
    overran: false,
    responseMs: 800,
    ...over,
  };
}

function result(
  id: string,
  condition: SurveyCondition,
  seenBefore: boolean | null,
  correct: number,
  wrong: number,
  features: string[] = [],
  otherFeatures = '',
): ParticipantResult {
  return {
    format: 'lookalike-lab-survey-result/1',
    kitId: 'k',
    participantId: id,
    condition,
    seenBefore,
    startedAt: '2024-01-01T00:00:00Z',
    trials: [
      ...Array.from({ length: correct }, () => trial(true)),
      ...Array.from({ length: wrong }, () => trial(false)),
    ],
    features,
    otherFeatures,
  };
}

describe('wilsonInterval', () => {
  it('matches the Wilson formula worked by hand', () => {
    // p=0.9, z²=3.8415: centre = (0.9+0.038415)/1.076829 = 0.871464, half = 0.085064
    const r = wilsonInterval(45, 50);
    expect(r.p).toBe(0.9);
    expect(r.lo).toBeCloseTo(0.786398, 5);
    expect(r.hi).toBeCloseTo(0.956524, 5);
    const q = wilsonInterval(3, 4);
    expect(q.lo).toBeCloseTo(0.300642, 5);
    expect(q.hi).toBeCloseTo(0.954413, 5);
  });

  it('handles 0/n, n/n and n = 0', () => {
    // For 0/n the upper bound is z²/(n+z²) exactly.
    const zero = wilsonInterval(0, 10);
    expect(zero).toEqual({ p: 0, lo: 0, hi: expect.closeTo(3.841459 / 13.841459, 5) });
    const all = wilsonInterval(10, 10);
    expect(all.p).toBe(1);
    expect(all.lo).toBeCloseTo(1 - 3.841459 / 13.841459, 5);
    expect(all.hi).toBeCloseTo(1, 10);
    expect(all.hi).toBeLessThanOrEqual(1);
    const none = wilsonInterval(0, 0);
    expect(none.p).toBeNaN();
    expect([none.lo, none.hi]).toEqual([0, 1]);
  });

  it('narrows with a smaller z', () => {
    const r = wilsonInterval(45, 50, 1);
    expect(r.hi - r.lo).toBeLessThan(wilsonInterval(45, 50).hi - wilsonInterval(45, 50).lo);
  });
});

describe('summarize', () => {
  const results = [result('A', 'pre', true, 3, 1), result('B', 'pre', false, 2, 2), result('C', 'post', null, 1, 3)];
  const s = summarize(results);

  it('aggregates per condition with a Wilson CI', () => {
    expect(s.conditions.map((c) => [c.condition, c.participants, c.trials, c.correct])).toEqual([
      ['pre', 2, 8, 5],
      ['post', 1, 4, 1],
    ]);
    expect(s.conditions[0].accuracy.p).toBe(0.625);
    expect(s.conditions[0].accuracy.lo).toBeCloseTo(0.305742, 5);
    expect(s.conditions[0].accuracy.hi).toBeCloseTo(0.863156, 5);
  });

  it('lists participants', () => {
    expect(s.participants).toEqual([
      { participantId: 'A', condition: 'pre', trials: 4, correct: 3, accuracy: 0.75 },
      { participantId: 'B', condition: 'pre', trials: 4, correct: 2, accuracy: 0.5 },
      { participantId: 'C', condition: 'post', trials: 4, correct: 1, accuracy: 0.25 },
    ]);
  });

  it('splits by seenBefore within each condition', () => {
    expect(s.bySeenBefore.map((g) => [g.condition, g.seenBefore, g.participants, g.correct, g.trials])).toEqual([
      ['pre', true, 1, 3, 4],
      ['pre', false, 1, 2, 4],
      ['pre', null, 0, 0, 0],
      ['post', true, 0, 0, 0],
      ['post', false, 0, 0, 0],
      ['post', null, 1, 1, 4],
    ]);
    expect(s.bySeenBefore[2].accuracy.p).toBeNaN();
  });
});

describe('featureCounts', () => {
  it('counts ticks in FEATURES order and non-blank free text', () => {
    const t = featureCounts([
      result('A', 'pre', null, 1, 0, ['eyes', 'nose'], 'hair'),
      result('B', 'pre', null, 1, 0, ['eyes'], '   '),
      result('C', 'post', null, 1, 0, ['eyebrows', 'eyes'], 'ears'),
    ]);
    expect(t.rows.map((r) => r.feature)).toEqual([
      'nose',
      'eyes',
      'face structure',
      'lips/mouth',
      'skin tone',
      'cheeks',
      'forehead',
      'eyebrows',
      'facial expression',
    ]);
    expect(t.rows.map((r) => r.count)).toEqual([1, 3, 0, 0, 0, 0, 0, 1, 0]);
    expect(t.other).toBe(2);
  });
});

describe('timingSummary', () => {
  it('counts trials within one frame, overruns and the median', () => {
    const t = timingSummary([
      trial(true, 450),
      trial(true, 466.7),
      trial(true, 433.3),
      trial(true, 483.4, { overran: true }),
      trial(true, 500, { overran: true }),
      trial(true, 440, { frameMs: 8 }),
    ]);
    expect(t).toEqual({ trials: 6, withinOneFrame: 3, share: 0.5, medianShownMs: (450 + 466.7) / 2, overran: 2 });
  });

  it('reports NaN share and median with no trials', () => {
    const t = timingSummary([]);
    expect([t.trials, t.withinOneFrame, t.overran]).toEqual([0, 0, 0]);
    expect(t.share).toBeNaN();
    expect(t.medianShownMs).toBeNaN();
  });
});
