/**
 * "Will this preset fit?" on the Train page: the form's settings, estimated on the page (src/shared/presetFit.ts),
 * against the limits the lab worker read from its backend (LabApi `deviceLimits`). A definite "will not fit"
 * disables Train (TrainPage); "unknown" only informs.
 */
import { useEffect, useMemo, useState } from 'react';
import { checkFit, largestFittingBatch, type BackendLimits, type FitCheck } from '../../../shared/fitCheck';
import type { BackendInfo } from '../../../shared/protocol';
import { estimateFit } from '../../../shared/presetFit';
import { useLab } from '../../../store/labStore';
import { errorMessage } from '../../../shared/errorMessage';
import { useWorkerJob } from '../../../ui/useWorkerJob';

export interface PresetFit extends FitCheck {
  /** For 'will-not-fit': the largest smaller batch that fits, if any. */
  smallerBatch: number | null;
}

/** Null until the worker's backend is ready and has told its limits (again after a worker is replaced). */
export function usePresetFit(): PresetFit | null {
  const info = useLab((s) => (s.backend.status === 'ready' ? s.backend.info : null));
  const config = useLab((s) => s.config);
  // Limits belong to the worker that read them: a replaced worker (a new `info`) is asked again.
  const [read, setRead] = useState<{ info: BackendInfo; limits: BackendLimits | null; error?: string } | null>(null);
  // A newer `info` supersedes the last ask: its late answer is dropped by the job.
  const { run } = useWorkerJob();
  useEffect(() => {
    if (!info) return;
    void run('Reading the backend limits', async ({ call, signal }) => {
      try {
        setRead({ info, limits: await call('deviceLimits', undefined) });
      } catch (err) {
        if (!signal.aborted) setRead({ info, limits: null, error: errorMessage(err) });
      }
    });
  }, [info, run]);
  const current = read && read.info === info ? read : null;
  return useMemo(() => {
    if (!current) return null;
    if (!current.limits)
      return {
        verdict: 'unknown',
        reasons: [`Could not read this backend's limits: ${current.error}`],
        smallerBatch: null,
      };
    const check = checkFit(estimateFit(config), current.limits);
    const smallerBatch = check.verdict === 'will-not-fit' ? largestFittingBatch(config, current.limits) : null;
    return { ...check, smallerBatch };
  }, [current, config]);
}

export function PresetFitLine({ fit }: { fit: PresetFit | null }) {
  if (!fit) return null;
  const [headline, ...details] = fit.reasons;
  const more = details.length > 0 && <small> {details.join(' ')}</small>;
  if (fit.verdict === 'will-not-fit') {
    return (
      <div role="alert" aria-label="Preset fit" data-verdict={fit.verdict} style={{ width: '100%' }}>
        <strong>{headline}</strong>
        {fit.smallerBatch !== null && ` Batch size ${fit.smallerBatch} or less would fit.`} Train is disabled.
        {more}
      </div>
    );
  }
  return (
    <p role="status" aria-label="Preset fit" data-verdict={fit.verdict} style={{ width: '100%', margin: 0 }}>
      {headline}
      {more}
    </p>
  );
}
