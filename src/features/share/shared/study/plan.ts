/**
 * The study's schedule, pure so it is unit-tested: how the time budget is split across the steps, which step
 * runs next (also after a reload), and why a step is skipped. The driver (store/study.ts) only acts on it.
 */
import type { Architecture } from '../../../../shared/trainingConfig';
import { STUDY_STEPS, type StudyRecord, type StudyStepName, type StudySettings, type StudyStepState } from './types';

/**
 * Default shares of the budget. Training dominates (the comparison trains several presets, then one preset
 * trains longer); the attack and the last layer attack at most 200 faces per class; reading survey results
 * takes no time. Unused time is passed on: a step gets its share of what is left, not of the whole.
 */
export const STEP_SHARES: Record<StudyStepName, number> = {
  noise: 0.1,
  compare: 0.35,
  train: 0.35,
  validate: 0.05,
  attack: 0.1,
  lastLayer: 0.05,
  survey: 0,
};

/** A step is never given less than this (below it, it is skipped as "budget spent"), except reading surveys. */
export const MIN_ALLOWANCE_MS = 1000;

export const DEFAULT_STUDY: Omit<StudySettings, 'config' | 'trainPreset'> = {
  budgetMs: 30 * 60_000,
  comparePresets: ['compact', 'vgg16'] as Architecture[],
  compareEpochs: 3,
  trainEpochs: 5,
  attackPerClass: 200,
  lastLayerPerClass: 75,
};

export function newStudy(id: string, datasetId: string, settings: StudySettings, now: number): StudyRecord {
  const steps = Object.fromEntries(STUDY_STEPS.map((s) => [s, { status: 'pending' }])) as Record<
    StudyStepName,
    StudyStepState
  >;
  return { id, datasetId, createdAt: now, updatedAt: now, settings, spentMs: 0, steps, finished: false };
}

/** The time step `step` may take: its share of the budget left, among the steps not yet run (itself included). */
export function allowanceFor(study: StudyRecord, step: StudyStepName): number {
  const left = Math.max(0, study.settings.budgetMs - study.spentMs);
  const rest = STUDY_STEPS.slice(STUDY_STEPS.indexOf(step));
  const shares = rest.reduce((s, name) => s + STEP_SHARES[name], 0);
  return shares > 0 ? (left * STEP_SHARES[step]) / shares : left;
}

/** The first step not finished: pending, or running when the page was closed (it is redone or resumed). */
export function nextStep(study: StudyRecord): StudyStepName | null {
  return STUDY_STEPS.find((s) => study.steps[s].status === 'pending' || study.steps[s].status === 'running') ?? null;
}

/** The run the later steps use: the trained preset's run, if it stored a checkpoint. */
export function trainedRunId(study: StudyRecord): string | null {
  const t = study.steps.train;
  return (t.status === 'done' || t.status === 'cut') && t.runIds?.[0] ? t.runIds[0] : null;
}

/** Why `step` cannot run now (it is then skipped with this note), or null. */
export function skipReason(
  study: StudyRecord,
  step: StudyStepName,
  hasCheckpoint: (runId: string) => boolean,
): string | null {
  if (STEP_SHARES[step] > 0 && allowanceFor(study, step) < MIN_ALLOWANCE_MS)
    return `Skipped: the time budget was spent (${(study.spentMs / 1000).toFixed(0)} s of ${(study.settings.budgetMs / 1000).toFixed(0)} s) before this step.`;
  if (step === 'validate' || step === 'attack' || step === 'lastLayer') {
    const runId = trainedRunId(study);
    if (!runId || !hasCheckpoint(runId)) return 'Skipped: no trained model (the training step stored no checkpoint).';
  }
  return null;
}

/** Compare: the presets still to train (a resume after a reload keeps the runs that finished). */
export function presetsLeft(study: StudyRecord): Architecture[] {
  const done = new Set(study.steps.compare.presetsDone ?? []);
  return study.settings.comparePresets.filter((p) => !done.has(p));
}

/** Train: the run to resume after a reload (its run id was stored when it started), or null to start one. */
export function trainingToResume(study: StudyRecord): string | null {
  const t = study.steps.train;
  return t.status === 'running' && t.runIds?.[0] ? t.runIds[0] : null;
}

/** A copy with `step` patched, the time it took added, and updatedAt set. */
export function withStep(
  study: StudyRecord,
  step: StudyStepName,
  patch: Partial<StudyStepState>,
  now: number,
  addMs = 0,
): StudyRecord {
  const steps = { ...study.steps, [step]: { ...study.steps[step], ...patch } };
  const finished = STUDY_STEPS.every((s) => !['pending', 'running'].includes(steps[s].status));
  return { ...study, steps, spentMs: study.spentMs + addMs, updatedAt: now, finished };
}
