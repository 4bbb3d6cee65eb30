/**
 * A small dependency-free SVG line chart for live training curves (decimated to keep re-renders cheap). Series
 * colours are CSS values, normally the chart tokens of chartColors.ts (`var(--color-chart-N)`), set as style
 * properties so that custom properties resolve and the dark theme's values apply.
 */
export interface Series {
  name: string;
  /** A CSS colour; use the tokens of chartColors.ts. */
  color: string;
  points: Array<[number, number]>;
}

const W = 440;
const H = 180;
const PAD = { left: 44, right: 10, top: 10, bottom: 26 };
const MAX_POINTS = 400;

function decimate(points: Array<[number, number]>): Array<[number, number]> {
  if (points.length <= MAX_POINTS) return points;
  const stride = points.length / MAX_POINTS;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < MAX_POINTS; i++) out.push(points[Math.floor(i * stride)]);
  out.push(points[points.length - 1]);
  return out;
}

export function LineChart(props: { title: string; series: Series[]; xLabel: string; yMin?: number; yMax?: number }) {
  const all = props.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs, xMin + 1) : 1;
  const yMin = props.yMin ?? (ys.length ? Math.min(...ys) : 0);
  const yMax = props.yMax ?? (ys.length ? Math.max(...ys, yMin + 1e-6) : 1);
  const sx = (x: number) => PAD.left + ((x - xMin) / (xMax - xMin || 1)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - yMin) / (yMax - yMin || 1)) * (H - PAD.top - PAD.bottom);
  const total = props.series.reduce((n, s) => n + s.points.length, 0);
  return (
    <figure className="chart" aria-label={props.title} data-points={total}>
      <figcaption>
        {props.title}
        {props.series.map((s) => (
          <span key={s.name} className="legend">
            {/* The series' colour on the marker only: coloured small text fails WCAG contrast. */}
            <span aria-hidden="true" style={{ color: s.color }}>
              ●
            </span>{' '}
            {s.name}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title} chart, ${total} points`}>
        <line x1={PAD.left} y1={H - PAD.bottom} x2={W - PAD.right} y2={H - PAD.bottom} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={H - PAD.bottom} className="axis" />
        <text x={4} y={PAD.top + 8} className="tick">
          {yMax.toPrecision(3)}
        </text>
        <text x={4} y={H - PAD.bottom} className="tick">
          {yMin.toPrecision(3)}
        </text>
        <text x={W - PAD.right} y={H - 6} className="tick" textAnchor="end">
          {props.xLabel} {Math.round(xMax)}
        </text>
        {props.series.map((s) => {
          const pts = decimate(s.points).filter((p) => Number.isFinite(p[1]));
          return (
            <g key={s.name}>
              <polyline
                fill="none"
                style={{ stroke: s.color }}
                strokeWidth={1.5}
                data-series={s.name}
                points={pts.map((p) => `${sx(p[0])},${sy(p[1])}`).join(' ')}
              />
              {pts.length <= 40 &&
                pts.map((p, i) => <circle key={i} cx={sx(p[0])} cy={sy(p[1])} r={2.2} style={{ fill: s.color }} />)}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
