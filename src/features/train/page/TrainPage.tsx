/** Train page: settings, model summary, controls, live charts, runs and evaluation, comparison. */
import { useEffect, useRef } from 'react';
import { hashParams, parseTrainLink, shareUrl, trainLinkParams } from '../../../shared/deepLink';
import { controlTraining, openDemo, setConfig, startTraining } from '../../../store/actions';
import { NextStep } from '../../../ui/NextStep';
import { useLab } from '../../../store/labStore';
import { SummaryTable } from '../../../ui/SummaryTable';
import { splitCountsLine, useSplit } from '../../data/page/useSplit';
import { planTraining, plannedConfig } from '../../../shared/trainingConfig';
import { describeDuration, trainingEta } from '../shared/trainingEta';
import { ComparePanel } from './ComparePanel';
import { ConfigForm } from './ConfigForm';
import { usePresetFit } from './PresetFit';
import { useTrainClassCounts } from './useTrainClassCounts';
import { resolveClassWeights } from '../shared/classWeights';
import { RunsPanel } from './RunsPanel';
import { SweepPanel } from './SweepPanel';
import { TrainingCharts } from './TrainingCharts';
import { copyText } from '../../../ui/copyText';

export function TrainPage() {
  const { training, summary, summaryError, summaryLoading, backend, selectedDatasetId, datasets } = useLab();
  const dataset = datasets.find((d) => d.id === selectedDatasetId);
  const split = useSplit(dataset?.id);
  const busy = training.status !== 'idle';
  const ready = backend.status === 'ready';
  const last = training.batches[training.batches.length - 1];
  // Time left, from the step times measured so far (shown while the run trains).
  const runEpochs = useLab((s) => s.runs.find((r) => r.id === training.runId)?.config.epochs);
  const eta =
    training.status === 'running' && runEpochs
      ? trainingEta(training.batches, training.batchesPerEpoch, runEpochs)
      : null;
  const config = useLab((s) => s.config);
  const demo = useLab((s) => s.demo);
  const fit = usePresetFit();
  // Settings from a link (#/train?arch=…&epochs=…) are applied once; afterwards the URL follows the form.
  const linked = useRef(false);
  useEffect(() => {
    if (linked.current) return;
    linked.current = true;
    const fromLink = parseTrainLink(hashParams(location.hash), config);
    if (fromLink) setConfig(fromLink);
  }, [config]);
  const query = trainLinkParams(config);
  useEffect(() => {
    history.replaceState(null, '', `${location.pathname}${location.search}#/train?${query}`);
  }, [query]);
  // What the run will do on this dataset (trainingConfig.ts, planTraining): the worker gets the planned config.
  const trainCount = split?.counts.train ?? 0;
  const plan = split ? planTraining(config, trainCount) : null;
  // The class weights a new run will use, and why (shared/classWeights.ts); the worker resolves the same.
  const classCounts = useTrainClassCounts(dataset?.id, dataset?.classNames.length ?? 0, split);
  const weighting =
    classCounts && dataset ? resolveClassWeights(config.classWeighting, classCounts, dataset.classNames) : null;
  const link = shareUrl(`${location.origin}${location.pathname}`, 'train', query, false);
  return (
    <div className="page">
      <h2>Train</h2>
      {dataset ? (
        <p data-testid="train-dataset">
          Dataset: {dataset.name} — {split ? splitCountsLine(split) : `${dataset.count} images`}
        </p>
      ) : (
        <NextStep
          title="No dataset yet"
          actions={[
            { label: 'Go to Data', go: 'data' },
            {
              label: demo.status === 'installing' ? 'Installing the demo…' : 'Open the demo',
              go: () => void openDemo('train'),
              disabled: demo.status === 'installing',
            },
          ]}
        >
          <p>
            Add photos or generate the demo set on Data; or open the demo, which comes with a model already trained.
          </p>
        </NextStep>
      )}
      <ConfigForm disabled={busy} fit={fit} />
      {plan && (
        <p role="note" aria-label="Training plan">
          {`Plan: ${plan.epochs} epoch${plan.epochs === 1 ? '' : 's'} × ${plan.batchesPerEpoch} batch${plan.batchesPerEpoch === 1 ? '' : 'es'} of ≤ ${plan.batchSize} = ${plan.steps} optimizer steps on ${trainCount} training images.`}
          {plan.note
            ? ` ${plan.note}`
            : config.autoEpochs
              ? " Enough steps already: the form's settings as they are."
              : ''}
        </p>
      )}
      {weighting && (
        <p role="note" aria-label="Class weights" data-weights={weighting.weights?.join(',') ?? ''}>
          {weighting.reason}
        </p>
      )}
      <p className="controls">
        <label>
          Link to these settings <input readOnly value={link} size={60} onFocus={(e) => e.target.select()} />
        </label>
        <button onClick={() => void copyText(link, 'Link')}>Copy link</button>
      </p>
      <section className="card controls">
        <button
          className="primary"
          disabled={!ready || busy || !dataset || fit?.verdict === 'will-not-fit'}
          onClick={() => void startTraining(undefined, split ? plannedConfig(config, trainCount) : undefined)}
        >
          Train
        </button>
        <button
          disabled={training.status !== 'running' && training.status !== 'paused'}
          onClick={() => controlTraining(training.status === 'paused' ? 'resume' : 'pause')}
        >
          {training.status === 'paused' ? 'Resume' : 'Pause'}
        </button>
        <button
          disabled={training.status !== 'running' && training.status !== 'paused'}
          onClick={() => controlTraining('stop')}
        >
          Stop
        </button>
        <p role="status" aria-label="Training status">
          {training.status === 'idle' && last ? 'finished' : training.status}
          {last &&
            ` · epoch ${last.epoch}, batch ${last.batch}/${training.batchesPerEpoch}, loss ${last.loss.toFixed(4)}`}
          {eta &&
            ` · about ${describeDuration(eta.epochMs)} left in this epoch, ${describeDuration(eta.runMs)} in the run`}
          {training.checkpoint &&
            ` · checkpoint saved: epoch ${training.checkpoint.epoch} (${(training.checkpoint.bytes / 1e6).toFixed(1)} MB in ${training.checkpoint.ms.toFixed(0)} ms)`}
        </p>
        {training.error && <p role="alert">{training.error}</p>}
      </section>
      <TrainingCharts />
      <RunsPanel />
      <ComparePanel />
      <SweepPanel datasetId={dataset?.id ?? null} trainCount={split ? trainCount : null} />
      <section className="card">
        <h3>Model summary</h3>
        {summaryLoading && <p>Building model…</p>}
        {summaryError && <p role="alert">{summaryError}</p>}
        {summary && <SummaryTable summary={summary} />}
        {summary?.name === 'paper' && (
          <p>
            The paper's figure-2 table totals 64,637,762 parameters. Its text adds a second batch norm (placed after
            dense 128, +512) and dropout 0.35 (placed before the softmax).
          </p>
        )}
      </section>
    </div>
  );
}
