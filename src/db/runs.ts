/**
 * Training runs and their checkpoints. A checkpoint and the run record that points at it are written in
 * ONE transaction, so the stored run never claims a checkpoint that is not there (and vice versa).
 */
import { STORES, type CheckpointRecord, type RunRecord, type RunStatus } from './schema';
import { checkpointQuotaFault, quotaError } from './faults';
import type { LabDatabase } from './open';

export async function putRun(db: LabDatabase, run: RunRecord): Promise<void> {
  await db.put(STORES.runs, run);
}

export async function getRun(db: LabDatabase, id: string): Promise<RunRecord | undefined> {
  return db.get(STORES.runs, id);
}

export async function listRuns(db: LabDatabase): Promise<RunRecord[]> {
  const runs = await db.getAll(STORES.runs);
  return runs.sort((a, b) => b.createdAt - a.createdAt);
}

export async function setRunStatus(db: LabDatabase, id: string, status: RunStatus, error?: string): Promise<void> {
  const tx = db.transaction(STORES.runs, 'readwrite');
  const run = await tx.store.get(id);
  if (run) await tx.store.put({ ...run, status, error, updatedAt: Date.now() });
  await tx.done;
}

export async function writeCheckpoint(db: LabDatabase, run: RunRecord, checkpoint: CheckpointRecord): Promise<void> {
  const tx = db.transaction([STORES.runs, STORES.checkpoints], 'readwrite');
  const puts = Promise.all([tx.objectStore(STORES.checkpoints).put(checkpoint), tx.objectStore(STORES.runs).put(run)]);
  if (checkpointQuotaFault(checkpoint.epoch)) {
    // What the browser does when the disk is full: the whole transaction aborts, nothing of it is stored.
    tx.abort();
    await Promise.allSettled([puts, tx.done]);
    throw quotaError(`at the epoch-${checkpoint.epoch} checkpoint`);
  }
  await puts;
  await tx.done;
}

export async function getCheckpoint(db: LabDatabase, runId: string): Promise<CheckpointRecord | undefined> {
  return db.get(STORES.checkpoints, runId);
}

export async function deleteRun(db: LabDatabase, id: string): Promise<void> {
  const tx = db.transaction([STORES.runs, STORES.checkpoints], 'readwrite');
  await Promise.all([tx.objectStore(STORES.runs).delete(id), tx.objectStore(STORES.checkpoints).delete(id)]);
  await tx.done;
}
