import { describe, expect, it } from 'vitest';
import type { BatchMetric } from './protocol';
import { describeDuration, trainingEta } from './trainingEta';

/** Batches of a run whose steps take `step` ms and whose epoch ends (evaluation, checkpoint) take `end` ms. */
function timeline(epochs: number, perEpoch: number, step: number, end: number, upTo: number): BatchMetric[] {
  const out: BatchMetric[] = [];
  let ms = 0;
  for (let e = 1; e <= epochs; e++) {
    for (let b = 1; b <= perEpoch; b++) {
      ms += step + (b === 1 && e > 1 ? end : 0);
      out.push({ epoch: e, batch: b, step: out.length + 1, loss: 1, accuracy: 0.5, ms, size: 16 });
      if (out.length === upTo) return out;
    }
  }
  return out;
}

describe('trainingEta', () => {
  it('is the measured step time × steps left, plus each remaining epoch end', () => {
    // 10 epochs × 5 batches, 100 ms a step, 400 ms an epoch end; we are at epoch 3, batch 2.
    const eta = trainingEta(timeline(10, 5, 100, 400, 12), 5, 10)!;
    expect(eta.stepMs).toBe(100);
    expect(eta.epochMs).toBe(3 * 100 + 400);
    expect(eta.runMs).toBe(700 + 7 * (5 * 100 + 400));
  });
  it('waits for two steps of one epoch, ignores a clock restarted by a resume, and is 0 at the end', () => {
    expect(trainingEta(timeline(2, 5, 100, 0, 1), 5, 2)).toBeNull();
    const resumed = [
      ...timeline(2, 5, 100, 0, 6),
      ...timeline(2, 5, 100, 0, 10)
        .slice(6)
        .map((b) => ({ ...b, ms: b.ms - 600 })),
    ];
    expect(trainingEta(resumed, 5, 2)!.stepMs).toBe(100);
    expect(trainingEta(timeline(2, 5, 100, 0, 10), 5, 2)!.runMs).toBe(0);
  });
  it('says durations in words', () => {
    expect(describeDuration(45_000)).toBe('45 s');
    expect(describeDuration(200_000)).toBe('3 min 20 s');
    expect(describeDuration(3_900_000)).toBe('1 h 05 min');
  });
});
