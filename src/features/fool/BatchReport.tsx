/** The paper's §5 experiment as a table: success rate before and after saving, steps, norms, accuracy before → after. */
import type { FoolBatchReport } from '../../shared/protocol';
import { downloadBytes } from '../../ui/download';

const pct = (p: number) => (Number.isFinite(p) ? `${(p * 100).toFixed(1)} %` : 'n/a');

export function BatchReport({ report, zip }: { report: FoolBatchReport; zip: Uint8Array }) {
  const rows: Array<[string, string]> = [
    ['Images attacked', `${report.images} correctly classified ${report.split} images (model accuracy on the ${report.examined} examined: ${pct(report.modelAccuracy)})`],
    ['Success rate', pct(report.successRate)],
    ['Success rate after PNG round trip', pct(report.savedSuccessRate)],
    ['Accuracy on these images', `${pct(report.accuracyBefore)} → ${pct(report.accuracyAfter)} (saved files: ${pct(report.accuracyAfterSaved)})`],
    ['Steps (median / max)', `${report.medianSteps} / ${report.maxSteps}`],
    ['L∞ (mean / max, levels)', `${report.meanLinf.toFixed(2)} / ${report.maxLinf}`],
    ['L2 (mean / max, pixels in [0, 1])', `${report.meanL2.toFixed(3)} / ${report.maxL2.toFixed(3)}`],
    ['Largest change relative to the pixel', pct(report.maxRelative)],
    ['Every saved pixel within the rule', report.allWithinBound ? 'yes' : 'no'],
    ['Time', `${report.msPerImage.toFixed(0)} ms per image · ${report.msPerStep.toFixed(1)} ms per image-step`],
  ];
  return (
    <section aria-label="Batch fooling report" className="card">
      <h3>Batch: {report.ruleText}</h3>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button onClick={() => downloadBytes(zip, `adversarial-${report.settings.attack}-${report.images}.zip`, 'application/zip')}>
        Download adversarial set (zip)
      </button>
    </section>
  );
}
