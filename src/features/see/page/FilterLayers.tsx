/**
 * See page, paper figs 5–7: every 3×3 filter of every conv layer, one grid canvas per layer; and the same view of
 * an untrained model of any preset (its seeded initial weights), which needs no training run — the paper model's
 * 13 conv layers and 1,536 filters included, whose training is slow or impossible on many machines. Each layer
 * can show one input channel's weights instead of the mean, and has its weight histogram.
 */
import { useMemo, useState } from 'react';
import type { FilterLayer } from '../shared/protocol';
import { ARCHITECTURES, ARCHITECTURE_LABELS, DEFAULT_CONFIG, type Architecture } from '../../../shared/trainingConfig';
import type { RunJob } from '../../../ui/useWorkerJob';
import { GridCanvas } from './GridCanvas';
import { exportFigurePng } from './exportFigure';
import { filterGrid, weightHistogram } from './render';
import { filtersFigure } from './seeFigures';

/** A layer's weight histogram as bars (the range printed below), for spotting dead or saturated layers. */
function WeightHistogram({ layer }: { layer: FilterLayer }) {
  const h = useMemo(() => weightHistogram(layer.weights), [layer]);
  const top = Math.max(1, ...h.counts);
  const w = 160;
  const bar = w / h.counts.length;
  return (
    <svg
      width={w}
      height={48}
      role="img"
      aria-label={`Weight histogram of ${layer.name}: ${h.min.toFixed(3)} to ${h.max.toFixed(3)}`}
    >
      {h.counts.map((c, i) => (
        <rect
          key={i}
          x={i * bar}
          y={40 - (38 * c) / top}
          width={Math.max(1, bar - 0.5)}
          height={(38 * c) / top}
          fill="currentColor"
        />
      ))}
      <text x={0} y={48} fontSize={8} fill="currentColor">
        {h.min.toFixed(2)}
      </text>
      <text x={w} y={48} fontSize={8} textAnchor="end" fill="currentColor">
        {h.max.toFixed(2)}
      </text>
    </svg>
  );
}

/** A filter pointed at in the grids: its layer and index. */
export interface PickedFilter {
  layer: string;
  filter: number;
}

export function FilterLayers({
  layers,
  label = 'Filters',
  file = 'filters.png',
  onPick,
  picked,
}: {
  layers: FilterLayer[];
  label?: string;
  file?: string;
  /** Hovering or clicking a filter's tile reports it (null: the pointer left the grid). */
  onPick?: (filter: PickedFilter | null, how: 'hover' | 'click') => void;
  picked?: PickedFilter | null;
}) {
  // Per layer: undefined = mean over input channels (colour for the first layer), else one input channel.
  const [channels, setChannels] = useState<Record<string, number | undefined>>({});
  const grids = useMemo(() => layers.map((l) => filterGrid(l, 32, channels[l.name])), [layers, channels]);
  const total = layers.reduce((n, l) => n + l.shape[3], 0);
  return (
    <section aria-label={label}>
      <p className="layers-intro">
        {label === 'Filters' ? '' : `${label}: `}
        {layers.length} conv layers, {total} filters. First layer in colour, deeper layers as the mean over input
        channels; each filter normalised on its own.
        {onPick ? ' Point at a filter to see its feature map; click to keep it.' : ''}{' '}
        <button onClick={() => void exportFigurePng(filtersFigure(layers, grids), file)}>Export PNG</button>
      </p>
      {layers.map((l, i) => (
        <figure key={l.name}>
          <figcaption>
            {l.name}: {l.shape[3]} filters of {l.shape[0]}×{l.shape[1]}×{l.shape[2]}{' '}
            <label>
              show{' '}
              <select
                aria-label={`View of ${l.name}`}
                value={channels[l.name] ?? ''}
                onChange={(e) =>
                  setChannels({ ...channels, [l.name]: e.target.value === '' ? undefined : Number(e.target.value) })
                }
              >
                <option value="">{l.shape[2] === 3 ? 'colour' : 'mean over input channels'}</option>
                {Array.from({ length: l.shape[2] }, (_, c) => (
                  <option key={c} value={c}>
                    input channel {c}
                  </option>
                ))}
              </select>
            </label>
          </figcaption>
          <GridCanvas
            image={grids[i]}
            scale={6}
            label={`Filters of ${l.name}`}
            onTile={onPick && ((tile, how) => onPick(tile === null ? null : { layer: l.name, filter: tile }, how))}
            highlight={picked?.layer === l.name ? picked.filter : null}
          />
          <WeightHistogram layer={l} />
          <span className="see-note">{l.name} weights: histogram, smallest to largest</span>
        </figure>
      ))}
    </section>
  );
}

/** Seed of the untrained models' initial weights: fixed, so the same preset always shows the same filters. */
const UNTRAINED_SEED = 1;

export function UntrainedFilters({ busy, run }: { busy: boolean; run: RunJob }) {
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
          void run('Untrained filters', async ({ call }) => {
            const layers = await call('untrainedFilters', {
              model: {
                architecture,
                numClasses: 2,
                dropout: 0,
                batchNormLayers: DEFAULT_CONFIG.batchNormLayers,
                widthMultiplier: 1,
              },
              seed: UNTRAINED_SEED,
            });
            setShown({ architecture, layers });
          })
        }
      >
        Show untrained filters
      </button>
      <span> Its initial weights (Glorot-uniform, seed {UNTRAINED_SEED}): what training starts from.</span>
      {shown && (
        <FilterLayers
          layers={shown.layers}
          label={`Untrained ${shown.architecture}`}
          file={`filters-untrained-${shown.architecture}.png`}
        />
      )}
    </section>
  );
}
