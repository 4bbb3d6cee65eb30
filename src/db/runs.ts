/**
 * Training runs and their checkpoints. A checkpoint and the run record that points at it are written in
 * ONE transaction, so the stored run never claims a checkpoint that is not there (and vice versa).
 */
import { STORES, type CheckpointRecord, type RunRecord, type RunStatus } from './schema';
import {
  CHECKPOINT_HOLD_LOCK,
  CHECKPOINT_HOLD_MS,
  checkpointHoldFault,
  checkpointQuotaFault,
  quotaError,
} from './faults';
import { CHECKPOINT_PART_FLOATS, checkpointFloats, joinCheckpoint, splitCheckpoint } from './checkpointParts';
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

export async function writeCheckpoint(
  db: LabDatabase,
  run: RunRecord,
  checkpoint: CheckpointRecord,
  partFloats = CHECKPOINT_PART_FLOATS,
): Promise<void> {
  const tx = db.transaction([STORES.runs, STORES.checkpoints, STORES.checkpointParts], 'readwrite');
  const parts = tx.objectStore(STORES.checkpointParts);
  // The previous checkpoint's parts go in the same transaction, so none of them outlives it or mixes with these.
  const writes: Array<Promise<unknown>> = [parts.delete(partsOf(checkpoint.runId))];
  const head =
    checkpointFloats(checkpoint) > partFloats
      ? splitCheckpoint(checkpoint, (part) => writes.push(parts.put(part)), partFloats)
      : checkpoint;
  writes.push(tx.objectStore(STORES.checkpoints).put(head), tx.objectStore(STORES.runs).put(run));
  const puts = Promise.all(writes);
  if (checkpointQuotaFault(checkpoint.epoch)) {
    // What the browser does when the disk is full: the whole transaction aborts, nothing of it is stored.
    tx.abort();
    await Promise.allSettled([puts, tx.done]);
    throw quotaError(`at the epoch-${checkpoint.epoch} checkpoint`);
  }
  await puts;
  if (checkpointHoldFault(checkpoint.epoch)) await holdOpen(tx);
  await tx.done;
}

/** Every part of a run's checkpoint (keys [runId, 0…]). */
export function partsOf(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId, 0], [runId, Infinity]);
}

/**
 * Fault `checkpoint-hold` (tests only): keeps `tx` open with its puts done but not committed, for up to
 * CHECKPOINT_HOLD_MS, holding the Web Lock CHECKPOINT_HOLD_LOCK meanwhile so a test knows when to kill the page.
 * Each read is issued from the previous one's success, so the transaction never runs out of requests and
 * cannot auto-commit; an `await` on anything else here would let it commit.
 */
async function holdOpen(tx: { objectStore(name: typeof STORES.runs): { count(): Promise<number> } }): Promise<void> {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const locks = (
    globalThis.navigator as unknown as
      { locks?: { request(name: string, f: () => Promise<void>): Promise<void> } } | undefined
  )?.locks;
  void locks?.request(CHECKPOINT_HOLD_LOCK, () => held);
  try {
    for (const until = Date.now() + CHECKPOINT_HOLD_MS; Date.now() < until;) await tx.objectStore(STORES.runs).count();
  } finally {
    release();
  }
}

/** A run's checkpoint with all its floats, read in one transaction (head and parts of the same write). */
export async function getCheckpoint(db: LabDatabase, runId: string): Promise<CheckpointRecord | undefined> {
  const tx = db.transaction([STORES.checkpoints, STORES.checkpointParts]);
  const head = await tx.objectStore(STORES.checkpoints).get(runId);
  const parts = tx.objectStore(STORES.checkpointParts);
  const checkpoint = head && (await joinCheckpoint(head, (index) => parts.get([runId, index])));
  await tx.done;
  return checkpoint;
}

export async function deleteRun(db: LabDatabase, id: string): Promise<void> {
  const tx = db.transaction([STORES.runs, STORES.checkpoints, STORES.checkpointParts], 'readwrite');
  await Promise.all([
    tx.objectStore(STORES.runs).delete(id),
    tx.objectStore(STORES.checkpoints).delete(id),
    tx.objectStore(STORES.checkpointParts).delete(partsOf(id)),
  ]);
  await tx.done;
}
