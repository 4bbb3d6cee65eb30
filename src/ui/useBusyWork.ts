/**
 * The busy flag and error line a page shows around its worker calls: `run(job)` sets busy, clears the last
 * error (and calls `onStart`, e.g. to clear a note), awaits the job, and turns a thrown error into the error
 * line. One hook instead of the same try/catch/finally in every page. Only for page work that calls no worker
 * (the Survey page's kit and result stores); a worker call goes through useWorkerJob.
 */
import { useState } from 'react';
import { errorMessage } from '../shared/errorMessage';

export function useBusyWork(onStart?: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (job: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    onStart?.();
    try {
      await job();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, setBusy, error, run };
}
