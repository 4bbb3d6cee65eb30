/**
 * The paper study's driver (like compareArchitectures, store-side so it runs whatever page is open): runs the
 * protocol's steps in order through the app's existing calls — noiseSort, compareArchitectures, startTraining,
 * evaluateRun, foolBatch, lastLayer — within the time budget the schedule (shared/study/plan.ts) gives each
 * step, and stores its progress in IndexedDB (`studies`) after every step and as soon as a run id exists, so a
 * reload resumes it: a finished step is never redone, a training run resumes from its checkpoint, the
 * comparison trains only the presets not finished, and a one-shot step (sorting, evaluation, attacks) is redone.
 */
import { create } from 'zustand';
import { labBridge } from '../bridge/labBridge';
import { openLabDb } from '../db/open';
import { listStudies, putStudy, unfinishedStudy } from '../db/studies';
import { STORES } from '../db/schema';
import { errorMessage } from '../shared/errorMessage';
import { DEFAULT_ATTACK } from '../features/fool/shared/attackSettings';
import { newId } from '../shared/newId';
import {
  allowanceFor,
  newStudy,
  nextStep,
  presetsLeft,
  skipReason,
  trainedRunId,
  trainingToResume,
  withStep,
} from '../features/share/shared/study/plan';
import {
  attackNumbers,
  lastLayerNumbers,
  surveyNumbers,
  validationNumbers,
} from '../features/share/shared/study/numbers';
import {
  type StudyRecord,
  type StudySettings,
  type StudyStepName,
  type StudyStepState,
} from '../features/share/shared/study/types';
import type { Architecture } from '../shared/trainingConfig';
import { controlTraining, evaluateRun, refreshLists, startTraining } from './actions';
import { compareArchitectures } from './compare';
import { useLab } from './labStore';

export interface StudyState {
  study: StudyRecord | null;
  running: boolean;
  error: string | null;
}

export const useStudy = create<StudyState>(() => ({ study: null, running: false, error: null }));

let current: StudyRecord | null = null;
let stopRequested = false;
let stepAbort: AbortController | null = null;

async function save(study: StudyRecord): Promise<StudyRecord> {
  current = study;
  await putStudy(await openLabDb(), study);
  useStudy.setState({ study });
  return study;
}

const patchStep = (step: StudyStepName, patch: Partial<StudyStepState>, addMs = 0) =>
  save(withStep(current!, step, patch, Date.now(), addMs));

/** Aborts `task` at `ms`; says whether the time limit (not the user, not an error) ended it. */
async function withinAllowance<T>(
  ms: number,
  task: (signal: AbortSignal) => Promise<T>,
): Promise<{ value: T } | { timedOut: true }> {
  const abort = new AbortController();
  stepAbort = abort;
  // A Stop that came after the step was marked running but before its call began must still cancel it.
  if (stopRequested) abort.abort();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, ms);
  try {
    return { value: await task(abort.signal) };
  } catch (err) {
    if (timedOut) return { timedOut: true };
    throw err;
  } finally {
    clearTimeout(timer);
    stepAbort = null;
  }
}

/**
 * Training within an allowance: at the limit (or on Stop) the training call is told to stop, which it does
 * at its next batch, keeping the last epoch's checkpoint; any run the same task starts later is stopped too.
 */
