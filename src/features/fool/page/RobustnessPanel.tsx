/**
 * Beyond one budget: success rate against the budget for the chosen attack (a security curve), and transfer
 * of adversarial images made against this model to another model trained on the same data.
 *
 * A run another tab is training (its Web Lock is held there) is not compared with (issue 18 item 7): its checkpoint
 * is replaced every epoch, so a transfer or report row would describe a model that no longer exists by the time it is
 * read, under the label of whichever epoch this tab last saw. Transfer is refused while either model trains elsewhere;
 * the report leaves such runs out and says so (and is refused when this page's own model trains elsewhere).
 */
import { useState } from 'react';
import type { RunRecord } from '../../../store/records';
import type { AttackSettings } from '../shared/attackSettings';
import { DEFAULT_ATTACK } from '../shared/attackSettings';
import { attackKind } from '../shared/attackKinds';
import type { SplitName } from '../../../shared/protocol';
import type { BudgetCurve, RobustnessRow, TransferReport } from '../shared/protocol';
import { LineChart } from '../../../ui/LineChart';
import { RunPicker } from '../../../ui/RunPicker';
import { runLabel } from '../../../ui/runLabel';
import { TRAINING_ELSEWHERE } from '../../../ui/useRunsTrainingElsewhere';
import { runsTrainingElsewhere } from '../../../shared/runLock';
import type { JobContext } from '../../../ui/useWorkerJob';
import { CHART } from '../../../ui/chartColors';
import { Tooltip } from '../../../ui/Tooltip';

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

interface Props {
  runId: string;
  runs: RunRecord[];
  /** Runs another tab is training (useRunsTrainingElsewhere, less this tab's own run). */
  elsewhere: ReadonlySet<string>;
  /** The run this tab is training, if any (its lock is ours, not another tab's). */
  ownRunId: string | null;
  split: SplitName;
  perClass: number;
  settings: AttackSettings;
  busy: boolean;
  /** The page's job runner (useWorkerJob): progress, Cancel and the error line. */
  work: (what: string, task: (ctx: JobContext) => Promise<void>) => Promise<unknown>;
}

