/**
 * The hyperparameter sweep as it runs in this tab: trials planned by shared/sweep.ts, each a normal training run
 * through runSeries (checkpointed, listed in Runs), the sweep record rewritten in IndexedDB at every trial start,
 * epoch and end so a reload can resume it. Its own small store, apart from labStore: only the Train page's
 * Sweep panel reads it.
 */
import { create } from 'zustand';
import { openLabDb } from '../db/open';
import type { RunRecord, SweepRecord } from '../db/schema';
import { latestSweep, putSweep } from '../db/sweeps';
import { errorMessage } from '../shared/errorMessage';
import { newId } from '../shared/newId';
import { bestTrial, nextTrial, planTrials, reconcileTrials, type SweepSpec } from '../features/train/shared/sweep';
import { plannedConfig, type TrainingConfig } from '../shared/trainingConfig';
import { controlTraining, refreshLists, setConfig } from './actions';
import { useLab } from './labStore';
import { runSeries } from './runSeries';

export interface SweepState {
  /** The latest sweep (this tab's, or one found in IndexedDB after a reload). */
  record: SweepRecord | null;
  /** True while this tab runs it; a stored `running` sweep that is not running here was cut off. */
  running: boolean;
  error: string | null;
}

export const useSweep = create<SweepState>(() => ({ record: null, running: false, error: null }));

let cancelRequested = false;

/** Shows the latest stored sweep (on the panel's first render, e.g. after a reload). */
export async function loadLatestSweep(): Promise<void> {
  if (useSweep.getState().running) return;
  const record = await latestSweep(await openLabDb());
  useSweep.setState({ record: record ?? null });
}

export async function startSweep(opts: {
  spec: SweepSpec;
  maxTrials: number;
  budgetMs: number;
  base: TrainingConfig;
  datasetId: string;
  trainCount: number | null;
}): Promise<void> {
  const now = Date.now();
  const record: SweepRecord = {
    id: newId('sweep'),
    datasetId: opts.datasetId,
    createdAt: now,
    updatedAt: now,
    base: opts.base,
    spec: opts.spec,
    maxTrials: opts.maxTrials,
    budgetMs: opts.budgetMs,
    spentMs: 0,
    trials: planTrials(opts.spec, opts.maxTrials).map((params) => ({ params, runId: null, status: 'waiting' })),
    status: 'running',
  };
  await runSweep(record, opts.trainCount);
}

/** Continues the latest sweep: the trial cut off or stopped resumes from its checkpoint, then the rest, under `budgetMs`. */
export async function resumeSweep(budgetMs: number, trainCount: number | null): Promise<void> {
  const record = useSweep.getState().record;
  if (!record) return;
  await runSweep({ ...record, budgetMs, status: 'running' }, trainCount);
}

/** Stops the trial under way (its run keeps its checkpoint: Resume continues it) and starts no more. */
export function cancelSweep(): void {
  cancelRequested = true;
  const status = useLab.getState().training.status;
  if (status === 'running' || status === 'paused') controlTraining('stop');
}

const runState = (runs: RunRecord[]) => (id: string) => runs.find((r) => r.id === id);

/** A run's best test accuracy over its epochs (what the sweep ranks by); null before its first epoch. */
export function bestAccuracy(run: RunRecord | undefined): number | null {
  return run && run.epochs.length > 0 ? Math.max(...run.epochs.map((m) => m.testAccuracy)) : null;
}

/** The best done trial of a sweep and its stored run (shared/sweep.ts: ties go to the earlier trial). */
export function bestOf(record: SweepRecord, runs: RunRecord[]): { index: number; run: RunRecord } | null {
  const find = runState(runs);
  const index = bestTrial(record.trials, (t) => (t.runId ? bestAccuracy(find(t.runId)) : null));
  const run = index >= 0 ? find(record.trials[index].runId!) : undefined;
  return run ? { index, run } : null;
}

/** "Use the best": the Train form gets the best trial's dropout, batch size and learning rate, as its run used them. */
export function applyBestTrial(): void {
  const record = useSweep.getState().record;
  const best = record && bestOf(record, useLab.getState().runs);
  if (!best) return;
  const { dropout, batchSize, learningRate } = best.run.config;
  setConfig({ dropout, batchSize, learningRate });
}

async function runSweep(initial: SweepRecord, trainCount: number | null): Promise<void> {
  if (useSweep.getState().running) return;
  cancelRequested = false;
  let record = initial;
  const db = await openLabDb();
  const save = async (patch: Partial<SweepRecord>) => {
    record = { ...record, ...patch, updatedAt: Date.now() };
    useSweep.setState({ record });
    await putSweep(db, record);
  };
  useSweep.setState({ running: true, error: null, record });
  let trialStart = 0;
  let spentBefore = record.spentMs;
  try {
    await refreshLists();
    // New trials train on the sweep's dataset, whichever the page has selected since.
    if (useLab.getState().datasets.some((d) => d.id === record.datasetId))
      useLab.setState({ selectedDatasetId: record.datasetId });
    await save({});
    await runSeries<number>(
      async () => {
        if (cancelRequested) return null;
        const trials = reconcileTrials(record.trials, runState(useLab.getState().runs));
        const next = nextTrial(trials, record.spentMs, record.budgetMs);
        if (next.kind === 'finished' || next.kind === 'budget') {
          await save({ trials, status: next.kind === 'finished' ? 'finished' : 'budget' });
          return null;
        }
        trials[next.trial] = { ...trials[next.trial], status: 'running' };
        await save({ trials });
        trialStart = performance.now();
        spentBefore = record.spentMs;
        if (next.kind === 'resume') return { key: next.trial, resumeRunId: next.runId };
        const config = { ...record.base, ...trials[next.trial].params };
        return { key: next.trial, config: trainCount ? plannedConfig(config, trainCount) : config };
      },
      async (i, p) => {
        const trials = [...record.trials];
        const trial = { ...trials[i], runId: p.runId ?? trials[i].runId };
        if (p.status === 'running') trial.status = 'running';
        else if (p.status === 'failed') Object.assign(trial, { status: 'failed', error: p.error });
        else {
          // Returned without an error: completed, or stopped (Cancel, or the Stop button) — then the sweep stops too.
          const completed = useLab.getState().runs.find((r) => r.id === trial.runId)?.status === 'completed';
          trial.status = completed ? 'done' : 'stopped';
          if (!completed) cancelRequested = true;
        }
        trials[i] = trial;
        await save({ trials, spentMs: spentBefore + (performance.now() - trialStart) });
      },
    );
    if (record.status === 'running') {
      const failed = record.trials.find((t) => t.status === 'failed');
      await save({ status: cancelRequested ? 'cancelled' : 'failed' });
      if (!cancelRequested && failed)
        useSweep.setState({ error: `A trial could not run: ${failed.error ?? 'no run was started'}` });
    }
  } catch (err) {
    useSweep.setState({ error: errorMessage(err) });
  } finally {
    useSweep.setState({ running: false });
  }
}
