/**
 * Hyperparameter sweep (paper §4.2): a grid or seeded random search over dropout, batch size and learning rate,
 * each trial a normal run of the form's other settings, under a trial and a time budget; resumable after a
 * reload; results table, parallel-coordinates plot, and "Use the best".
 */
import { useEffect, useState } from 'react';
import type { RunRecord, SweepRecord } from '../../../store/records';
import { PAPER_GRID, PAPER_RANGES, parseValues, specProblem, type SweepSpec } from '../shared/sweep';
import { useLab } from '../../../store/labStore';
import {
  applyBestTrial,
  bestAccuracy,
  bestOf,
  cancelSweep,
  loadLatestSweep,
  resumeSweep,
  startSweep,
  useSweep,
} from '../../../store/sweep';
import { SweepPlot, type PlotTrial } from './SweepPlot';
import { describeDuration } from '../shared/trainingEta';

const TABLE_ID = 'sweep-results';
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
// Whole seconds from a minute up, tenths below (a budget of seconds is for trying the sweep out).
const duration = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : describeDuration(ms));

function Num(props: {
  label: string;
  value: number;
  onChange: (v: number) => void;
  step?: number | 'any';
  min?: number;
}) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="number"
        value={props.value}
        step={props.step ?? 'any'}
        min={props.min}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />
    </label>
  );
}

