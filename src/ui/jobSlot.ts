/**
 * The one job a useWorkerJob hook runs at a time, without React, so its rules can be tested on their own:
 * starting a job aborts the one before it; only the latest job, until the page leaves, is live; `keep` drops an
 * answer that arrives for a job no longer live (superseded, or its page gone). Cancel aborts but leaves the job
 * live: an answer the worker still gives (the rows finished so far) reaches it.
 */
export interface JobTurn {
  signal: AbortSignal;
  live: () => boolean;
  /** The answer, if this job is still live; otherwise an AbortError, so the task stops before storing it. */
  keep: <T>(answer: T) => T;
  /** The job ended: the slot is free again (a no-op for a job no longer live). */
  finish: () => void;
}

export interface JobSlot {
  start: (label: string) => JobTurn;
  cancel: () => void;
  leave: () => void;
}

export function jobSlot(): JobSlot {
  let current: AbortController | null = null;
  return {
    start(label) {
      current?.abort();
      const ac = new AbortController();
      current = ac;
      const live = () => current === ac;
      return {
        signal: ac.signal,
        live,
        keep(answer) {
          if (!live()) throw new DOMException(`${label}: superseded`, 'AbortError');
          return answer;
        },
        finish() {
          if (live()) current = null;
        },
      };
    },
    cancel: () => current?.abort(),
    leave() {
      current?.abort();
      current = null;
    },
  };
}