async function trainingWithinAllowance<T>(
  ms: number,
  task: () => Promise<T>,
): Promise<{ value: T; timedOut: boolean }> {
  let timedOut = false;
  const stopNow = () => {
    const t = useLab.getState().training;
    if (t.callId !== null && (t.status === 'starting' || t.status === 'running' || t.status === 'paused'))
      controlTraining('stop');
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stopNow();
  }, ms);
  const unsubscribe = useLab.subscribe(() => (timedOut || stopRequested) && stopNow());
  try {
    return { value: await task(), timedOut };
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

const cutNote = (ms: number) => `Stopped at its time allowance (${(ms / 1000).toFixed(0)} s)`;

type StepRunner = (study: StudyRecord, allowanceMs: number) => Promise<Partial<StudyStepState>>;

const runNoise: StepRunner = async (study, ms) => {
  const r = await withinAllowance(ms, (signal) =>
    labBridge().call('noiseSort', { datasetId: study.datasetId }, { signal }),
  );
  if ('timedOut' in r) return { status: 'cut', note: `${cutNote(ms)}: the sorting was cancelled and stored nothing.` };
  return { status: 'done', noise: { counts: r.value.counts, total: r.value.total, ms: r.value.ms } };
};

const runCompare: StepRunner = async (study, ms) => {
  const { config, compareEpochs } = study.settings;
  const left = presetsLeft(study);
  // The comparison's entries get their run ids as each run ends: store each at once (a reload keeps them).
  const recorded = new Set(study.steps.compare.runIds ?? []);
  const unsubscribe = useLab.subscribe((s) => {
    for (const e of s.compare.entries) {
      if ((e.status !== 'done' && e.status !== 'failed') || !e.runId || recorded.has(e.runId)) continue;
      recorded.add(e.runId);
      const run = s.runs.find((r) => r.id === e.runId);
      const finished = e.status === 'done' && (!run || run.status === 'completed');
      const c = current!.steps.compare;
      void patchStep('compare', {
        runIds: [...(c.runIds ?? []), e.runId],
        presetsDone: finished ? [...(c.presetsDone ?? []), e.label as Architecture] : c.presetsDone,
      });
    }
  });
  try {
    const r = await trainingWithinAllowance(ms, () =>
      compareArchitectures(
        left.map((a) => ({ label: a, config: { ...config, architecture: a, epochs: compareEpochs } })),
      ),
    );
    await refreshLists();
    const runs = useLab.getState().runs;
    const ids = current!.steps.compare.runIds ?? [];
    const short = ids.map((id) => runs.find((x) => x.id === id)).filter((x) => x && x.epochsDone < compareEpochs);
    if (r.timedOut || short.length > 0) {
      const what = short
        .map((x) => `${x!.config.architecture} after ${x!.epochsDone} of ${compareEpochs} epochs`)
        .join(', ');
      return { status: 'cut', note: `${r.timedOut ? cutNote(ms) : 'Cut short'}: ${what || 'no run finished'}.` };
    }
    return { status: 'done' };
  } finally {
    unsubscribe();
  }
};

const runTrain: StepRunner = async (study, ms) => {
  const { config, trainPreset, trainEpochs } = study.settings;
  const runs = useLab.getState().runs;
  const resumeId = trainingToResume(study);
  // A run interrupted before its first checkpoint has nothing to resume from: train a new one.
  const resumable = resumeId && runs.find((r) => r.id === resumeId)?.checkpointEpoch != null ? resumeId : undefined;
  const unsubscribe = useLab.subscribe((s) => {
    const id = s.training.runId;
    if (id && current!.steps.train.runIds?.[0] !== id) void patchStep('train', { runIds: [id] });
  });
  try {
    const r = await trainingWithinAllowance(ms, () =>
      startTraining(resumable, resumable ? undefined : { ...config, architecture: trainPreset, epochs: trainEpochs }),
    );
    await refreshLists();
    const runId = r.value;
    if (!runId)
      return { status: 'failed', note: `Failed: ${useLab.getState().training.error ?? 'training did not start.'}` };
    const run = useLab.getState().runs.find((x) => x.id === runId);
    const resumedNote = resumable
      ? ` Resumed after a reload from its epoch-${runs.find((x) => x.id === resumable)!.checkpointEpoch} checkpoint.`
      : '';
    if (run && run.status !== 'completed')
      return {
        runIds: [runId],
        status: 'cut',
        // Stopped by the person, no later step runs: the run itself is what is kept (Resume on the Train page).
        note: stopRequested
          ? `Stopped by you after ${run.epochsDone} of ${trainEpochs} epochs; the run keeps its last checkpoint.${resumedNote}`
          : `${r.timedOut ? cutNote(ms) : 'Stopped'} after ${run.epochsDone} of ${trainEpochs} epochs; the later steps use its last checkpoint.${resumedNote}`,
      };
    return { runIds: [runId], status: 'done', note: resumedNote.trim() || undefined };
  } finally {
    unsubscribe();
  }
};

const runValidate: StepRunner = async (study, ms) => {
  const runId = trainedRunId(study)!;
  const r = await withinAllowance(ms, (signal) => evaluateRun(runId, 'validation', { signal }));
  if ('timedOut' in r) return { status: 'cut', note: `${cutNote(ms)}: the evaluation was cancelled.` };
  const { result, error } = useLab.getState().evaluation;
  if (!result) return { status: 'failed', note: `Failed: ${error ?? 'no evaluation result.'}` };
  return { status: 'done', validation: validationNumbers(result) };
};

const runAttack: StepRunner = async (study, ms) => {
  const runId = trainedRunId(study)!;
  const perClass = study.settings.attackPerClass;
  const r = await withinAllowance(ms, (signal) =>
    labBridge().call('foolBatch', { runId, split: 'test', perClass, settings: DEFAULT_ATTACK }, { signal }),
  );
  if ('timedOut' in r)
    return {
      status: 'cut',
      note: `${cutNote(ms)}: the batch was cancelled (fewer faces per class fit a larger budget).`,
    };
  return { status: 'done', attack: attackNumbers(runId, perClass, r.value.report) };
};

const runLastLayer: StepRunner = async (study, ms) => {
  const runId = trainedRunId(study)!;
  // As the Survey page's export: the paper's ±2.5 % of the range.
  const settings = { ...DEFAULT_ATTACK, rule: 'range' as const };
  const r = await withinAllowance(ms, (signal) =>
    labBridge().call('lastLayer', { runId, perClass: study.settings.lastLayerPerClass, settings }, { signal }),
  );
  if ('timedOut' in r) return { status: 'cut', note: `${cutNote(ms)}: the export was cancelled.` };
  return { status: 'done', lastLayer: lastLayerNumbers(runId, r.value) };
};

const runSurvey: StepRunner = async () => {
  const db = await openLabDb();
  const [surveys, results] = await Promise.all([db.count(STORES.surveys), db.getAll(STORES.surveyResults)]);
  return {
    status: 'done',
    survey: surveyNumbers(surveys, results),
    note: results.length ? undefined : 'No survey results in this browser.',
  };
};

const RUNNERS: Record<StudyStepName, StepRunner> = {
  noise: runNoise,
  compare: runCompare,
  train: runTrain,
  validate: runValidate,
  attack: runAttack,
  lastLayer: runLastLayer,
  survey: runSurvey,
};

/**
 * One driver per study across tabs (Web Locks): a second tab opened on an unfinished study would otherwise
 * resume it too and train the same steps twice. Without Web Locks the study just runs.
 */
let driving = false;
async function drive(study: StudyRecord): Promise<void> {
  // Set before the lock is asked for, so this tab never asks twice (the lock is not re-entrant).
  if (driving) return;
  driving = true;
  try {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) return await driveHere(study);
    await locks.request(`lookalike-study-${study.id}`, { ifAvailable: true }, async (lock) => {
      if (lock) await driveHere(study);
      else
        useStudy.setState({
          study,
          error: 'This study is running in another tab: its report is ready there when it ends.',
        });
    });
  } finally {
    driving = false;
  }
}

