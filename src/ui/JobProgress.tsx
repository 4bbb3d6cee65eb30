/**
 * A running worker job: a real <progress> fed by the worker's own counts, the elapsed time and the time left
 * from the measured rate, and a Cancel button; after a cancel, one line saying nothing was stored.
 */
import { useEffect, useState } from 'react';
import { formatSeconds, secondsLeft } from './jobTime';
import type { JobState } from './useWorkerJob';

export function JobProgress({
  job,
  cancelled,
  onCancel,
}: {
  job: JobState | null;
  cancelled: { label: string; note: string } | null;
  onCancel: () => void;
}) {
  // Re-render once a second so elapsed and time left move between progress events.
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!job) return;
    const timer = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(timer);
  }, [job]);

  if (!job) {
    return cancelled ? (
      <p role="status" aria-label="Job cancelled">
        Cancelled: {cancelled.label}. {cancelled.note}
      </p>
    ) : null;
  }
  const elapsedMs = Math.max(0, now - job.startedAt);
  const left = secondsLeft(job.done, job.total, elapsedMs);
  const pct = job.total > 0 ? Math.round((100 * job.done) / job.total) : 0;
  return (
    <div className="progress" role="group" aria-label="Job progress">
      <progress value={job.done} max={job.total || 1} aria-label={job.label} />
      <span>
        {job.label}
        {job.stage ? ` (${job.stage})` : ''}: {job.done} / {job.total} ({pct} %) · {formatSeconds(elapsedMs / 1000)}{' '}
        elapsed
        {left !== null && !job.cancelling ? ` · about ${formatSeconds(left)} left` : ''}
        {job.cancelling ? ' · cancelling…' : ''}
      </span>{' '}
      <button onClick={onCancel} disabled={job.cancelling}>
        Cancel
      </button>
    </div>
  );
}
