/**
 * Activation maximisation across every conv layer (the paper's figures 8–12): N evenly spaced filters of each
 * conv layer, computed by the worker layer by layer. Rows appear as their layer finishes, with progress and a
 * time-left estimate from the measured time per filter; Cancel stops at the next filter and keeps the finished
 * rows (the layer under way is dropped). Nothing is stored: the rows live on this page until it is left.
 */
import { useId, useState } from 'react';
import type { ActivationMaxAllLayersProgress, ActivationMaxLayerRow } from '../shared/protocol';
import { PixelImage } from '../../../ui/PixelImage';
import type { RunJob } from '../../../ui/useWorkerJob';
import { exportFigurePng } from './exportFigure';
import { activationMaxFigure, activationMaxLayersFigure, rowAsResultSet } from './seeFigures';
import { Tooltip } from '../../../ui/Tooltip';

const seconds = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 60_000).toFixed(1)} min`);

/** "layer 2 of 4 · 9 of 32 filters · about 40 s left": the time left extrapolates the measured time per filter. */
export function progressText(p: ActivationMaxAllLayersProgress): string {
  const left = p.filtersDone > 0 ? (p.elapsedMs / p.filtersDone) * (p.filtersTotal - p.filtersDone) : NaN;
  return (
    `${p.layersDone} of ${p.layersTotal} layers done · ${p.filtersDone} of ${p.filtersTotal} filters · ` +
    (Number.isFinite(left) ? `about ${seconds(left)} left` : 'measuring time per filter…')
  );
}

interface Finished {
  rows: ActivationMaxLayerRow[];
  layersTotal: number;
  baselineImages: number;
  steps: number;
  cancelled: boolean;
  ms: number;
}

/** `run` and `cancel` are the See page's job: Cancel makes the worker answer with the rows finished so far. */
export function AllLayersMaxPanel({
  runId,
  busy,
  run,
  cancel,
}: {
  runId: string;
  busy: boolean;
  run: RunJob;
  cancel: () => void;
}) {
  const [perLayer, setPerLayer] = useState(8);
  const stepsId = useId();
  const [steps, setSteps] = useState(128);
  const [rows, setRows] = useState<ActivationMaxLayerRow[]>([]);
  const [progress, setProgress] = useState<ActivationMaxAllLayersProgress | null>(null);
  const [finished, setFinished] = useState<Finished | null>(null);
  const [running, setRunning] = useState(false);
  const whole = (v: string, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(Number(v)) || lo));

  const start = () =>
    void run('Every conv layer maximised', async ({ call }) => {
      setRunning(true);
      setRows([]);
      setFinished(null);
      setProgress(null);
      const t0 = performance.now();
      try {
        const r = await call(
          'activationMaxAllLayers',
          { runId, perLayer, seed: 1, steps },
          {
            onProgress: (p) => {
              setProgress(p);
              if (p.row) setRows((done) => [...done, p.row!]);
            },
          },
        );
        setRows(r.rows);
        setFinished({ ...r, ms: performance.now() - t0 });
      } finally {
        setRunning(false);
      }
    });

  // The region's name must not contain "Activation maximisation": that is the single-layer grid's, found by name in e2e.
  return (
    <section className="card" aria-label="Every conv layer maximised">
      <h3>Activation maximisation, every conv layer</h3>
      <p>
        For each conv layer in turn, the images that maximise {perLayer} of its filters, chosen evenly spaced over the
        layer (filters 0, c/N, 2c/N, … of its c), with the same gradient ascent and regularisers as the single-layer
        grid. Rows appear as each layer finishes; nothing is stored.
      </p>
      <div className="controls">
        <label>
          Filters per layer{' '}
          <input
            type="number"
            min={1}
            max={64}
            value={perLayer}
            onChange={(e) => setPerLayer(whole(e.target.value, 1, 64))}
          />
        </label>
        {/* The label stands apart from the field so the hint (shown under the field) is never read as part of its name. */}
        <span>
          <label htmlFor={stepsId}>Iterations per filter</label>{' '}
          <Tooltip text="Gradient-ascent steps for each filter (the single-layer grid's Steps)">
            <input
              id={stepsId}
              type="number"
              min={1}
              max={2048}
              value={steps}
              onChange={(e) => setSteps(whole(e.target.value, 1, 2048))}
            />
          </Tooltip>
        </span>
        <button disabled={busy || !runId} onClick={start}>
          Maximise every layer
        </button>
        <button disabled={!running} onClick={cancel}>
          Cancel
        </button>
        {finished && finished.rows.length > 0 && (
          <button
            onClick={() => void exportFigurePng(activationMaxLayersFigure(finished), 'activation-max-all-layers.png')}
          >
            Export PNG (all rows)
          </button>
        )}
      </div>
      <p aria-live="polite" data-testid="all-layers-progress">
        {finished
          ? `${finished.cancelled ? 'Cancelled: ' : 'Done: '}${finished.rows.length} of ${finished.layersTotal} layers in ${seconds(finished.ms)}.`
          : running
            ? progress
              ? progressText(progress)
              : 'Starting…'
            : null}
      </p>
      {rows.map((row) => (
        <figure key={row.layerName} aria-label={`Maximised filters of ${row.layerName}`} data-ms={Math.round(row.ms)}>
          <figcaption>
            {row.layerName}: filters {row.results.map((r) => r.filter).join(', ')} of {row.channels} · {seconds(row.ms)}{' '}
            {finished && (
              <button
                onClick={() =>
                  void exportFigurePng(
                    activationMaxFigure(rowAsResultSet(row, finished.baselineImages)),
                    `activation-max-${row.layerName}.png`,
                  )
                }
              >
                Export {row.layerName} PNG
              </button>
            )}
          </figcaption>
          <div className="grid">
            {row.results.map((r) => (
              <figure key={r.filter}>
                <PixelImage pixels={r.pixels} label={`Filter ${r.filter} of ${row.layerName}, maximised`} width={72} />
                <figcaption>
                  filter {r.filter} · gain {Number.isFinite(r.gain) ? `${r.gain.toFixed(1)}×` : 'n/a'}
                </figcaption>
              </figure>
            ))}
          </div>
        </figure>
      ))}
    </section>
  );
}
