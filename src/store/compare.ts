/**
 * "Compare architectures" (paper §4): several architectures trained for the same epochs on the same split, one
 * after another, as normal runs (src/store/runSeries.ts), their progress in the store's `compare` entries.
 */
import type { TrainingConfig } from '../shared/trainingConfig';
import { useLab, type CompareEntry } from './labStore';
import { runSeries } from './runSeries';

/** Paper §4: train several architectures for the same epochs on the same split, one after another. */
export async function compareArchitectures(configs: Array<{ label: string; config: TrainingConfig }>): Promise<void> {
  const entries: CompareEntry[] = configs.map((c) => ({ runId: null, label: c.label, epochs: [], status: 'waiting' }));
  useLab.setState({ compare: { running: true, entries: [...entries] } });
  let i = 0;
  await runSeries(
    () => (i < configs.length ? { key: i, config: configs[i++].config } : null),
    (k, p) => {
      entries[k] = {
        ...entries[k],
        runId: p.runId,
        epochs: p.epochs,
        status: p.status,
        ...(p.status === 'running' ? {} : { error: p.error }),
      };
      useLab.setState({ compare: { running: true, entries: [...entries] } });
    },
  );
  useLab.setState((s) => ({ compare: { ...s.compare, running: false } }));
}
