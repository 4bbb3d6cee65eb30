/**
 * The features people said they used beside where the network's attribution actually goes (See's region
 * table, SmoothGrad on 32 test faces of the kit's model): the paper's §7 list against a measurement. On a photo
 * dataset the regions are approximate (from face keypoints), and the table says so.
 */
import { useState } from 'react';
import type { WhereItLooks } from '../../see/shared/protocol';
import type { FeatureTable } from '../shared/stats';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import { masksLabel, masksNote } from '../../see/page/regionLabels';

/** Which mask region each of the paper's features refers to (null: no region of its own). */
const REGION_OF: Record<string, string | null> = {
  nose: 'nose',
  eyes: 'eyes',
  'face structure': 'face',
  'lips/mouth': 'mouth',
  'skin tone': 'face',
  cheeks: 'face',
  forehead: 'face',
  eyebrows: 'brows',
  'facial expression': null,
};

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

export function PeopleVsNetwork({
  runId,
  features,
  participants,
}: {
  runId: string;
  features: FeatureTable;
  participants: number;
}) {
  const [looks, setLooks] = useState<WhereItLooks | null>(null);
  const { busy, error, run } = useWorkerJob();
  const row = looks?.rows[0];
  return (
    <div aria-label="People and the network">
      <button
        disabled={busy}
        onClick={() =>
          void run('Where the network looks', async ({ call }) =>
            setLooks(await call('whereItLooks', { runId, count: 32, methods: ['smoothgrad'] })),
          )
        }
      >
        Compare with where the network looks
      </button>
      {error && <p role="alert">{error}</p>}
      {looks && row && (
        <table aria-label="Features: people and the network">
          {looks.approximate && <caption>{masksNote(looks)}</caption>}
          <thead>
            <tr>
              <th>Feature</th>
              <th>People who used it</th>
              <th>Region</th>
              <th>
                Network: attribution share (× its area), SmoothGrad, {looks.images} faces; regions: {masksLabel(looks)}
              </th>
            </tr>
          </thead>
          <tbody>
            {features.rows.map((f) => {
              const region = REGION_OF[f.feature];
              const r = region ? looks.regions.indexOf(region) : -1;
              return (
                <tr key={f.feature}>
                  <td>{f.feature}</td>
                  <td>
                    {f.count} of {participants}
                  </td>
                  <td>{region ?? '—'}</td>
                  <td>{r >= 0 ? `${pct(row.attribution[r])} (${row.ratio[r].toFixed(2)}×)` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
