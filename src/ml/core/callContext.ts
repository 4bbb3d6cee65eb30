/**
 * What every lab-worker handler gets and shares: its call's context (abort signal, progress, cleanups), the
 * backend chosen once by `init`, and `withRun`, the one prelude for "this run's model and its dataset" that the
 * capabilities' handlers (src/features/<capability>/worker/handlers.ts) start from.
 */
import type { DatasetRecord, SplitRecord } from '../../db/schema';
import { getDataset, getSplit, readImages } from '../../db/datasets';
import { openLabDb, type LabDatabase } from '../../db/open';
import type { BackendInfo } from '../../shared/protocol';
import { acquireRunModel, type RunModel } from '../modelCache';

export interface CallContext<Progress> {
  id: number;
  signal: AbortSignal;
  progress: (data: Progress) => void;
  /** Runs `cleanup` when the call ends, however it ends (releases of cached models). */
  defer: (cleanup: () => void) => void;
}

/** One handler per call of `Api`, each given its call's context typed by the call's progress in `Progress`. */
export type HandlersOf<Api, Progress> = {
  [M in keyof Api]: Api[M] extends (args: infer A) => infer R
    ? (args: A, ctx: CallContext<M extends keyof Progress ? Progress[M] : never>) => R
    : never;
};

let backend: BackendInfo | null = null;
// Calls that arrive before `init` (a page opened straight on #/fool asks for faces at once) wait for it.
let backendChosen: (info: BackendInfo) => void = () => {};
const backendReady = new Promise<BackendInfo>((resolve) => (backendChosen = resolve));

/** The backend `init` (or a backend probe) started; every later call runs on it. */
export function setBackend(info: BackendInfo): void {
  backend = info;
  backendChosen(info);
}

export function currentBackend(): BackendInfo | null {
  return backend;
}

/** Waits for `init` to have chosen the backend. */
export async function requireBackend(): Promise<BackendInfo> {
  return backend ?? backendReady;
}

/** The backend is up and the database open: the start of every call that touches stored data. */
export async function withLab(): Promise<LabDatabase> {
  await requireBackend();
  return openLabDb();
}

/** The run's cached model, lent to this call until it ends (released by the call's cleanups). */
export async function withRunModel(
  ctx: Pick<CallContext<unknown>, 'defer'>,
  runId: string,
): Promise<{ db: LabDatabase; model: RunModel['model']; datasetId: string }> {
  const db = await withLab();
  const lease = await acquireRunModel(db, runId);
  ctx.defer(lease.release);
  return { db, model: lease.model, datasetId: lease.datasetId };
}

export interface RunAt {
  db: LabDatabase;
  model: RunModel['model'];
  datasetId: string;
  dataset: DatasetRecord;
  split: SplitRecord;
}

/**
 * The run's cached model and its dataset and split, lent to this call until it ends: calls run concurrently, and a
 * model another call replaces in the cache is disposed only once no call uses it (src/ml/modelCache.ts).
 */
export async function withRun(ctx: Pick<CallContext<unknown>, 'defer'>, runId: string): Promise<RunAt> {
  const { db, model, datasetId } = await withRunModel(ctx, runId);
  const dataset = await getDataset(db, datasetId);
  const split = await getSplit(db, datasetId);
  if (!dataset || !split) throw new Error('The dataset of this run was deleted.');
  return { db, model, datasetId, dataset, split };
}

/** A run's model and one image of its dataset, the index clamped to the dataset. */
export async function withRunImage(ctx: Pick<CallContext<unknown>, 'defer'>, runId: string, imageIndex: number) {
  const { db, model, datasetId } = await withRunModel(ctx, runId);
  const dataset = await getDataset(db, datasetId);
  if (!dataset) throw new Error('The dataset of this run was deleted.');
  const index = Math.max(0, Math.min(dataset.count - 1, Math.floor(imageIndex)));
  const { pixels, labels } = await readImages(db, datasetId, [index]);
  return { model, pixels, label: labels[0], classNames: dataset.classNames };
}
