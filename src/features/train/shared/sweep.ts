/**
 * Hyperparameter sweep planning (paper §4: dropout 0.2–0.4, batch 32–256, learning rate 1e-5 to 1e-7): which
 * trials to run, what to do next after a reload, and which trial is best. Pure and thread-neutral: the store
 * runs the trials (store/sweep.ts), IndexedDB keeps the record (db/sweeps.ts), the unit tests check these rules.
 */
import { Rng, detLog } from '../../../shared/synthetic/rng';

/** The three settings a sweep varies; everything else comes from the Train form when the sweep starts. */
export interface TrialParams {
  dropout: number;
  batchSize: number;
  learningRate: number;
}

export interface Range {
  min: number;
  max: number;
}

export type SweepSpec =
  | { mode: 'grid'; dropouts: number[]; batchSizes: number[]; learningRates: number[] }
  | { mode: 'random'; dropout: Range; batchSize: Range; learningRate: Range; seed: number };

/** The values the paper "initially considered" (§4.2): 5 × 4 × 3 = 60 combinations. */
export const PAPER_GRID: Extract<SweepSpec, { mode: 'grid' }> = {
  mode: 'grid',
  dropouts: [0.2, 0.25, 0.3, 0.35, 0.4],
  batchSizes: [32, 64, 128, 256],
  learningRates: [1e-5, 1e-6, 1e-7],
};

/** The paper's ranges for a random search. */
export const PAPER_RANGES = {
  dropout: { min: 0.2, max: 0.4 },
  batchSize: { min: 32, max: 256 },
  learningRate: { min: 1e-7, max: 1e-5 },
};

/**
 * The trials a sweep runs, in order, at most `maxTrials`. Grid: every combination of the chosen values, in
 * the order dropout, then batch size, then learning rate varies slowest-to-fastest (the first `maxTrials` of
 * them). Random: `maxTrials` draws from a seeded generator (same seed, same trials): dropout uniform (rounded
 * to 0.01), batch size one of the powers of two in range (uniform; a rounded log-uniform integer when the range
 * holds none), learning rate log-uniform (rounded to 3 significant digits), each kept inside its range.
 */
export function planTrials(spec: SweepSpec, maxTrials: number): TrialParams[] {
  const limit = Math.max(0, Math.floor(maxTrials));
  if (spec.mode === 'grid') {
    const out: TrialParams[] = [];
    for (const dropout of spec.dropouts)
      for (const batchSize of spec.batchSizes)
        for (const learningRate of spec.learningRates) {
          if (out.length >= limit) return out;
          out.push({ dropout, batchSize, learningRate });
        }
    return out;
  }
  const rng = new Rng(spec.seed);
  const out: TrialParams[] = [];
  for (let i = 0; i < limit; i++) {
    out.push({
      dropout: drawDropout(rng, spec.dropout),
      batchSize: drawBatch(rng, spec.batchSize),
      learningRate: drawLearningRate(rng, spec.learningRate),
    });
  }
  return out;
}

const clamp = (v: number, r: Range) => Math.min(r.max, Math.max(r.min, v));

function drawDropout(rng: Rng, r: Range): number {
  return clamp(Math.round(rng.range(r.min, r.max) * 100) / 100, r);
}

function drawBatch(rng: Rng, r: Range): number {
  const powers: number[] = [];
  for (let p = 1; p <= r.max; p *= 2) if (p >= r.min) powers.push(p);
  if (powers.length > 0) return powers[rng.int(0, powers.length - 1)];
  return clamp(Math.round(Math.exp(rng.range(detLog(r.min), detLog(r.max)))), {
    min: Math.ceil(r.min),
    max: Math.floor(r.max),
  });
}

function drawLearningRate(rng: Rng, r: Range): number {
  // Log-uniform: 1e-7 to 1e-5 spans two decades, and a uniform draw would land in the top one 90 % of the time.
  const v = Math.exp(rng.range(detLog(r.min), detLog(r.max)));
  return clamp(Number(v.toPrecision(3)), r);
}

