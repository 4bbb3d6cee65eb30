/** The "Model" picker every analysis page shows: trained (or imported) runs, named by runLabel. */
import type { RunRecord } from '../db/schema';
import { runLabel } from './runLabel';

export function RunPicker({ runs, value, onChange, label = 'Model' }: { runs: RunRecord[]; value: string; onChange: (runId: string) => void; label?: string }) {
  return (
    <label>
      {label}{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {runLabel(r)}
          </option>
        ))}
      </select>
    </label>
  );
}
