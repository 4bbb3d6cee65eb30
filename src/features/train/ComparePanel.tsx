/** Paper §4: several architectures, same split, same epochs, accuracies on one chart. */
import { useState } from 'react';
import { compareArchitectures } from '../../store/actions';
import { useLab } from '../../store/labStore';
import { ARCHITECTURES, ARCHITECTURE_LABELS, type Architecture } from '../../shared/trainingConfig';
import { LineChart } from '../../ui/LineChart';

const COLORS = ['#2b8a3e', '#d9480f', '#1971c2', '#862e9c'];

export function ComparePanel() {
  const { compare, config, training } = useLab();
  const [chosen, setChosen] = useState<Architecture[]>(['compact', 'vgg16']);
  const [epochs, setEpochs] = useState(3);
  const busy = training.status !== 'idle' || compare.running;
  return (
    <section className="card" aria-label="Compare architectures">
      <h3>Compare architectures</h3>
      <p>Trains each chosen preset in turn with the current settings for the same number of epochs on the same split.</p>
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
          void compareArchitectures(
            chosen.map((a) => ({ label: a, config: { ...config, architecture: a, epochs } })),
          )
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
            color: COLORS[i % COLORS.length],
            points: e.epochs.map((m) => [m.epoch, m.testAccuracy] as [number, number]),
          }))}
        />
      )}
      {compare.entries.filter((e) => e.error).map((e) => (
        <p role="alert" key={e.label}>
          {e.label}: {e.error}
        </p>
      ))}
    </section>
  );
}
