/** Paper §4: several architectures, same split, same epochs, accuracies on one chart. */
import { useState } from 'react';
import { compareArchitectures } from '../../../store/compare';
import { useLab, type CompareEntry } from '../../../store/labStore';
import { ARCHITECTURES, ARCHITECTURE_LABELS, type Architecture } from '../../../shared/trainingConfig';
import { LineChart } from '../../../ui/LineChart';
import { seriesColor } from '../../../ui/chartColors';

export function ComparePanel() {
  const { compare, config, training } = useLab();
  const [chosen, setChosen] = useState<Architecture[]>(['compact', 'vgg16']);
  const [epochs, setEpochs] = useState(3);
  const busy = training.status !== 'idle' || compare.running;
  return (
    <section className="card" aria-label="Compare architectures">
      <h3>Compare architectures</h3>
      <p>
        Trains each chosen preset in turn with the current settings for the same number of epochs on the same split.
      </p>
      {ARCHITECTURES.map((a) => (
        <label key={a} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(a)}
            onChange={(e) => setChosen(e.target.checked ? [...chosen, a] : chosen.filter((c) => c !== a))}
          />{' '}
          {ARCHITECTURE_LABELS[a]}
        </label>
      ))}
      {/* Labelled without the word "epochs" so it never shadows the main Epochs field. */}
      <label>
        Comparison length{' '}
        <input type="number" min={1} value={epochs} onChange={(e) => setEpochs(Math.max(1, Number(e.target.value)))} />
      </label>{' '}
      <span aria-hidden="true">epochs each</span>{' '}
      <button
        disabled={busy || chosen.length === 0}
        onClick={() =>
          void compareArchitectures(chosen.map((a) => ({ label: a, config: { ...config, architecture: a, epochs } })))
        }
      >
        Compare
      </button>
      {compare.entries.length > 0 && (
        <LineChart
          title="Test accuracy by architecture"
          xLabel="epoch"
          yMin={0}
          yMax={1}
          series={compare.entries.map((e, i) => ({
            name: `${e.label} (${e.status})`,
            color: seriesColor(i),
            points: e.epochs.map((m) => [m.epoch, m.testAccuracy] as [number, number]),
          }))}
        />
      )}
      {compare.entries.length > 0 && <CompareTable entries={compare.entries} />}
      {compare.entries
        .filter((e) => e.error)
        .map((e) => (
          <p role="alert" key={e.label}>
            {e.label}: {e.error}
          </p>
        ))}
    </section>
  );
}

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/**
 * The comparison in numbers (the chart shows the curves): per architecture its last epoch's test and training
 * accuracy and test loss, its best test accuracy and when, and the training time. Straight from the epoch
 * metrics each run stores, so it matches the Runs table.
 */
function CompareTable({ entries }: { entries: CompareEntry[] }) {
  return (
    <table aria-label="Comparison results" className="epochs">
      <thead>
        <tr>
          <th>architecture</th>
          <th>status</th>
          <th>epochs</th>
          <th>test accuracy</th>
          <th>best test accuracy</th>
          <th>train accuracy</th>
          <th>test loss</th>
          <th>time</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const last = e.epochs[e.epochs.length - 1];
          const best = e.epochs.reduce<(typeof e.epochs)[number] | undefined>(
            (b, m) => (!b || m.testAccuracy > b.testAccuracy ? m : b),
            undefined,
          );
          const seconds = e.epochs.reduce((s, m) => s + m.seconds, 0);
          return (
            <tr key={e.label} data-run-id={e.runId ?? ''}>
              <td>{ARCHITECTURE_LABELS[e.label as Architecture] ?? e.label}</td>
              <td>{e.status}</td>
              <td>{e.epochs.length}</td>
              <td>{last ? pct(last.testAccuracy) : '–'}</td>
              <td>{best ? `${pct(best.testAccuracy)} (epoch ${best.epoch})` : '–'}</td>
              <td>{last ? pct(last.trainAccuracy) : '–'}</td>
              <td>{last ? last.testLoss.toFixed(4) : '–'}</td>
              <td>{last ? `${seconds.toFixed(1)} s` : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
