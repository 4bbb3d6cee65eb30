/** The analysis of the exported last layer: PCA scatter, the most changed units, and the clamping experiment. */
import { useMemo } from 'react';
import type { LastLayerExport } from '../shared/protocol';
import { clampExperiment, pca2, unitChanges } from '../shared/lastLayerAnalysis';
import { CHART } from '../../../ui/chartColors';

/** Class 0 blue, class 1 orange (the caption names them); a modified image is the same colour, light, outlined. */
const COLORS = [CHART.blue, CHART.orange];

export function LastLayerAnalysis({ data }: { data: LastLayerExport }) {
  const n = data.indices.length;
  const analysis = useMemo(() => {
    const both = new Float32Array(2 * n * data.width);
    both.set(data.original, 0);
    both.set(data.modified, n * data.width);
    const pca = pca2(both, 2 * n, data.width);
    const changes = unitChanges(data.original, data.modified, n, data.width).slice(0, 10);
    const ks = [1, 2, 4, 8, 16, 32].filter((k) => k <= data.width);
    const clamp = data.head
      ? {
          zero: clampExperiment(
            data.original,
            data.modified,
            data.labels,
            data.width,
            data.head.kernel,
            data.head.bias,
            ks,
            'zero',
          ),
          restore: clampExperiment(
            data.original,
            data.modified,
            data.labels,
            data.width,
            data.head.kernel,
            data.head.bias,
            ks,
            'restore',
          ),
        }
      : null;
    return { pca, changes, clamp };
  }, [data, n]);
  const xs = Array.from(analysis.pca.coords.filter((_, i) => i % 2 === 0));
  const ys = Array.from(analysis.pca.coords.filter((_, i) => i % 2 === 1));
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => 20 + ((x - x0) / (x1 - x0 || 1)) * 360;
  const sy = (y: number) => 280 - ((y - y0) / (y1 - y0 || 1)) * 260;
  return (
    <div>
      <figure aria-label="PCA of the last layer">
        <svg width={400} height={300} role="img" aria-label={`PCA scatter of ${2 * n} images`} data-points={2 * n}>
          {xs.map((x, i) => {
            const modified = i >= n;
            const label = data.labels[i % n];
            return (
              <circle
                key={i}
                cx={sx(x)}
                cy={sy(ys[i])}
                r={3}
                style={{
                  fill: COLORS[label % 2],
                  fillOpacity: modified ? 0.35 : 1,
                  stroke: modified ? 'var(--color-text)' : 'none',
                }}
              />
            );
          })}
        </svg>
        <figcaption>
          PCA of {data.layerName} ({data.width} units): PC1 {(analysis.pca.explained[0] * 100).toFixed(1)} %, PC2{' '}
          {(analysis.pca.explained[1] * 100).toFixed(1)} % of the variance. Dark = original, light with outline =
          modified; {data.classNames.map((c, i) => `${c} ${i % 2 ? 'orange' : 'blue'}`).join(', ')}.
        </figcaption>
      </figure>
      <table aria-label="Most changed units">
        <thead>
          <tr>
            <th>Unit</th>
            <th>mean, original</th>
            <th>mean, modified</th>
            <th>change</th>
          </tr>
        </thead>
        <tbody>
          {analysis.changes.map((c) => (
            <tr key={c.unit}>
              <td>{c.unit}</td>
              <td>{c.meanOriginal.toFixed(3)}</td>
              <td>{c.meanModified.toFixed(3)}</td>
              <td>{c.change.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {analysis.clamp && (
        <table aria-label="Clamping experiment">
          <thead>
            <tr>
              <th>k most changed units</th>
              <th>set to zero: correct again</th>
              <th>restored to the original value: correct again</th>
            </tr>
          </thead>
          <tbody>
            {analysis.clamp.zero.map((z, i) => (
              <tr key={z.k}>
                <td>{z.k}</td>
                <td>
                  {z.flippedBack} / {z.images}
                </td>
                <td>
                  {analysis.clamp!.restore[i].flippedBack} / {z.images}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
