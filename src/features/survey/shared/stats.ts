/**
 * Survey statistics: Wilson score intervals, accuracy per condition / participant / "seen before"
 * group, the features table, and how faithfully the display time was met.
 */
import { FEATURES } from './types';
import type { Feature, ParticipantResult, SurveyCondition, TrialRecord } from './types';

export interface Interval {
  p: number;
  lo: number;
  hi: number;
}

/** Wilson score interval for a binomial proportion (95% by default). n = 0 → {p: NaN, lo: 0, hi: 1}. */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): Interval {
  if (n === 0) return { p: NaN, lo: 0, hi: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { p, lo: Math.max(0, center - half), hi: Math.min(1, center + half) };
}

export interface GroupSummary {
  participants: number;
  trials: number;
  correct: number;
  accuracy: Interval;
}
export interface ConditionSummary extends GroupSummary {
  condition: SurveyCondition;
}
export interface SeenBeforeSummary extends GroupSummary {
  condition: SurveyCondition;
  seenBefore: boolean | null;
}
export interface ParticipantSummary {
  participantId: string;
  condition: SurveyCondition;
  trials: number;
  correct: number;
  /** correct / trials; NaN with no trials. */
  accuracy: number;
}
export interface SurveySummary {
  /** Always both conditions, 'pre' then 'post'. */
  conditions: ConditionSummary[];
  participants: ParticipantSummary[];
  /** Every condition × seenBefore (true, false, null) combination, including empty ones. */
  bySeenBefore: SeenBeforeSummary[];
}

const CONDITIONS: readonly SurveyCondition[] = ['pre', 'post'];

function group(results: readonly ParticipantResult[]): GroupSummary {
  const trials = results.reduce((s, r) => s + r.trials.length, 0);
  const correct = results.reduce((s, r) => s + r.trials.filter((t) => t.correct).length, 0);
  return { participants: results.length, trials, correct, accuracy: wilsonInterval(correct, trials) };
}

export function summarize(results: readonly ParticipantResult[]): SurveySummary {
  const conditions = CONDITIONS.map((condition) => ({
    condition,
    ...group(results.filter((r) => r.condition === condition)),
  }));
  const participants = results.map((r) => {
    const correct = r.trials.filter((t) => t.correct).length;
    const trials = r.trials.length;
    return {
      participantId: r.participantId,
      condition: r.condition,
      trials,
      correct,
      accuracy: trials ? correct / trials : NaN,
    };
  });
  const bySeenBefore = CONDITIONS.flatMap((condition) =>
    [true, false, null].map((seenBefore) => ({
      condition,
      seenBefore,
      ...group(results.filter((r) => r.condition === condition && r.seenBefore === seenBefore)),
    })),
  );
  return { conditions, participants, bySeenBefore };
}

export interface FeatureTable {
  /** One row per FEATURES entry, in that order: how many participants ticked it. */
  rows: Array<{ feature: Feature; count: number }>;
  /** Participants who wrote a non-blank free-text answer. */
  other: number;
}

export function featureCounts(results: readonly ParticipantResult[]): FeatureTable {
  const rows = FEATURES.map((feature) => ({
    feature,
    count: results.filter((r) => r.features.includes(feature)).length,
  }));
  return { rows, other: results.filter((r) => r.otherFeatures.trim() !== '').length };
}

export interface TimingSummary {
  trials: number;
  /** Trials with |shownMs - targetMs| <= frameMs. */
  withinOneFrame: number;
  /** withinOneFrame / trials; NaN with no trials. */
  share: number;
  medianShownMs: number;
  overran: number;
}

export function timingSummary(trials: readonly TrialRecord[]): TimingSummary {
  const within = trials.filter((t) => Math.abs(t.shownMs - t.targetMs) <= t.frameMs).length;
  const shown = trials.map((t) => t.shownMs).sort((x, y) => x - y);
  const mid = shown.length >> 1;
  const median = shown.length === 0 ? NaN : shown.length % 2 ? shown[mid] : (shown[mid - 1] + shown[mid]) / 2;
  return {
    trials: trials.length,
    withinOneFrame: within,
    share: trials.length ? within / trials.length : NaN,
    medianShownMs: median,
    overran: trials.filter((t) => t.overran).length,
  };
}