/** Why a grid or range is refused, for the page; null when it can run. */
export function specProblem(spec: SweepSpec, maxTrials: number): string | null {
  const bad = (name: string, values: number[], ok: (v: number) => boolean) =>
    values.length === 0
      ? `${name}: give at least one value.`
      : values.some((v) => !Number.isFinite(v) || !ok(v))
        ? `${name}: ${values.join(', ')} is out of range.`
        : null;
  if (!(maxTrials >= 1)) return 'Trial budget: at least 1 trial.';
  if (spec.mode === 'grid') {
    return (
      bad('Dropout', spec.dropouts, (v) => v >= 0 && v < 1) ??
      bad('Batch size', spec.batchSizes, (v) => Number.isInteger(v) && v >= 1) ??
      bad('Learning rate', spec.learningRates, (v) => v > 0)
    );
  }
  const range = (name: string, r: Range, ok: (v: number) => boolean) =>
    !Number.isFinite(r.min) || !Number.isFinite(r.max) || r.min > r.max || !ok(r.min) || !ok(r.max)
      ? `${name}: ${r.min} to ${r.max} is not a valid range.`
      : null;
  return (
    range('Dropout', spec.dropout, (v) => v >= 0 && v < 1) ??
    range('Batch size', spec.batchSize, (v) => v >= 1 && Number.isInteger(v)) ??
    range('Learning rate', spec.learningRate, (v) => v > 0)
  );
}

/** Parses "0.2, 0.3 0.4" (commas or spaces) into numbers; NaN for anything that is not one. */
export function parseValues(text: string): number[] {
  return text
    .split(/[\s,;]+/)
    .filter((t) => t.length > 0)
    .map(Number);
}

/**
 * A trial's state. `stopped`: its run was stopped (Cancel) or cut off before completing, and resumes from its
 * checkpoint. `failed`: its run ended in an error, or never started.
 */
export type TrialStatus = 'waiting' | 'running' | 'stopped' | 'done' | 'failed';

export interface SweepTrial {
  params: TrialParams;
  runId: string | null;
  status: TrialStatus;
  error?: string;
}

/** What a trial's stored run says (RunRecord's status and epochs), as far as the planner needs it. */
export interface TrialRunState {
  status: 'running' | 'paused' | 'completed' | 'stopped' | 'interrupted' | 'failed';
  error?: string;
}

/**
 * Brings the trials up to date with their stored runs after a reload or a Cancel: a completed run makes its
 * trial done (it may have completed after the sweep's last write), a failed run failed, and a run cut off or
 * stopped part-way makes the trial `stopped` (resume it). A trial marked running whose run was never created, or
 * was deleted, goes back to waiting (start it afresh).
 */
export function reconcileTrials(
  trials: SweepTrial[],
  runOf: (runId: string) => TrialRunState | undefined,
): SweepTrial[] {
  return trials.map((t) => {
    if (t.status === 'done' || t.status === 'failed' || t.status === 'waiting') return t;
    const run = t.runId ? runOf(t.runId) : undefined;
    if (!run) return { ...t, runId: null, status: 'waiting' };
    if (run.status === 'completed') return { ...t, status: 'done' };
    if (run.status === 'failed') return { ...t, status: 'failed', error: run.error ?? t.error };
    return { ...t, status: 'stopped' };
  });
}

export type SweepNext =
  | { kind: 'resume'; trial: number; runId: string }
  | { kind: 'start'; trial: number }
  | { kind: 'budget'; notStarted: number }
  | { kind: 'finished' };

/**
 * The next thing a (reconciled) sweep does. A trial already begun (stopped, or still marked running) is
 * resumed from its checkpoint first, whatever the time: the budget stops only the starting of new trials.
 * Then the first waiting trial starts, unless `spentMs` has reached `budgetMs` (then the rest are left unstarted
 * and the page says so). Done and failed trials are never run again.
 */
export function nextTrial(trials: SweepTrial[], spentMs: number, budgetMs: number): SweepNext {
  const begun = trials.findIndex((t) => (t.status === 'stopped' || t.status === 'running') && t.runId !== null);
  if (begun >= 0) return { kind: 'resume', trial: begun, runId: trials[begun].runId! };
  const waiting = trials.findIndex((t) => t.status === 'waiting' || (t.status === 'running' && t.runId === null));
  if (waiting < 0) return { kind: 'finished' };
  if (spentMs >= budgetMs)
    return {
      kind: 'budget',
      notStarted: trials.filter((t) => t.status === 'waiting' || (t.status === 'running' && t.runId === null)).length,
    };
  return { kind: 'start', trial: waiting };
}

/**
 * The best trial: the highest best-epoch test accuracy among done trials. Ties go to the earlier trial (the
 * order the sweep ran them), so the same results always name the same best. -1 when no trial is done.
 */
export function bestTrial(trials: SweepTrial[], bestAccuracyOf: (trial: SweepTrial) => number | null): number {
  let best = -1;
  let bestAcc = -Infinity;
  trials.forEach((t, i) => {
    if (t.status !== 'done') return;
    const acc = bestAccuracyOf(t);
    if (acc !== null && Number.isFinite(acc) && acc > bestAcc) {
      best = i;
      bestAcc = acc;
    }
  });
  return best;
}
