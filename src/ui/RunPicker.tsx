/** The "Model" picker every analysis page shows: trained (or imported) runs, named by runLabel. */
import type { RunRecord } from '../db/schema';
import { runLabel } from './runLabel';
import { TRAINING_ELSEWHERE } from './useRunsTrainingElsewhere';

/** `elsewhere`: runs another tab is training, said so in their option (useRunsTrainingElsewhere). */
export function RunPicker({
  runs,
  value,
  onChange,
  label = 'Model',
  elsewhere,
}: {
  runs: RunRecord[];
  value: string;
  onChange: (runId: string) => void;
  label?: string;
  elsewhere?: ReadonlySet<string>;
}) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {runLabel(r)}
            {elsewhere?.has(r.id) ? ` — ${TRAINING_ELSEWHERE}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
