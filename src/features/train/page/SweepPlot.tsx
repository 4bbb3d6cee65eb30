/**
 * Parallel coordinates of a sweep: one line per trial with a result, through its dropout, batch size (log
 * scale), learning rate (log scale) and best test accuracy; the best trial drawn thicker. The results table is
 * its text equivalent (`tableId`), named by the figure's description.
 */
import { CHART } from '../../../ui/chartColors';

export interface PlotTrial {
  label: string;
  dropout: number;
  batchSize: number;
  learningRate: number;
  accuracy: number;
  best: boolean;
}

const W = 440;
const H = 200;
const PAD = { left: 30, right: 30, top: 24, bottom: 30 };

interface Axis {
  name: string;
  value: (t: PlotTrial) => number;
  format: (v: number) => string;
  fixed?: [number, number];
}

const AXES: Axis[] = [
  { name: 'dropout', value: (t) => t.dropout, format: (v) => v.toFixed(2) },
  { name: 'batch (log)', value: (t) => Math.log2(t.batchSize), format: (v) => String(Math.round(2 ** v)) },
  { name: 'learning rate (log)', value: (t) => Math.log10(t.learningRate), format: (v) => (10 ** v).toExponential(0) },
  { name: 'best test acc.', value: (t) => t.accuracy, format: (v) => `${Math.round(v * 100)} %`, fixed: [0, 1] },
];

export function SweepPlot({ trials, tableId }: { trials: PlotTrial[]; tableId: string }) {
  const x = (i: number) => PAD.left + (i * (W - PAD.left - PAD.right)) / (AXES.length - 1);
  const scales = AXES.map((a) => {
    const vs = trials.map(a.value);
    const [lo, hi] = a.fixed ?? [Math.min(...vs), Math.max(...vs)];
    // A single value sits mid-axis rather than dividing by zero.
    return {
      lo,
      hi,
      y: (v: number) =>
        hi > lo ? H - PAD.bottom - ((v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom) : (H + PAD.top - PAD.bottom) / 2,
    };
  });
  return (
    <figure className="chart" aria-label="Sweep plot" aria-describedby="sweep-plot-desc">
      <figcaption id="sweep-plot-desc">
        Each line is a trial: dropout, batch size, learning rate and best test accuracy; the thick line is the best
        trial. The same numbers are in the{' '}
        <a
          href={`#${tableId}`}
          onClick={(e) => {
            // The app routes by the hash: move focus to the table instead of navigating.
            e.preventDefault();
            document.getElementById(tableId)?.focus();
          }}
        >
          Sweep results table
        </a>
        .
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Parallel coordinates of ${trials.length} trials`}>
        {AXES.map((a, i) => (
          <g key={a.name}>
            <line x1={x(i)} y1={PAD.top} x2={x(i)} y2={H - PAD.bottom} className="axis" />
            <text x={x(i)} y={H - 10} className="tick" textAnchor="middle">
              {a.name}
            </text>
            {trials.length > 0 && (
              <>
                <text x={x(i)} y={PAD.top - 6} className="tick" textAnchor="middle">
                  {a.format(scales[i].hi)}
                </text>
                <text x={x(i)} y={H - PAD.bottom + 10} className="tick" textAnchor="middle">
                  {a.format(scales[i].lo)}
                </text>
              </>
            )}
          </g>
        ))}
        {trials.map((t) => (
          <polyline
            key={t.label}
            fill="none"
            style={{ stroke: t.best ? CHART.green : CHART.blue }}
            strokeOpacity={t.best ? 1 : 0.6}
            strokeWidth={t.best ? 3 : 1.5}
            points={AXES.map((a, i) => `${x(i)},${scales[i].y(a.value(t))}`).join(' ')}
          >
            <title>{t.label}</title>
          </polyline>
        ))}
      </svg>
    </figure>
  );
}