export function RobustnessPanel({ runId, runs, elsewhere, ownRunId, split, perClass, settings, busy, work }: Props) {
  const budget = attackKind(settings).budget;
  const [budgets, setBudgets] = useState<Record<'paper' | 'linf', string>>({
    paper: '0.5, 1, 1.5, 2, 2.5, 5, 10',
    linf: '1, 2, 4, 6, 8, 16',
  });
  const [curve, setCurve] = useState<BudgetCurve | null>(null);
  const [targetRunId, setTargetRunId] = useState('');
  const [transfer, setTransfer] = useState<TransferReport | null>(null);
  const [report, setReport] = useState<{ images: number; rows: RobustnessRow[]; names: string[] } | null>(null);
  const source = runs.find((r) => r.id === runId);
  const targets = runs.filter((r) => r.id !== runId && r.datasetId === source?.datasetId);
  const target = targetRunId || targets[0]?.id || '';
  const nameOf = (id: string) => {
    const run = runs.find((r) => r.id === id);
    return run ? runLabel(run) : id;
  };
  /** Why comparing `ids` is refused (one of them is trained in another tab), or null. */
  const refusal = (ids: string[], held: ReadonlySet<string> = elsewhere) => {
    const busyElsewhere = ids.find((id) => id && held.has(id));
    if (!busyElsewhere) return null;
    const which = busyElsewhere === runId ? 'This model' : 'The target model';
    return `${which} (${nameOf(busyElsewhere)}) is ${TRAINING_ELSEWHERE}: compare it once it finishes there, or stop it in that tab.`;
  };
  /** The lock state right now (the hook polls once a second), for the moment a comparison starts. */
  const heldNow = async () => new Set([...(await runsTrainingElsewhere())].filter((id) => id !== ownRunId));
  const transferRefused = refusal([runId, target]);
  const reportRefused = refusal([runId]);
  const leftOut = targets.filter((r) => elsewhere.has(r.id));
  const key = budget?.parameter === 'fraction' ? 'paper' : 'linf';
  const values = budgets[key]
    .split(',')
    .map((v) => Number(v.trim()))
    .filter((v) => Number.isFinite(v) && v >= 0);

  return (
    <section className="card" aria-label="Robustness">
      <h3>Success rate against the budget</h3>
      {!budget ? (
        <p>DeepFool has no budget: its result is the smallest change itself (see the batch table's L2).</p>
      ) : (
        <div className="controls">
          <label>
            {budget.label}{' '}
            <input value={budgets[key]} onChange={(e) => setBudgets({ ...budgets, [key]: e.target.value })} />
          </label>
          <button
            disabled={busy || values.length === 0}
            onClick={() =>
              void work('Success rate against the budget', async ({ call }) => {
                setCurve(await call('budgetCurve', { runId, split, perClass, settings, values }));
              })
            }
          >
            Success rate vs budget
          </button>
        </div>
      )}
      {curve && (
        <figure aria-label="Success rate against the budget">
          <LineChart
            title={`${curve.settings.attack} on ${curve.images} correctly classified images`}
            xLabel={curve.parameter === 'fraction' ? 'max change per pixel (%)' : 'ε (levels)'}
            yMin={0}
            yMax={1}
            series={[
              {
                name: 'success rate',
                color: CHART.orange,
                points: curve.points.map((p) => [p.value, p.successRate] as [number, number]),
              },
              {
                name: 'accuracy under attack',
                color: CHART.blue,
                points: curve.points.map((p) => [p.value, p.accuracy] as [number, number]),
              },
            ]}
          />
          <figcaption>
            {curve.points
              .map((p) => `${p.value}: ${pct(p.successRate)} fooled, accuracy ${pct(p.accuracy)}`)
              .join(' · ')}
          </figcaption>
        </figure>
      )}
      <h3>Transfer to another model</h3>
      {targets.length === 0 ? (
        <p>
          Train a second model on the same dataset (another architecture, say) to test whether these images fool it too.
        </p>
      ) : (
        <div className="controls">
          <RunPicker
            runs={targets}
            value={target}
            onChange={setTargetRunId}
            label="Target model"
            elsewhere={elsewhere}
          />
          <button
            disabled={busy || transferRefused !== null}
            onClick={() =>
              void work('Transfer', async ({ call }) => {
                const refused = refusal([runId, target], await heldNow());
                if (refused) throw new Error(refused);
                setTransfer(
                  await call('transfer', { sourceRunId: runId, targetRunId: target, split, perClass, settings }),
                );
              })
            }
          >
            Transfer
          </button>
          {transferRefused && (
            <p role="alert" aria-label="Transfer refused">
              {transferRefused}
            </p>
          )}
        </div>
      )}
      <h3>Robustness report (defence)</h3>
      <p>
        Clean accuracy and accuracy under FGSM and PGD (ε = {settings.epsilon} levels, untargeted) and the paper's
        attack, for this model and every other model on the same dataset — train one with “Adversarial training” on the
        Train page to compare.
      </p>
      {reportRefused && (
        <p role="alert" aria-label="Robustness report refused">
          {reportRefused}
        </p>
      )}
      {!reportRefused && leftOut.length > 0 && (
        <p role="note" aria-label="Left out of the report">
          Not in the report: {leftOut.map((r) => runLabel(r)).join('; ')} ({TRAINING_ELSEWHERE}).
        </p>
      )}
      <button
        disabled={busy || reportRefused !== null}
        onClick={() =>
          void work('Robustness report', async ({ call }) => {
            const held = await heldNow();
            const refused = refusal([runId], held);
            if (refused) throw new Error(refused);
            const runIds = [runId, ...targets.filter((r) => !held.has(r.id)).map((r) => r.id)].slice(0, 4);
            const attacks: AttackSettings[] = [
              { ...DEFAULT_ATTACK, attack: 'fgsm', targeted: false, epsilon: settings.epsilon },
              {
                ...DEFAULT_ATTACK,
                attack: 'pgd',
                targeted: false,
                epsilon: settings.epsilon,
                stepSize: Math.max(0.5, settings.epsilon / 4),
                maxSteps: 10,
              },
              { ...DEFAULT_ATTACK, rule: settings.rule, fraction: settings.fraction },
            ];
            const r = await call('robustness', { runIds, split, count: perClass * 2, attacks });
            setReport({ ...r, names: ['FGSM', 'PGD', 'Paper §5'] });
          })
        }
      >
        Robustness report
      </button>
      {report && (
        <table aria-label="Robustness report">
          <thead>
            <tr>
              <th>Model ({report.images} images)</th>
              <th>clean</th>
              {report.names.map((n, i) => {
                // The column's rule in words (the same for every row), on its header rather than on each cell.
                const rule = report.rows[0]?.underAttack[i]?.ruleText;
                return (
                  <th key={n}>
                    {rule ? (
                      <Tooltip text={rule}>
                        <span tabIndex={0}>{n}</span>
                      </Tooltip>
                    ) : (
                      n
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {report.rows.map((row) => {
              const run = runs.find((r) => r.id === row.runId);
              const adv = run?.config.adversarial;
              return (
                <tr key={row.runId}>
                  <th scope="row">
                    {run?.config.architecture ?? row.runId} ·{' '}
                    {adv ? `adversarial ε ${adv.epsilon}, share ${adv.ratio}` : 'ordinary training'}
                  </th>
                  <td>{pct(row.clean)}</td>
                  {row.underAttack.map((a, i) => (
                    <td key={i}>{pct(a.accuracy)}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {transfer && (
        <p data-testid="transfer-report">
          {transfer.images} images correct for both models: the attack fooled this model on{' '}
          {pct(transfer.sourceSuccess)}; the same saved images make the target model err on {pct(transfer.targetFooled)}{' '}
          (its accuracy {pct(transfer.targetAccuracyBefore)} → {pct(transfer.targetAccuracyAfter)}).
        </p>
      )}
    </section>
  );
}
