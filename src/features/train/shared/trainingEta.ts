/**
 * Time left in a training run, from the step times measured so far (issue 17 item 6): the median time of the last
 * steps within an epoch, plus what an epoch's end costs (test evaluation, checkpoint), measured at the epoch
 * boundaries already passed. Pure: the Train page calls it on every batch event.
 */
import type { BatchMetric } from './protocol';

export interface TrainingEta {
  /** Milliseconds left in the current epoch (its batches and its end). */
  epochMs: number;
  /** Milliseconds left in the whole run. */
  runMs: number;
  /** Measured median time of one step. */
  stepMs: number;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** null until two steps of one epoch have been timed. `batches` in order; `ms` counts from the training call's start. */
export function trainingEta(
  batches: readonly BatchMetric[],
  batchesPerEpoch: number,
  totalEpochs: number,
  window = 20,
): TrainingEta | null {
  const steps: number[] = [];
  const ends: number[] = [];
  for (let i = Math.max(1, batches.length - 4 * window); i < batches.length; i++) {
    const gap = batches[i].ms - batches[i - 1].ms;
    if (gap < 0) continue; // a resumed run restarts its clock
    if (batches[i].epoch === batches[i - 1].epoch) steps.push(gap);
    else ends.push(gap);
  }
  if (steps.length < 1) return null;
  const stepMs = median(steps.slice(-window));
  // An epoch boundary's gap is one step plus the epoch's end.
  const endMs = ends.length ? Math.max(0, median(ends) - stepMs) : 0;
  const last = batches[batches.length - 1];
  const epochMs = Math.max(0, batchesPerEpoch - last.batch) * stepMs + endMs;
  const runMs = epochMs + Math.max(0, totalEpochs - last.epoch) * (batchesPerEpoch * stepMs + endMs);
  return { epochMs, runMs, stepMs };
}

/** "45 s", "3 min 20 s", "1 h 05 min". */
export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