async function driveHere(study: StudyRecord): Promise<void> {
  stopRequested = false;
  useStudy.setState({ running: true, error: null });
  current = study;
  try {
    await refreshLists();
    for (let step = nextStep(current); step; step = nextStep(current)) {
      if (stopRequested) {
        await patchStep(step, { status: 'skipped', note: 'Skipped: the study was stopped.' });
        continue;
      }
      const runs = useLab.getState().runs;
      const reason = skipReason(current, step, (id) => runs.some((r) => r.id === id && r.checkpointEpoch !== null));
      if (reason) {
        await patchStep(step, { status: 'skipped', note: reason });
        continue;
      }
      const allowanceMs = allowanceFor(current, step);
      await patchStep(step, { status: 'running', allowanceMs });
      const t0 = performance.now();
      let patch: Partial<StudyStepState>;
      try {
        patch = await RUNNERS[step](current, allowanceMs);
      } catch (err) {
        patch = stopRequested
          ? { status: 'cut', note: 'Stopped by you.' }
          : { status: 'failed', note: `Failed: ${errorMessage(err)}` };
      }
      const ms = performance.now() - t0;
      await patchStep(step, { ...patch, ms }, ms);
    }
    if (stopRequested) await save({ ...current, stoppedByUser: true });
  } catch (err) {
    useStudy.setState({ error: errorMessage(err) });
  } finally {
    useStudy.setState({ running: false });
  }
}

/** Starts the study on the selected dataset; resolves when it ends (or is stopped). */
export async function runStudy(settings: StudySettings): Promise<void> {
  const datasetId = useLab.getState().selectedDatasetId;
  if (!datasetId) {
    useStudy.setState({ error: 'No dataset yet: generate the demo dataset or import photos on the Data page.' });
    return;
  }
  if (driving) return;
  const { training, compare } = useLab.getState();
  if (training.status !== 'idle' || compare.running) {
    useStudy.setState({
      error: 'A model is training: let it finish or stop it on the Train page, then run the study.',
    });
    return;
  }
  const study = newStudy(newId('study'), datasetId, settings, Date.now());
  await save(study);
  await drive(study);
}

/** Stops the running step (a training run keeps its last checkpoint) and skips the rest; the report says so. */
export function stopStudy(): void {
  stopRequested = true;
  stepAbort?.abort();
  const t = useLab.getState().training;
  if (t.callId !== null) controlTraining('stop');
}

/** Once the lab worker is ready, resume the newest unfinished study (the page was reloaded or closed). */
export function resumeStudyWhenReady(): void {
  let asked = false;
  let unsubscribe: (() => void) | null = null;
  const check = () => {
    if (asked || useLab.getState().backend.status !== 'ready') return;
    asked = true;
    unsubscribe?.();
    void openLabDb()
      .then(unfinishedStudy)
      .then((s) => (s ? drive(s) : undefined))
      .catch((err: unknown) => useStudy.setState({ error: errorMessage(err) }));
  };
  unsubscribe = useLab.subscribe(check);
  check();
}

/** The newest stored study (shown by the report section after a reload). */
export async function loadLatestStudy(): Promise<void> {
  const [latest] = await listStudies(await openLabDb());
  if (latest && !useStudy.getState().running) useStudy.setState({ study: latest });
}
