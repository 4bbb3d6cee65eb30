/**
 * The page-side call convention for long worker jobs: `run(label, task)` gives the task an AbortSignal, a
 * `progress` reporter and `call` (a lab-bridge call that passes the signal and feeds {done, total, stage}
 * progress on its own); the hook exposes the progress, the elapsed time, the error text and `cancel()`, and
 * aborts whatever runs when the page unmounts. A task stores its results only after its last call returns,
 * so a cancelled job leaves nothing half-stored. A newer `run` supersedes the one under way: the older is
 * aborted, and an answer that arrives for it anyway (or after the page left) is dropped by `call`, so a slow old
 * result never lands over a newer one. Cancel is different: an answer the worker gives after Cancel (the rows
 * finished so far, say) still reaches the task (those rules: jobSlot.ts, with its
 * test). Pages reach the lab worker through this hook or a store action.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { labBridge, type CallOptions } from '../bridge/labBridge';
import { errorMessage } from '../shared/errorMessage';
import { jobSlot, type JobSlot } from './jobSlot';
import type { LabApi, LabMethod } from '../features/labApi';

export interface JobState {
  label: string;
  done: number;
  total: number;
  stage: string | null;
  startedAt: number;
  /** Cancel was pressed: waiting for the worker to stop. */
  cancelling: boolean;
}

export interface JobContext {
  signal: AbortSignal;
  progress: (done: number, total: number, stage?: string) => void;
  call: <M extends LabMethod>(
    method: M,
    args: Parameters<LabApi[M]>[0],
    opts?: Omit<CallOptions<M>, 'signal'>,
  ) => Promise<Awaited<ReturnType<LabApi[M]>>>;
}

export type JobOutcome = 'done' | 'cancelled' | 'failed';

/** A job runner a page hands to its panels, so their calls share the page's busy flag, error and Cancel. */
export type RunJob = (
  label: string,
  task: (ctx: JobContext) => Promise<void>,
  cancelNote?: string,
) => Promise<JobOutcome>;

export function useWorkerJob() {
  const [job, setJob] = useState<JobState | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** The last job, when it was cancelled: its label and what the cancel left (by default, nothing stored). */
  const [cancelled, setCancelled] = useState<{ label: string; note: string } | null>(null);
  const slot = useRef<JobSlot>(null);
  slot.current ??= jobSlot();

  // Leaving the page stops its job: the worker would otherwise go on computing for nobody.
  useEffect(() => () => slot.current?.leave(), []);

  const run: RunJob = useCallback(async (label, task, cancelNote = 'Nothing was stored.') => {
    const turn = slot.current!.start(label);
    const { live, signal } = turn;
    setError(null);
    setCancelled(null);
    setJob({ label, done: 0, total: 1, stage: null, startedAt: performance.now(), cancelling: false });
    const progress = (done: number, total: number, stage?: string) => {
      if (live()) setJob((j) => j && { ...j, done, total, stage: stage ?? j.stage });
    };
    const ctx: JobContext = {
      signal,
      progress,
      call: (method, args, opts = {}) =>
        labBridge()
          .call(method, args, {
            ...opts,
            signal,
            onProgress: (p) => {
              if (!live()) return;
              opts.onProgress?.(p);
              const q = p as { done?: number; total?: number; stage?: string };
              if (typeof q?.done === 'number' && typeof q.total === 'number') progress(q.done, q.total, q.stage);
            },
          })
          .then(turn.keep),
    };
    try {
      await task(ctx);
      return 'done';
    } catch (err) {
      // The worker answers an abort with an error of its own wording: the signal says what happened.
      if (signal.aborted) {
        if (live()) setCancelled({ label, note: cancelNote });
        return 'cancelled';
      }
      if (live()) setError(errorMessage(err));
      return 'failed';
    } finally {
      if (live()) {
        turn.finish();
        setJob(null);
      }
    }
  }, []);

  const cancel = useCallback(() => {
    slot.current?.cancel();
    setJob((j) => j && { ...j, cancelling: true });
  }, []);

  return { job, busy: job !== null, error, setError, cancelled, run, cancel };
}