export function SweepPanel({ datasetId, trainCount }: { datasetId: string | null; trainCount: number | null }) {
  const { config, training, runs, backend } = useLab();
  const { record, running, error } = useSweep();
  const [mode, setMode] = useState<'grid' | 'random'>('grid');
  const [grid, setGrid] = useState({
    dropouts: PAPER_GRID.dropouts.join(', '),
    batchSizes: PAPER_GRID.batchSizes.join(', '),
    learningRates: '1e-5, 1e-6, 1e-7',
  });
  const [ranges, setRanges] = useState(PAPER_RANGES);
  const [seed, setSeed] = useState(1);
  const [maxTrials, setMaxTrials] = useState(8);
  const [budgetMin, setBudgetMin] = useState(30);
  useEffect(() => void loadLatestSweep(), []);
  // A sweep found after a reload shows its own plan and budgets, so Resume keeps its time budget (not the default).
  const recordId = record?.id;
  useEffect(() => {
    const r = useSweep.getState().record;
    if (!r) return;
    setMaxTrials(r.maxTrials);
    setBudgetMin(r.budgetMs / 60_000);
    setMode(r.spec.mode);
    if (r.spec.mode === 'grid') {
      setGrid({
        dropouts: r.spec.dropouts.join(', '),
        batchSizes: r.spec.batchSizes.join(', '),
        learningRates: r.spec.learningRates.join(', '),
      });
    } else {
      setRanges({ dropout: r.spec.dropout, batchSize: r.spec.batchSize, learningRate: r.spec.learningRate });
      setSeed(r.spec.seed);
    }
  }, [recordId]);

  const spec: SweepSpec =
    mode === 'grid'
      ? {
          mode,
          dropouts: parseValues(grid.dropouts),
          batchSizes: parseValues(grid.batchSizes),
          learningRates: parseValues(grid.learningRates),
        }
      : { mode, ...ranges, seed };
  const problem = specProblem(spec, maxTrials) ?? (budgetMin > 0 ? null : 'Time budget: more than 0 minutes.');
  const busy = running || training.status !== 'idle';
  const canStart = !busy && backend.status === 'ready' && datasetId !== null && problem === null;
  const resumable =
    !running &&
    record !== null &&
    record.status !== 'finished' &&
    record.trials.some((t) => t.status !== 'done' && t.status !== 'failed');
  const best = record ? bestOf(record, runs) : null;

  return (
    <section className="card" aria-label="Hyperparameter sweep">
      <h3>Hyperparameter sweep</h3>
      <p>
        Trains one normal run per trial with the settings above, varying dropout, batch size and learning rate (the
        paper tried dropout 0.2–0.4, batch 32–256, learning rate 1e-5 to 1e-7). No new trial starts once the time budget
        is spent; a trial under way finishes.
      </p>
      <fieldset className="form" disabled={busy}>
        <legend>Search</legend>
        <label className="check">
          <input type="radio" name="sweep-mode" checked={mode === 'grid'} onChange={() => setMode('grid')} /> Grid
        </label>
        <label className="check">
          <input type="radio" name="sweep-mode" checked={mode === 'random'} onChange={() => setMode('random')} /> Random
          (seeded)
        </label>
        {mode === 'grid' ? (
          <>
            <label>
              Dropout values{' '}
              <input value={grid.dropouts} onChange={(e) => setGrid({ ...grid, dropouts: e.target.value })} />
            </label>
            <label>
              Batch sizes{' '}
              <input value={grid.batchSizes} onChange={(e) => setGrid({ ...grid, batchSizes: e.target.value })} />
            </label>
            <label>
              Learning rates{' '}
              <input value={grid.learningRates} onChange={(e) => setGrid({ ...grid, learningRates: e.target.value })} />
            </label>
          </>
        ) : (
          <>
            <Num
              label="Dropout low"
              value={ranges.dropout.min}
              onChange={(min) => setRanges({ ...ranges, dropout: { ...ranges.dropout, min } })}
            />
            <Num
              label="Dropout high"
              value={ranges.dropout.max}
              onChange={(max) => setRanges({ ...ranges, dropout: { ...ranges.dropout, max } })}
            />
            <Num
              label="Batch low"
              value={ranges.batchSize.min}
              step={1}
              onChange={(min) => setRanges({ ...ranges, batchSize: { ...ranges.batchSize, min } })}
            />
            <Num
              label="Batch high"
              value={ranges.batchSize.max}
              step={1}
              onChange={(max) => setRanges({ ...ranges, batchSize: { ...ranges.batchSize, max } })}
            />
            <Num
              label="Learning-rate low"
              value={ranges.learningRate.min}
              onChange={(min) => setRanges({ ...ranges, learningRate: { ...ranges.learningRate, min } })}
            />
            <Num
              label="Learning-rate high"
              value={ranges.learningRate.max}
              onChange={(max) => setRanges({ ...ranges, learningRate: { ...ranges.learningRate, max } })}
            />
            <Num label="Search seed" value={seed} step={1} min={0} onChange={setSeed} />
          </>
        )}
        <Num label="Trial budget" value={maxTrials} step={1} min={1} onChange={setMaxTrials} />
        <Num label="Time budget (minutes)" value={budgetMin} min={0} onChange={setBudgetMin} />
      </fieldset>
      {problem && <p role="alert">{problem}</p>}
      <p className="controls">
        <button
          disabled={!canStart}
          onClick={() =>
            void startSweep({
              spec,
              maxTrials,
              budgetMs: budgetMin * 60_000,
              base: config,
              datasetId: datasetId!,
              trainCount,
            })
          }
        >
          Start sweep
        </button>
        <button
          disabled={!resumable || busy || backend.status !== 'ready'}
          onClick={() => void resumeSweep(budgetMin * 60_000, trainCount)}
        >
          Resume sweep
        </button>
        <button disabled={!running} onClick={cancelSweep}>
          Cancel sweep
        </button>
        <button disabled={!best || busy} onClick={applyBestTrial}>
          Use the best{best ? ` (trial ${best.index + 1})` : ''}
        </button>
      </p>
      {record && (
        <p role="status" aria-label="Sweep status">
          {statusLine(record, running)}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {record && <SweepResults record={record} runs={runs} bestIndex={best?.index ?? -1} />}
    </section>
  );
}

function statusLine(r: SweepRecord, running: boolean): string {
  const done = r.trials.filter((t) => t.status === 'done').length;
  const left = r.trials.filter((t) => t.status === 'waiting').length;
  const spent = `${duration(r.spentMs)} of ${duration(r.budgetMs)} spent`;
  const base = `${done} of ${r.trials.length} trials done · ${spent}`;
  if (running) {
    const current = r.trials.findIndex((t) => t.status === 'running');
    return current >= 0 ? `Running trial ${current + 1} of ${r.trials.length} · ${base}` : `Running · ${base}`;
  }
  switch (r.status) {
    case 'finished':
      return `Finished · ${base}`;
    case 'budget':
      return `Time budget spent: ${left} trial${left === 1 ? '' : 's'} not started · ${base}. Raise the time budget and Resume to run them.`;
    case 'cancelled':
      return `Cancelled · ${base}. Resume continues the stopped trial from its checkpoint.`;
    case 'failed':
      return `Stopped by a failed trial · ${base}. Resume skips it.`;
    default:
      // Stored as running but not running in this tab: the page was reloaded or closed mid-sweep.
      return `Interrupted · ${base}. Resume continues the interrupted trial from its checkpoint.`;
  }
}

function SweepResults({ record, runs, bestIndex }: { record: SweepRecord; runs: RunRecord[]; bestIndex: number }) {
  const rows = record.trials.map((t, i) => {
    const run = t.runId ? runs.find((r) => r.id === t.runId) : undefined;
    // What the run used (the batch size may have been balanced by the small-set recipe), else what is planned.
    const params = run
      ? { dropout: run.config.dropout, batchSize: run.config.batchSize, learningRate: run.config.learningRate }
      : t.params;
    const acc = bestAccuracy(run);
    const bestEpoch = run && acc !== null ? run.epochs.find((m) => m.testAccuracy === acc)!.epoch : null;
    return { i, t, run, params, acc, bestEpoch };
  });
  const plotted: PlotTrial[] = rows.flatMap((r) =>
    r.acc === null ? [] : [{ label: `trial ${r.i + 1}`, ...r.params, accuracy: r.acc, best: r.i === bestIndex }],
  );
  return (
    <>
      <SweepPlot trials={plotted} tableId={TABLE_ID} />
      <table id={TABLE_ID} tabIndex={-1} aria-label="Sweep results" className="epochs">
        <thead>
          <tr>
            <th>trial</th>
            <th>dropout</th>
            <th>batch</th>
            <th>learning rate</th>
            <th>status</th>
            <th>best test accuracy</th>
            <th>epochs</th>
            <th>time</th>
            <th>run</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ i, t, run, params, acc, bestEpoch }) => (
            <tr key={i} data-run-id={t.runId ?? ''} aria-current={i === bestIndex ? 'true' : undefined}>
              <td>
                {i + 1}
                {i === bestIndex ? ' (best)' : ''}
              </td>
              <td>{params.dropout}</td>
              <td>{params.batchSize}</td>
              <td>{params.learningRate}</td>
              <td>{t.status}</td>
              <td>{acc !== null ? `${pct(acc)} (epoch ${bestEpoch})` : '–'}</td>
              <td>{run ? `${run.epochsDone}/${run.config.epochs}` : '–'}</td>
              <td>
                {run && run.epochs.length > 0 ? `${run.epochs.reduce((s, m) => s + m.seconds, 0).toFixed(1)} s` : '–'}
              </td>
              <td>{t.runId ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
