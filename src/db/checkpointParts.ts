/**
 * Large checkpoints in parts. Chromium refuses a single IndexedDB value over ≈ 128 MB: the put ends its
 * transaction ("Failed to execute 'objectStore' on 'IDBTransaction': The transaction has finished"; measured
 * in Chromium 156: 100 MB stored, 130 MB refused). A VGG16 checkpoint with Adam's two moments is 189 MB and the
 * paper model's 775 MB, so every VGG16/VGG19/paper run failed at its first checkpoint. A checkpoint over
 * CHECKPOINT_PART_FLOATS floats is therefore written as a head record (tensor names and shapes, no floats) plus
 * parts of at most that many floats, all in the checkpoint's one transaction; small ones stay inline as before
 * (and checkpoints written before schema v4 read as they are). DOM-free: runs in the lab worker and in Node.
 */
import type { CheckpointPartRecord, CheckpointRecord, StoredTensor } from './schema';

/** 4 M floats = 16 MB a part: far under the limit, and one part is all the extra memory a write or read needs. */
export const CHECKPOINT_PART_FLOATS = 4 * 1024 * 1024;

const floatsOf = (t: StoredTensor) => t.shape.reduce((a, b) => a * b, 1);

export function checkpointFloats(c: CheckpointRecord): number {
  return [...c.weights, ...c.optimizer].reduce((n, t) => n + t.data.length, 0);
}

/**
 * Splits a checkpoint into its head and parts, calling `put` for each part as soon as it is filled (so at most
 * one part's copy is alive at a time: IndexedDB clones a value when it is put). Returns the head.
 */
export function splitCheckpoint(
  c: CheckpointRecord,
  put: (part: CheckpointPartRecord) => void,
  partFloats = CHECKPOINT_PART_FLOATS,
): CheckpointRecord {
  const total = checkpointFloats(c);
  const count = Math.ceil(total / partFloats);
  let index = 0;
  let part = new Float32Array(Math.min(partFloats, total));
  let filled = 0;
  for (const t of [...c.weights, ...c.optimizer]) {
    for (let from = 0; from < t.data.length;) {
      const n = Math.min(t.data.length - from, part.length - filled);
      part.set(t.data.subarray(from, from + n), filled);
      filled += n;
      from += n;
      if (filled === part.length) {
        put({ runId: c.runId, index, data: part });
        index++;
        filled = 0;
        if (index < count) part = new Float32Array(Math.min(partFloats, total - index * partFloats));
      }
    }
  }
  const empty = (t: StoredTensor): StoredTensor => ({ name: t.name, shape: t.shape, data: new Float32Array(0) });
  return { ...c, weights: c.weights.map(empty), optimizer: c.optimizer.map(empty), parts: count };
}

/**
 * The checkpoint with its floats back in its tensors, reading parts in order through `get` (which must fail,
 * not return undefined, for a missing part).
 */
export async function joinCheckpoint(
  head: CheckpointRecord,
  get: (index: number) => Promise<CheckpointPartRecord | undefined>,
): Promise<CheckpointRecord> {
  if (!head.parts) return head;
  const fill = (t: StoredTensor): StoredTensor => ({
    name: t.name,
    shape: t.shape,
    data: new Float32Array(floatsOf(t)),
  });
  const weights = head.weights.map(fill);
  const optimizer = head.optimizer.map(fill);
  const tensors = [...weights, ...optimizer];
  let k = 0; // tensor being filled
  let at = 0; // floats of it filled
  while (k < tensors.length && tensors[k].data.length === 0) k++;
  for (let index = 0; index < head.parts; index++) {
    const part = await get(index);
    if (!part) throw new Error(`checkpoint of run ${head.runId} is missing part ${index + 1} of ${head.parts}`);
    for (let from = 0; from < part.data.length;) {
      if (k >= tensors.length) throw new Error(`checkpoint of run ${head.runId} has more floats than its tensors hold`);
      const n = Math.min(part.data.length - from, tensors[k].data.length - at);
      tensors[k].data.set(part.data.subarray(from, from + n), at);
      from += n;
      at += n;
      if (at === tensors[k].data.length) {
        k++;
        at = 0;
        while (k < tensors.length && tensors[k].data.length === 0) k++;
      }
    }
  }
  if (k < tensors.length) throw new Error(`checkpoint of run ${head.runId} has fewer floats than its tensors hold`);
  const whole: CheckpointRecord = { ...head, weights, optimizer };
  delete whole.parts;
  return whole;
}
