/** Keras-style model summary: layer, type, output shape, params. */
import type { ModelSummary } from '../shared/protocol';

export const fmt = (n: number) => n.toLocaleString('en-US');

export function SummaryTable({ summary }: { summary: ModelSummary }) {
  return (
    <table className="summary" aria-label="Model summary">
      <caption>
        Model “{summary.name}”: {fmt(summary.totalParams)} parameters ({fmt(summary.trainableParams)} trainable)
      </caption>
      <thead>
        <tr>
          <th>Layer</th>
          <th>Type</th>
          <th>Output shape</th>
          <th>Params</th>
        </tr>
      </thead>
      <tbody>
        {summary.layers.map((l) => (
          <tr key={l.name}>
            <td>{l.name}</td>
            <td>{l.className}</td>
            <td>{l.outputShape}</td>
            <td className="num">{fmt(l.params)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <td colSpan={3}>Total params</td>
          <td className="num" data-testid="total-params">
            {fmt(summary.totalParams)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
