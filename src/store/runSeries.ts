/**
 * A series of normal training runs, one after another (each through startTraining: checkpointed, stored,
 * listed in Runs), reporting each one's epochs and outcome as it goes. Used by "Compare architectures" and the
 * hyperparameter sweep; what to run next is the caller's decision, asked before each run.
 */
import type { EpochMetric } from '../features/train/shared/protocol';
import type { TrainingConfig } from '../shared/trainingConfig';
import { startTraining } from './actions';
import { useLab } from './labStore';

/** One run of the series: a new run of `config`, or `resumeRunId` continued from its checkpoint. */
export interface SeriesItem<K> {
  key: K;
  config?: TrainingConfig;
  resumeRunId?: string;
}

export interface SeriesProgress {
  runId: string | null;
  /** The run's epoch metrics so far (a resumed run's history up to its checkpoint included). */
  epochs: EpochMetric[];
  status: 'running' | 'done' | 'failed';
  error?: string;
}

/**
 * Runs `next()`'s items until it returns null. `onProgress` hears each item start (running), each epoch, and its
 * end: `done` when the run returned without an error (completed, or stopped by the user), `failed` otherwise.
 * A run that never started (no run id: no dataset, a worker that failed to build the model…) ends the series.
 */
export async function runSeries<K>(
  next: () => SeriesItem<K> | null | Promise<SeriesItem<K> | null>,
  onProgress: (key: K, progress: SeriesProgress) => void | Promise<void>,
): Promise<void> {
  const earlier = new Set<string>();
  for (let item = await next(); item; item = await next()) {
    const key = item.key;
    let current: SeriesProgress = { runId: item.resumeRunId ?? null, epochs: [], status: 'running' };
    await onProgress(key, current);
    // Until this item's run has started, the training state still shows the previous item's run: skip it.
    const unsubscribe = useLab.subscribe((s) => {
      if (!s.training.runId || earlier.has(s.training.runId)) return;
      if (s.training.epochs !== current.epochs) {
        current = { ...current, epochs: s.training.epochs, runId: s.training.runId };
        void onProgress(key, current);
      }
    });
    const runId = await startTraining(item.resumeRunId, item.config);
    unsubscribe();
    if (runId) earlier.add(runId);
    const error = useLab.getState().training.error;
    current = { ...current, status: runId && !error ? 'done' : 'failed', runId, error: error ?? undefined };
    await onProgress(key, current);
    if (useLab.getState().training.status === 'idle' && !runId) break;
  }
}
