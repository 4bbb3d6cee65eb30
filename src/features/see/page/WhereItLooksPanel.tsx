/**
 * "Where it looks", measured: for each saliency method, each region's share of the attribution mass against
 * its share of the face (ratio > 1: the network looks there more than a uniform map would), and the pointing
 * game on the regions that tell the two people apart. Synthetic datasets are scored on their true masks; photo
 * datasets on approximate masks from the face detector's keypoints, labelled so (regionLabels.ts), with the
 * test faces stored without keypoints counted as skipped. The table downloads as CSV (regionCsv.ts) and as a
 * PNG figure (exportFigure.ts).
 */
import { useState } from 'react';
import { JobProgress } from '../../../ui/JobProgress';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import type { SaliencyMethodName, WhereItLooks } from '../shared/protocol';
import { downloadBytes } from '../../../ui/download';
import { exportFigurePng } from './exportFigure';
import { regionCsv } from './regionCsv';
import { masksLabel, masksNote } from './regionLabels';
import { regionFigure } from './seeFigures';

const METHODS: Array<[SaliencyMethodName, string]> = [
  ['gradient', 'Gradient'],
  ['gradcam', 'Grad-CAM'],
  ['smoothgrad', 'SmoothGrad'],
  ['integrated-gradients', 'Integrated Gradients'],
];
const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

export function WhereItLooksPanel({ runId, busy }: { runId: string; busy: boolean }) {
  const [count, setCount] = useState(32);
  const [result, setResult] = useState<WhereItLooks | null>(null);
  // Its own job (progress in maps, Cancel): the table is replaced only by a whole new measurement.
  const job = useWorkerJob();
  return (
    <section className="card" aria-label="Where it looks">
      <h3>Where it looks, measured</h3>
      <label>
        Test faces{' '}
        <input
          type="number"
          min={1}
          max={500}
          value={count}
          onChange={(e) => setCount(Math.max(1, Math.round(Number(e.target.value))))}
        />
      </label>{' '}
      <button
        disabled={busy || job.busy || !runId}
        onClick={() =>
          void job.run('Measuring where it looks', async ({ call }) => {
            setResult(await call('whereItLooks', { runId, count, methods: METHODS.map(([m]) => m) }));
          })
        }
      >
        Measure where it looks
      </button>
      <JobProgress job={job.job} cancelled={job.cancelled} onCancel={job.cancel} />
      {job.error && <p role="alert">{job.error}</p>}
      {result && (
        <>
          <table aria-label="Region table">
            <caption data-testid="region-masks">Regions: {masksLabel(result)}</caption>
            <thead>
              <tr>
                <th>Region</th>
                <th>Area</th>
                {result.rows.map((r) => (
                  <th key={r.method}>{METHODS.find(([m]) => m === r.method)?.[1]}: mass (× area)</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.regions.map((region, i) => (
                <tr key={region}>
                  <th scope="row">
                    {region}
                    {result.targets.includes(region) ? ' *' : ''}
                  </th>
                  <td>{pct(result.rows[0].area[i])}</td>
                  {result.rows.map((r) => (
                    <td key={r.method}>
                      {pct(r.attribution[i])} ({Number.isFinite(r.ratio[i]) ? r.ratio[i].toFixed(2) : '—'}×)
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th scope="row">Pointing game on {result.targets.join(' / ')} (chance)</th>
                <td />
                {result.rows.map((r) => (
                  <td key={r.method} data-testid={`pointing-${r.method}`}>
                    {pct(r.pointing.rate)} ({pct(r.pointing.chance)})
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          <p data-testid="region-masks-note">{masksNote(result)}</p>
          <p>
            {result.images} test faces, each explained for its true class. * = regions that differ between the two
            people. Time per face: {result.rows.map((r) => `${r.method} ${r.msPerImage.toFixed(0)} ms`).join(', ')}.
          </p>
          <button
            onClick={() =>
              downloadBytes(
                new TextEncoder().encode(regionCsv(result)),
                `where-it-looks-${result.images}-faces.csv`,
                'text/csv',
              )
            }
          >
            Download CSV
          </button>{' '}
          <button
            onClick={() => void exportFigurePng(regionFigure(result), `where-it-looks-${result.images}-faces.png`)}
          >
            Export PNG
          </button>
        </>
      )}
    </section>
  );
}
