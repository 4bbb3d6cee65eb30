/**
 * Run ids another tab of this browser is training (their Web Lock is held elsewhere: shared/runLock.ts), polled once
 * a second while the component is shown (locks have no change events). Used to refuse what would act on such a run
 * (Delete, Resume, comparisons) and to say so.
 */
import { useEffect, useState } from 'react';
import { runsTrainingElsewhere } from '../shared/runLock';

/** How a run another tab is training is described wherever it is offered. */
export const TRAINING_ELSEWHERE = 'training in another tab — its numbers change until it finishes';

export function useRunsTrainingElsewhere(): Set<string> {
  const [ids, setIds] = useState<Set<string>>(new Set());
  useEffect(() => {
    let live = true;
    const poll = () =>
      void runsTrainingElsewhere().then((s) => {
        if (live) setIds((old) => (old.size === s.size && [...s].every((x) => old.has(x)) ? old : s));
      });
    poll();
    const timer = setInterval(poll, 1000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  return ids;
}
