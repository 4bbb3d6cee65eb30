import { afterEach, describe, expect, it } from 'vitest';
import { deleteDataset } from './datasets';
import { checkpointFloats, joinCheckpoint, splitCheckpoint } from './checkpointParts';
import { closeLabDb, openLabDb } from './open';
import { deleteRun, getCheckpoint, getRun, writeCheckpoint } from './runs';
import { STORES, type CheckpointPartRecord, type CheckpointRecord, type RunRecord } from './schema';

const DB = 'checkpoint-parts-test';
afterEach(async () => {
  await closeLabDb(DB);
  indexedDB.deleteDatabase(DB);
});

/** Tensors of awkward sizes (one larger than a part, one empty, several smaller) with distinct floats. */
function checkpoint(
  runId: string,
  epoch: number,
  shapes: number[][] = [[3, 5], [17], [0], [2, 2, 2], [1]],
): CheckpointRecord {
  let v = epoch * 1000;
  const tensor = (name: string, shape: number[]) => ({
    name,
    shape,
    data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => v++),
  });
  return {
    runId,
    epoch,
    createdAt: 1,
    config: {} as CheckpointRecord['config'],
    weights: shapes.map((s, i) => tensor(`w${i}`, s)),
    optimizer: [tensor('iter', [1]), tensor('m0', [9])],
  };
}

const run = (id: string, epoch: number): RunRecord =>
  ({ id, datasetId: 'ds', epochsDone: epoch, checkpointEpoch: epoch }) as unknown as RunRecord;

describe('checkpoints in parts (Chromium refuses one value over ≈ 128 MB)', () => {
  it('split and join give back every float in every tensor, for any part size', async () => {
    const c = checkpoint('r', 1);
    const total = checkpointFloats(c);
    expect(total).toBe(15 + 17 + 0 + 8 + 1 + 1 + 9);
    for (const size of [1, 2, 7, 16, 50, total - 1]) {
      const parts: CheckpointPartRecord[] = [];
      const head = splitCheckpoint(c, (p) => parts.push({ ...p, data: p.data.slice() }), size);
      expect(head.parts).toBe(Math.ceil(total / size));
      expect(parts.map((p) => p.index)).toEqual([...Array(head.parts).keys()]);
      expect(parts.every((p) => p.data.length <= size)).toBe(true);
      expect(head.weights.every((t) => t.data.length === 0)).toBe(true);
      expect(await joinCheckpoint(head, async (i) => parts[i])).toEqual(c);
    }
  });

  it('a missing part is an error that says which, not zeros', async () => {
    const parts: CheckpointPartRecord[] = [];
    const head = splitCheckpoint(checkpoint('r', 1), (p) => parts.push(p), 10);
    await expect(joinCheckpoint(head, async (i) => (i === 2 ? undefined : parts[i]))).rejects.toThrow(
      'missing part 3 of 6',
    );
  });

  it('stored in parts with its run record in one transaction, read back whole; a small one stays inline and the old parts go', async () => {
    const db = await openLabDb(DB);
    const big = checkpoint('r1', 1);
    await writeCheckpoint(db, run('r1', 1), big, 8);
    expect((await db.get(STORES.checkpoints, 'r1'))!.parts).toBe(Math.ceil(checkpointFloats(big) / 8));
    expect(await db.count(STORES.checkpointParts)).toBe(7);
    expect(await getCheckpoint(db, 'r1')).toEqual(big);
    expect((await getRun(db, 'r1'))!.checkpointEpoch).toBe(1);

    // The next epoch's checkpoint replaces every part (fewer of them here); then an inline one leaves none.
    const next = checkpoint('r1', 2);
    await writeCheckpoint(db, run('r1', 2), next, 20);
    expect(await db.count(STORES.checkpointParts)).toBe(3);
    expect(await getCheckpoint(db, 'r1')).toEqual(next);
    const third = checkpoint('r1', 3);
    await writeCheckpoint(db, run('r1', 3), third);
    expect(await db.count(STORES.checkpointParts)).toBe(0);
    expect(await getCheckpoint(db, 'r1')).toEqual(third);
  });

  it('deleting a run or its dataset deletes its parts, and only its parts', async () => {
    const db = await openLabDb(DB);
    await writeCheckpoint(db, run('a', 1), checkpoint('a', 1), 8);
    await writeCheckpoint(db, run('b', 1), checkpoint('b', 1), 8);
    await deleteRun(db, 'a');
    expect(await db.count(STORES.checkpointParts)).toBe(7);
    expect(await getCheckpoint(db, 'a')).toBeUndefined();
    expect(await getCheckpoint(db, 'b')).toEqual(checkpoint('b', 1));
    await deleteDataset(db, 'ds');
    expect(await db.count(STORES.checkpointParts)).toBe(0);
  });
});
