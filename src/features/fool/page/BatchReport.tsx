/** The paper's §5 experiment as a table: success rate before and after saving, steps, norms, accuracy before → after. */
import { attackKind } from '../shared/attackKinds';
import { classifyOutcome, classifyUntargeted, failureReason } from '../shared/outcome';
import type { FoolBatchReport } from '../shared/protocol';
import { downloadBytes } from '../../../ui/download';
import { plural } from '../../../shared/plural';

const pct = (p: number) => (Number.isFinite(p) ? `${(p * 100).toFixed(1)} %` : 'n/a');

/**
 * Per face: fooled / flipped / not flipped (the success rule's threshold, or arg max for attacks without one),
 * and for each face not fooled why it stopped: bound spent or step limit (issue #16 item 7).
 */
export function batchOutcomes(report: FoolBatchReport) {
  const s = report.settings;
  const targeted = attackKind(s).targeted(s);
  const threshold = attackKind(s).threshold(s);
  const kinds = report.rows.map((r) =>
    targeted ? classifyOutcome(r.probsAfter, r.target, threshold) : classifyUntargeted(r.probsAfter, r.label),
  );
  const failed = report.rows.filter((_, i) => kinds[i] !== 'fooled');
  const bound = failed.filter((r) => r.atLimit !== undefined && failureReason(r.atLimit) === 'bound').length;
  return {
    targeted,
    threshold,
    fooled: kinds.filter((k) => k === 'fooled').length,
    flipped: kinds.filter((k) => k === 'flipped').length,
    notFlipped: kinds.filter((k) => k === 'not-flipped').length,
    bound,
    steps: failed.length - bound,
  };
}

export function BatchReport({ report, zip }: { report: FoolBatchReport; zip: Uint8Array }) {
  const o = batchOutcomes(report);
  const n = report.images;
  const bar =
    o.threshold > 0
      ? `the target ≥ ${pct(o.threshold)}`
      : !o.targeted
        ? 'away from the true class'
        : 'the target on top';
  const rows: Array<[string, string]> = [
    [
      'Images attacked',
      `${report.images} correctly classified ${report.split} images (model accuracy on the ${report.examined} examined: ${pct(report.modelAccuracy)})`,
    ],
    ['Success rate', `${pct(report.successRate)} fooled (${bar})`],
    [
      'Outcome per face',
      `${o.fooled} fooled · ${o.flipped} flipped (target on top, below ${pct(o.threshold)}) · ${o.notFlipped} not flipped` +
        (o.flipped ? ` — flipped faces count as errors in the accuracy below but not as successes` : ''),
    ],
    [
      'Why faces were not fooled',
      o.fooled === n
        ? 'every face was fooled'
        : `${o.bound} bound reached (half or more of the values that may move sit at their limit) · ${o.steps} step limit (${plural(report.settings.maxSteps, 'step')}) reached first`,
    ],
    ['Success rate after PNG round trip', pct(report.savedSuccessRate)],
    [
      'Accuracy on these images',
      `${pct(report.accuracyBefore)} → ${pct(report.accuracyAfter)} (saved files: ${pct(report.accuracyAfterSaved)})`,
    ],
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
      <button
        onClick={() =>
          downloadBytes(zip, `adversarial-${report.settings.attack}-${report.images}.zip`, 'application/zip')
        }
      >
        Download adversarial set (zip)
      </button>
    </section>
  );
}
