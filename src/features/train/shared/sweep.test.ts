import { describe, expect, it } from 'vitest';
import {
  PAPER_GRID,
  PAPER_RANGES,
  bestTrial,
  nextTrial,
  parseValues,
  planTrials,
  reconcileTrials,
  specProblem,
  type SweepTrial,
  type TrialRunState,
} from './sweep';

const trial = (status: SweepTrial['status'], runId: string | null = null, lr = 1e-3): SweepTrial => ({
  params: { dropout: 0.3, batchSize: 32, learningRate: lr },
  runId,
  status,
});

describe('planTrials: grid', () => {
  it('enumerates exactly the chosen values, every combination once, in order', () => {
    const trials = planTrials(
      { mode: 'grid', dropouts: [0.2, 0.4], batchSizes: [32, 128], learningRates: [1e-5, 1e-7] },
      100,
    );
    expect(trials).toEqual([
      { dropout: 0.2, batchSize: 32, learningRate: 1e-5 },
      { dropout: 0.2, batchSize: 32, learningRate: 1e-7 },
      { dropout: 0.2, batchSize: 128, learningRate: 1e-5 },
      { dropout: 0.2, batchSize: 128, learningRate: 1e-7 },
      { dropout: 0.4, batchSize: 32, learningRate: 1e-5 },
      { dropout: 0.4, batchSize: 32, learningRate: 1e-7 },
      { dropout: 0.4, batchSize: 128, learningRate: 1e-5 },
      { dropout: 0.4, batchSize: 128, learningRate: 1e-7 },
    ]);
  });

  it("the paper's grid is its 5 × 4 × 3 values; a trial budget keeps the first N", () => {
    const all = planTrials(PAPER_GRID, 1000);
    expect(all).toHaveLength(60);
    expect(new Set(all.map((t) => t.dropout))).toEqual(new Set([0.2, 0.25, 0.3, 0.35, 0.4]));
    expect(new Set(all.map((t) => t.batchSize))).toEqual(new Set([32, 64, 128, 256]));
    expect(new Set(all.map((t) => t.learningRate))).toEqual(new Set([1e-5, 1e-6, 1e-7]));
    expect(new Set(all.map((t) => JSON.stringify(t))).size).toBe(60);
    expect(planTrials(PAPER_GRID, 7)).toEqual(all.slice(0, 7));
  });
});

describe('planTrials: random', () => {
  const spec = { mode: 'random' as const, ...PAPER_RANGES, seed: 7 };

  it('is seeded: the same seed gives the same trials, another seed others', () => {
    expect(planTrials(spec, 20)).toEqual(planTrials(spec, 20));
    expect(planTrials({ ...spec, seed: 8 }, 20)).not.toEqual(planTrials(spec, 20));
    expect(planTrials(spec, 5)).toEqual(planTrials(spec, 20).slice(0, 5));
  });

  it('draws every value inside its range; batch sizes are the powers of two in range', () => {
    const trials = planTrials(spec, 500);
    expect(trials).toHaveLength(500);
    for (const t of trials) {
      expect(t.dropout).toBeGreaterThanOrEqual(0.2);
      expect(t.dropout).toBeLessThanOrEqual(0.4);
      expect(t.learningRate).toBeGreaterThanOrEqual(1e-7);
      expect(t.learningRate).toBeLessThanOrEqual(1e-5);
    }
    expect(new Set(trials.map((t) => t.batchSize))).toEqual(new Set([32, 64, 128, 256]));
    const odd = planTrials({ ...spec, batchSize: { min: 33, max: 60 } }, 200);
    for (const t of odd) expect(t.batchSize >= 33 && t.batchSize <= 60 && Number.isInteger(t.batchSize)).toBe(true);
  });

  it('draws the learning rate log-uniformly: about half below the geometric middle (1e-6), a third per third of the decades', () => {
    const lrs = planTrials(spec, 3000).map((t) => Math.log10(t.learningRate));
    const share = (lo: number, hi: number) => lrs.filter((v) => v >= lo && v < hi).length / lrs.length;
    // Uniform on the linear scale would put ≈ 90 % in the top decade.
    expect(share(-7, -6)).toBeGreaterThan(0.45);
    expect(share(-7, -6)).toBeLessThan(0.55);
    for (const [lo, hi] of [
      [-7, -7 + 2 / 3],
      [-7 + 2 / 3, -7 + 4 / 3],
      [-7 + 4 / 3, -5.0001],
    ]) {
      expect(share(lo, hi)).toBeGreaterThan(0.28);
      expect(share(lo, hi)).toBeLessThan(0.39);
    }
  });
});

