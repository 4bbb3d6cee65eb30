/**
 * Keeps the last run's model loaded in the worker so See and Fool calls do not rebuild a 64 M-param model on
 * every click. Calls run concurrently in the worker (a Fool deep link asks for the gallery and the fooled face
 * at once), so the cache hands out leases instead of bare models:
 * - concurrent requests for the same run and checkpoint share one load (never two models racing to be cached);
 * - a model replaced by another run's (or a newer checkpoint's) is disposed only when the last call holding
 *   it releases its lease — never under a call still predicting with it ("Layer 'conv1' is already disposed").
 * One model is kept once every lease is released.
 */
import type * as tf from '@tensorflow/tfjs';
import type { LabDatabase } from '../db/open';
import { getCheckpoint } from '../db/runs';
import type { TrainingConfig } from '../shared/trainingConfig';
import { loadRunModel } from './core/loadRunModel';

export interface RunModel {
  runId: string;
  model: tf.LayersModel;
  config: TrainingConfig;
  datasetId: string;
}

/** A cached model lent to one call; `release()` (idempotent) when the call no longer uses it. */
export interface RunModelLease extends RunModel {
  release(): void;
}

interface Entry {
  key: string;
  loaded: Promise<RunModel>;
  /** Leases handed out (or being awaited) and not yet released. */
  users: number;
  /** No longer the cached model: disposed when `users` reaches 0. */
  retired: boolean;
  model: tf.LayersModel | null;
}

let current: Entry | null = null;
const loading = new Map<string, Entry>();

function disposeIfUnused(entry: Entry): void {
  if (entry.retired && entry.users === 0 && entry.model) {
    entry.model.dispose();
    entry.model = null;
  }
}

function startLoad(db: LabDatabase, runId: string, key: string): Entry {
  const entry: Entry = { key, users: 0, retired: false, model: null, loaded: null! };
  entry.loaded = loadRunModel(db, runId).then(
    (loaded) => {
      loading.delete(key);
      entry.model = loaded.model;
      const previous = current;
      current = entry;
      if (previous && previous !== entry) {
        previous.retired = true;
        disposeIfUnused(previous);
      }
      return { runId, ...loaded };
    },
    (err: unknown) => {
      loading.delete(key);
      throw err;
    },
  );
  loading.set(key, entry);
  return entry;
}

/** The run's model at its latest checkpoint, loaded once and shared; release the lease when done. */
export async function acquireRunModel(db: LabDatabase, runId: string): Promise<RunModelLease> {
  const cp = await getCheckpoint(db, runId);
  if (!cp) throw new Error('This run has no checkpoint yet: train at least one epoch.');
  const key = `${runId}@${cp.createdAt}`;
  const entry = current?.key === key && current.model ? current : (loading.get(key) ?? startLoad(db, runId, key));
  entry.users++;
  let model: RunModel;
  try {
    model = await entry.loaded;
  } catch (err) {
    entry.users--;
    throw err;
  }
  let released = false;
  return {
    ...model,
    release() {
      if (released) return;
      released = true;
      entry.users--;
      disposeIfUnused(entry);
    },
  };
}
