/**
 * The numbers the study keeps of results the app does not store elsewhere (an evaluation, a fool batch, the
 * last-layer export, the survey summary), reduced from the existing calls' results. Pure, thread-neutral.
 */
import type { FoolBatchReport } from '../../../fool/shared/protocol';
import type { LastLayerExport } from '../../../survey/shared/protocol';
import type { Evaluation } from '../../../train/shared/protocol';
import { summarize } from '../../../survey/shared/stats';
import type { ParticipantResult } from '../../../survey/shared/types';
import type { AttackNumbers, LastLayerNumbers, SurveyNumbers, ValidationNumbers } from './types';

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

export function validationNumbers(e: Evaluation): ValidationNumbers {
  return {
    runId: e.runId,
    count: e.count,
    accuracy: e.accuracy,
    loss: e.loss,
    confusion: e.confusion,
    perClassAccuracy: e.perClassAccuracy,
  };
}

export function attackNumbers(runId: string, perClass: number, r: FoolBatchReport): AttackNumbers {
  return {
    runId,
    split: r.split === 'validation' ? 'validation' : 'test',
    perClass,
    ruleText: r.ruleText,
    examined: r.examined,
    images: r.images,
    successRate: r.successRate,
    accuracyBefore: r.accuracyBefore,
    accuracyAfter: r.accuracyAfter,
    trueConfidenceBefore: mean(r.rows.map((row) => row.probsBefore[row.label])),
    trueConfidenceAfter: mean(r.rows.map((row) => row.probsAfter[row.label])),
    medianSteps: r.medianSteps,
    maxRelative: r.maxRelative,
  };
}

export function lastLayerNumbers(runId: string, e: LastLayerExport): LastLayerNumbers {
  return {
    runId,
    layerName: e.layerName,
    width: e.width,
    images: e.indices.length,
    trueConfidenceOriginal: mean(e.probsOriginal.map((p, i) => p[e.labels[i]])),
    trueConfidenceModified: mean(e.probsModified.map((p, i) => p[e.labels[i]])),
  };
}

export function surveyNumbers(surveys: number, results: readonly ParticipantResult[]): SurveyNumbers {
  const s = summarize(results);
  const [pre, post] = s.conditions;
  return {
    surveys,
    participants: results.length,
    pre: { trials: pre.trials, correct: pre.correct },
    post: { trials: post.trials, correct: post.correct },
  };
}
