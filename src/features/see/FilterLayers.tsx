/**
 * See page, paper figs 5–7: every 3×3 filter of every conv layer, one grid canvas per layer; and the same view of
 * an untrained model of any preset (its seeded initial weights), which needs no training run — the paper model's
 * 13 conv layers and 1,472 filters included, whose training is slow or impossible on many machines.
 */
import { useMemo, useState } from 'react';
import { labBridge } from '../../bridge/labBridge';
import type { FilterLayer } from '../../shared/protocol';
import { ARCHITECTURES, ARCHITECTURE_LABELS, DEFAULT_CONFIG, type Architecture } from '../../shared/trainingConfig';
import { GridCanvas } from './GridCanvas';
import { exportFigurePng } from './exportFigure';
import { filterGrid } from './render';
import { filtersFigure } from './seeFigures';

export function FilterLayers({ layers, label = 'Filters', file = 'filters.png' }: { layers: FilterLayer[]; label?: string; file?: string }) {
  const grids = useMemo(() => layers.map((l) => filterGrid(l)), [layers]);
  const total = layers.reduce((n, l) => n + l.shape[3], 0);
  return (
    <section aria-label={label}>
      <p>
        {label === 'Filters' ? '' : `${label}: `}
        {layers.length} conv layers, {total} filters. First layer in colour, deeper layers as the mean over input
        channels; each filter normalised on its own.{' '}
        <button onClick={() => void exportFigurePng(filtersFigure(layers, grids), file)}>Export PNG</button>
      </p>
      {layers.map((l, i) => (
        <figure key={l.name}>
          <figcaption>
            {l.name}: {l.shape[3]} filters of {l.shape[0]}×{l.shape[1]}×{l.shape[2]}
          </figcaption>
          <GridCanvas image={grids[i]} scale={6} label={`Filters of ${l.name}`} />
        </figure>
      ))}
    </section>
  );
}

/** Seed of the untrained models' initial weights: fixed, so the same preset always shows the same filters. */
const UNTRAINED_SEED = 1;

export function UntrainedFilters({ busy, run }: { busy: boolean; run: (work: () => Promise<void>) => Promise<void> }) {
  const [architecture, setArchitecture] = useState<Architecture>('paper');
  const [shown, setShown] = useState<{ architecture: Architecture; layers: FilterLayer[] } | null>(null);
  return (
    <section className="card" aria-label="Untrained model">
      <label>
        Untrained architecture{' '}
        <select value={architecture} onChange={(e) => setArchitecture(e.target.value as Architecture)}>
          {ARCHITECTURES.map((a) => (
            <option key={a} value={a}>
              {ARCHITECTURE_LABELS[a]}
            </option>
          ))}
        </select>
      </label>{' '}
      <button
        disabled={busy}
        onClick={() =>
          void run(async () => {
            const layers = await labBridge().call('untrainedFilters', {
              model: { architecture, numClasses: 2, dropout: 0, batchNormLayers: DEFAULT_CONFIG.batchNormLayers, widthMultiplier: 1 },
              seed: UNTRAINED_SEED,
            });
            setShown({ architecture, layers });
          })
        }
      >
        Show untrained filters
      </button>
      <span> Its initial weights (Glorot-uniform, seed {UNTRAINED_SEED}): what training starts from.</span>
      {shown && <FilterLayers layers={shown.layers} label={`Untrained ${shown.architecture}`} file={`filters-untrained-${shown.architecture}.png`} />}
    </section>
  );
}