describe('nextTrial: budget and resume', () => {
  it('starts the first waiting trial while time is left, and stops starting once the budget is spent', () => {
    const trials = [trial('done', 'r1'), trial('waiting'), trial('waiting')];
    expect(nextTrial(trials, 5_000, 10_000)).toEqual({ kind: 'start', trial: 1 });
    expect(nextTrial(trials, 10_000, 10_000)).toEqual({ kind: 'budget', notStarted: 2 });
    expect(nextTrial(trials, 12_000, 10_000)).toEqual({ kind: 'budget', notStarted: 2 });
  });

  it('resumes a begun trial from its run before anything else, even with the budget spent', () => {
    const trials = [trial('done', 'r1'), trial('waiting'), trial('stopped', 'r3'), trial('waiting')];
    expect(nextTrial(trials, 0, 10_000)).toEqual({ kind: 'resume', trial: 2, runId: 'r3' });
    expect(nextTrial(trials, 20_000, 10_000)).toEqual({ kind: 'resume', trial: 2, runId: 'r3' });
  });

  it('is finished when every trial is done or failed', () => {
    expect(nextTrial([trial('done', 'r1'), trial('failed', 'r2')], 0, 10_000)).toEqual({ kind: 'finished' });
  });
});

describe('reconcileTrials after a reload', () => {
  const runs: Record<string, TrialRunState> = {
    r1: { status: 'completed' },
    r2: { status: 'completed' },
    r3: { status: 'running' }, // the tab was reloaded during this run: stored as running, nobody trains it
    r4: { status: 'failed', error: 'out of memory' },
    r5: { status: 'stopped' },
  };
  const runOf = (id: string) => runs[id];

  it('skips done trials, resumes the interrupted one, restarts one whose run never began', () => {
    const before = [
      trial('done', 'r1'),
      trial('running', 'r2'),
      trial('running', 'r3'),
      trial('running', 'r4'),
      trial('stopped', 'r5'),
      trial('running', null),
      trial('running', 'gone'),
      trial('waiting'),
    ];
    const after = reconcileTrials(before, runOf);
    expect(after.map((t) => t.status)).toEqual([
      'done',
      'done',
      'stopped',
      'failed',
      'stopped',
      'waiting',
      'waiting',
      'waiting',
    ]);
    expect(after[3].error).toBe('out of memory');
    expect(after.map((t) => t.runId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', null, null, null]);
    expect(nextTrial(after, 0, Infinity)).toEqual({ kind: 'resume', trial: 2, runId: 'r3' });
    // After r3 and r5 complete, the next start is the first never-begun trial; done ones are never rerun.
    const later = reconcileTrials(after, (id) => (id === 'r3' || id === 'r5' ? { status: 'completed' } : runOf(id)));
    expect(nextTrial(later, 0, Infinity)).toEqual({ kind: 'start', trial: 5 });
  });
});

describe('bestTrial', () => {
  it('is the done trial with the highest test accuracy; ties go to the earlier trial', () => {
    const trials = [
      trial('done', 'a'),
      trial('done', 'b'),
      trial('failed', 'c'),
      trial('done', 'd'),
      trial('stopped', 'e'),
    ];
    const acc: Record<string, number> = { a: 0.6, b: 0.75, c: 0.99, d: 0.75, e: 0.9 };
    expect(bestTrial(trials, (t) => acc[t.runId!])).toBe(1);
    expect(bestTrial(trials, (t) => (t.runId === 'd' ? 0.8 : acc[t.runId!]))).toBe(3);
    expect(bestTrial([trial('waiting'), trial('failed', 'x')], () => 1)).toBe(-1);
    expect(bestTrial([trial('done', 'a'), trial('done', 'b')], (t) => (t.runId === 'a' ? null : 0.5))).toBe(1);
  });
});

describe('input', () => {
  it('parses lists and refuses values out of range', () => {
    expect(parseValues('0.2, 0.3  0.4;1e-7')).toEqual([0.2, 0.3, 0.4, 1e-7]);
    expect(parseValues('0.2, x')[1]).toBeNaN();
    expect(specProblem(PAPER_GRID, 3)).toBeNull();
    expect(specProblem({ ...PAPER_GRID, dropouts: [0.2, 1.5] }, 3)).toMatch(/Dropout/);
    expect(specProblem({ ...PAPER_GRID, learningRates: [] }, 3)).toMatch(/Learning rate: give at least one/);
    expect(specProblem({ ...PAPER_GRID, batchSizes: [NaN] }, 3)).toMatch(/Batch size/);
    expect(specProblem(PAPER_GRID, 0)).toMatch(/Trial budget/);
    expect(
      specProblem({ mode: 'random', ...PAPER_RANGES, learningRate: { min: 1e-5, max: 1e-7 }, seed: 1 }, 3),
    ).toMatch(/Learning rate/);
  });
});
