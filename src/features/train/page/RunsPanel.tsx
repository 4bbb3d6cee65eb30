/** Stored runs: status, checkpoint, resume, evaluate, delete; and the evaluation report. */
import { useState } from 'react';
import { evaluateRun, removeRun, startTraining } from '../../../store/actions';
import { useLab } from '../../../store/labStore';
import { PixelImage } from '../../../ui/PixelImage';
import { useRunsTrainingElsewhere } from '../../../ui/useRunsTrainingElsewhere';
import type { RunRecord } from '../../../store/records';
import { errorMessage } from '../../../shared/errorMessage';
import type { SplitName } from '../../../shared/protocol';
import { JobProgress } from '../../../ui/JobProgress';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import { Tooltip } from '../../../ui/Tooltip';

/**
 * A run stored as running/paused but not trained by this tab is either being trained by another tab (its Web
 * Lock is held) or was cut off (reload, closed tab, crash).
 */
function displayStatus(run: RunRecord, activeRunId: string | null, elsewhere: Set<string>): string {
  if ((run.status === 'running' || run.status === 'paused') && run.id !== activeRunId) {
    return elsewhere.has(run.id) ? 'training in another tab' : 'interrupted';
  }
  return run.status;
}

export function RunsPanel() {
  const { runs, training, evaluation, datasets } = useLab();
  const elsewhere = useRunsTrainingElsewhere();
  const [runError, setRunError] = useState<string | null>(null);
  const busy = training.status !== 'idle';
  const classNamesOf = (datasetId: string) => datasets.find((d) => d.id === datasetId)?.classNames ?? [];
  const evalRun = evaluation.result ? runs.find((r) => r.id === evaluation.result?.runId) : undefined;
  const names = evalRun ? classNamesOf(evalRun.datasetId) : [];
  const job = useWorkerJob();
  const evaluate = (runId: string, split: SplitName) =>
    job.run(`Evaluating on the ${split} set`, ({ signal, progress }) =>
      evaluateRun(runId, split, { signal, onProgress: (p) => progress(p.done, p.total) }),
    );
  return (
    <section className="card" aria-label="Runs">
      <h3>Runs</h3>
      {runs.length === 0 && <p>No runs yet.</p>}
      {runError && <p role="alert">{runError}</p>}
      <table className="runs">
        <tbody>
          {runs.map((run) => {
            const status = displayStatus(run, training.runId, elsewhere);
            const last = run.epochs[run.epochs.length - 1];
            return (
              <tr key={run.id} data-testid="run-row" data-status={status}>
                <td>{new Date(run.createdAt).toLocaleString()}</td>
                <td>
                  {run.config.architecture}
                  {run.config.classWeights && (
                    <div>
                      <Tooltip text="Class weights of this run's loss, one per person">
                        <span tabIndex={0}>weights {run.config.classWeights.map((w) => w.toFixed(2)).join(' / ')}</span>
                      </Tooltip>
                    </div>
                  )}
                </td>
                <td>
                  {status} · epoch {run.epochsDone}/{run.config.epochs}
                  {run.error && (status === 'failed' || status === 'stopped') && (
                    <div className="run-error">{run.error}</div>
                  )}
                </td>
                <td>{run.checkpointEpoch ? `checkpoint: epoch ${run.checkpointEpoch}` : 'no checkpoint'}</td>
                <td>{last ? `test acc. ${last.testAccuracy.toFixed(3)}` : ''}</td>
                <td>{run.backend}</td>
                <td>
                  {run.epochsDone < run.config.epochs &&
                    status !== 'running' &&
                    status !== 'paused' &&
                    status !== 'training in another tab' && (
                      <button disabled={busy} onClick={() => void startTraining(run.id)}>
                        Resume
                      </button>
                    )}
                  {run.checkpointEpoch !== null && (
                    <>
                      <button
                        disabled={busy || evaluation.loading || job.busy}
                        onClick={() => void evaluate(run.id, 'test')}
                      >
                        Evaluate test
                      </button>
                      <button
                        disabled={busy || evaluation.loading || job.busy}
                        onClick={() => void evaluate(run.id, 'validation')}
                      >
                        Evaluate validation
                      </button>
                    </>
                  )}
                  <Tooltip
                    text={
                      status === 'training in another tab'
                        ? 'Another tab is training this run: stop it there first.'
                        : undefined
                    }
                  >
                    <button
                      disabled={busy || status === 'training in another tab'}
                      onClick={() => {
                        setRunError(null);
                        removeRun(run.id).catch((err: unknown) => setRunError(errorMessage(err)));
                      }}
                      aria-label="Delete run"
                    >
                      Delete
                    </button>
                  </Tooltip>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <JobProgress job={job.job} cancelled={job.cancelled} onCancel={job.cancel} />
      {evaluation.error && <p role="alert">{evaluation.error}</p>}
      {evaluation.result && (
        <div aria-label="Evaluation" className="evaluation">
          <h4>
            {evaluation.result.split} set: accuracy {(evaluation.result.accuracy * 100).toFixed(1)} % on{' '}
            {evaluation.result.count} images, loss {evaluation.result.loss.toFixed(4)}
          </h4>
          <table aria-label="Confusion matrix">
            <thead>
              <tr>
                <th>true \ predicted</th>
                {evaluation.result.confusion.map((_, j) => (
                  <th key={j}>{names[j] ?? j}</th>
                ))}
                <th>class accuracy</th>
              </tr>
            </thead>
            <tbody>
              {evaluation.result.confusion.map((row, i) => (
                <tr key={i}>
                  <th>{names[i] ?? i}</th>
                  {row.map((v, j) => (
                    <td key={j} className="num">
                      {v}
                    </td>
                  ))}
                  <td className="num">{(evaluation.result!.perClassAccuracy[i] * 100).toFixed(1)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h4>Misclassified ({evaluation.result.misclassified.length} most confident shown)</h4>
          <div className="grid">
            {evaluation.result.misclassified.map((m) => (
              <figure key={m.index}>
                <PixelImage
                  pixels={m.pixels}
                  label={`Image ${m.index}: ${names[m.label]} taken for ${names[m.predicted]}`}
                />
                <figcaption>
                  {names[m.label]} → {names[m.predicted]} {(m.confidence * 100).toFixed(0)} %
                </figcaption>
              </figure>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
