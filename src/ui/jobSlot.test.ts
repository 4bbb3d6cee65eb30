import { describe, expect, it } from 'vitest';
import { jobSlot } from './jobSlot';

/** A worker answer that arrives when the test says so. */
function later<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('jobSlot: the rules of useWorkerJob', () => {
  it('a newer job supersedes the older: the older is aborted and its late answer dropped, the newer one kept', async () => {
    const slot = jobSlot();
    const older = slot.start('older');
    const olderAnswer = later<string>();
    const olderResult = olderAnswer.promise.then(older.keep);
    const newer = slot.start('newer');
    expect(older.signal.aborted).toBe(true);
    expect(newer.signal.aborted).toBe(false);
    olderAnswer.resolve('stale');
    await expect(olderResult).rejects.toMatchObject({ name: 'AbortError' });
    expect(await Promise.resolve('fresh').then(newer.keep)).toBe('fresh');
    expect([older.live(), newer.live()]).toEqual([false, true]);
  });

  it('Cancel aborts the signal but an answer given after it still reaches the task', async () => {
    const slot = jobSlot();
    const turn = slot.start('rows');
    slot.cancel();
    expect(turn.signal.aborted).toBe(true);
    expect(turn.live()).toBe(true);
    expect(await Promise.resolve(['row 1']).then(turn.keep)).toEqual(['row 1']);
  });

  it('leaving the page aborts the job and drops its answer', async () => {
    const slot = jobSlot();
    const turn = slot.start('maps');
    slot.leave();
    expect(turn.signal.aborted).toBe(true);
    await expect(Promise.resolve(1).then(turn.keep)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('a finished job frees the slot; finishing a superseded job leaves the newer one live', () => {
    const slot = jobSlot();
    const first = slot.start('first');
    first.finish();
    expect(first.live()).toBe(false);
    const second = slot.start('second');
    const third = slot.start('third');
    second.finish();
    expect(third.live()).toBe(true);
    expect(third.signal.aborted).toBe(false);
  });
});
