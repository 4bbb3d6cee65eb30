/** Paper §8: the values fed into the softmax for original and modified images, as a CSV for a spreadsheet. */
import { useState } from 'react';
import { DEFAULT_ATTACK } from '../../fool/shared/attackSettings';
import type { LastLayerExport } from '../shared/protocol';
import { csvText } from '../../../shared/csv';
import { downloadBytes } from '../../../ui/download';
import { LastLayerAnalysis } from './LastLayerAnalysis';
import { argMax } from '../../../shared/argMax';
import { JobProgress } from '../../../ui/JobProgress';
import { useWorkerJob } from '../../../ui/useWorkerJob';

export function lastLayerCsv(e: LastLayerExport): string {
  const units = Array.from({ length: e.width }, (_, u) => `unit_${u}`);
  const head = ['set', 'image', 'true_class', 'predicted', ...e.classNames.map((c) => `p_${c}`), ...units];
  // Class names come from folder names and imported models: csvText quotes them and neutralises formulas.
  const rows: Array<Array<string | number>> = [head];
  for (const [set, values, probs] of [
    ['original', e.original, e.probsOriginal],
    ['modified', e.modified, e.probsModified],
  ] as const) {
    for (let i = 0; i < e.indices.length; i++) {
      const p = probs[i];
      const predicted = e.classNames[argMax(p)];
      const row = Array.from(values.subarray(i * e.width, (i + 1) * e.width), (v) => v.toPrecision(7));
      rows.push([set, e.indices[i], e.classNames[e.labels[i]], predicted, ...p.map((x) => x.toFixed(6)), ...row]);
    }
  }
  return csvText(rows);
}

export function LastLayerPanel({
  runId,
  busy,
  setBusy,
}: {
  runId: string;
  busy: boolean;
  setBusy: (b: boolean) => void;
}) {
  const [perClass, setPerClass] = useState(75);
  const [result, setResult] = useState<LastLayerExport | null>(null);
  // Its own job (progress in faces attacked, Cancel); the page stays busy while it runs.
  const job = useWorkerJob();
  return (
    <section className="card" aria-label="Last layer">
      <h3>Last layer (paper §8)</h3>
      <p>
        The activations feeding the softmax for correctly classified test faces, before and after the paper's attack
        (±2.5 % of the range), one row per image, one column per unit.
      </p>
      <label>
        Images per class{' '}
        <input
          type="number"
          min={1}
          max={500}
          value={perClass}
          onChange={(e) => setPerClass(Math.max(1, Math.round(Number(e.target.value))))}
        />
      </label>{' '}
      <button
        disabled={busy || !runId}
        onClick={() => {
          setBusy(true);
          void job
            .run('Extracting the last layer', async ({ call }) => {
              setResult(await call('lastLayer', { runId, perClass, settings: { ...DEFAULT_ATTACK, rule: 'range' } }));
            })
            .finally(() => setBusy(false));
        }}
      >
        Extract last layer
      </button>
      <JobProgress job={job.job} cancelled={job.cancelled} onCancel={job.cancel} />
      {result && (
        <p>
          {result.layerName}: {result.width} units × {result.indices.length} original + {result.indices.length} modified
          images.{' '}
          <button
            onClick={() => downloadBytes(new TextEncoder().encode(lastLayerCsv(result)), 'last-layer.csv', 'text/csv')}
          >
            Download last-layer CSV
          </button>
        </p>
      )}
      {result && <LastLayerAnalysis data={result} />}
      {job.error && <p role="alert">{job.error}</p>}
    </section>
  );
}
