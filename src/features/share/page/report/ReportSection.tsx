/**
 * "The paper's study" on the Share page: one button runs the paper's protocol on the current dataset within a
 * time budget (driver: store/study.ts) and the result downloads as a self-contained HTML report and a one-page
 * PNG. On Share rather than a page of its own: the report is something to take away, like an exported model,
 * and the header's steps are the path a person walks (Data → … → Share); the study walks that path by itself,
 * so it belongs at its end instead of as a seventh step. The driver is store-side, so it keeps running (and
 * resumes after a reload) whichever page is open.
 */
import { useEffect, useState } from 'react';
import { DEFAULT_STUDY, allowanceFor, nextStep } from '../../shared/study/plan';
import { buildReportHtml } from '../../shared/study/reportHtml';
import { STUDY_STEPS, STUDY_STEP_TITLES } from '../../shared/study/types';
import { ARCHITECTURES, ARCHITECTURE_LABELS, type Architecture } from '../../../../shared/trainingConfig';
import { errorMessage } from '../../../../shared/errorMessage';
import { useLab } from '../../../../store/labStore';
import { reportInput } from '../../../../store/records';
import { loadLatestStudy, runStudy, stopStudy, useStudy } from '../../../../store/study';
import { downloadBytes } from '../../../../ui/download';
import { summaryPng } from './summaryPng';

const toggle = (list: Architecture[], a: Architecture, on: boolean) =>
  on ? [...list, a] : list.filter((x) => x !== a);

export function ReportSection() {
  const { study, running, error } = useStudy();
  const config = useLab((s) => s.config);
  const ready = useLab((s) => s.backend.status === 'ready');
  const hasDataset = useLab((s) => s.selectedDatasetId !== null);
  const [minutes, setMinutes] = useState(DEFAULT_STUDY.budgetMs / 60_000);
  const [presets, setPresets] = useState<Architecture[]>(DEFAULT_STUDY.comparePresets);
  const [compareEpochs, setCompareEpochs] = useState(DEFAULT_STUDY.compareEpochs);
  const [trainPreset, setTrainPreset] = useState<Architecture>(config.architecture);
  const [trainEpochs, setTrainEpochs] = useState(DEFAULT_STUDY.trainEpochs);
  const [perClass, setPerClass] = useState(DEFAULT_STUDY.attackPerClass);
  const [downloadError, setDownloadError] = useState<string | null>(null);

  useEffect(() => void loadLatestStudy(), []);

  const download = async (kind: 'html' | 'png') => {
    if (!study) return;
    setDownloadError(null);
    try {
      const input = await reportInput(study);
      if (kind === 'html')
        downloadBytes(new TextEncoder().encode(buildReportHtml(input)), 'paper-study-report.html', 'text/html');
      else downloadBytes(await summaryPng(input), 'paper-study-summary.png', 'image/png');
    } catch (err) {
      setDownloadError(errorMessage(err));
    }
  };

  const current = study && running ? nextStep(study) : null;
  return (
    <section className="card" aria-label="The paper's study">
      <h3>The paper&apos;s study, on your data</h3>
      <p>
        Runs the paper&apos;s protocol on the selected dataset with the Train page&apos;s settings: noise bins, the
        architecture comparison, training of one preset, validation, the attack on up to the chosen number of correctly
        classified faces per class, the last-layer export and any survey results. The budget is shared out (noise 10 %,
        comparison 35 %, training 35 %, validation 5 %, attack 10 %, last layer 5 %; time a step leaves unused goes to
        the later ones); a step that reaches its share is stopped and the report says so. It runs unattended and carries
        on after a reload.
      </p>
      <div className="form">
        <label>
          Time budget (minutes)
          <input
            type="number"
            min={1}
            value={minutes}
            disabled={running}
            onChange={(e) => setMinutes(Math.max(1, Number(e.target.value)))}
          />
        </label>
        {ARCHITECTURES.map((a) => (
          <label key={a} className="check">
            <input
              type="checkbox"
              checked={presets.includes(a)}
              disabled={running}
              onChange={(e) => setPresets(toggle(presets, a, e.target.checked))}
            />{' '}
            compare {ARCHITECTURE_LABELS[a]}
          </label>
        ))}
        <label>
          Comparison length (epochs)
          <input
            type="number"
            min={1}
            value={compareEpochs}
            disabled={running}
            onChange={(e) => setCompareEpochs(Math.max(1, Number(e.target.value)))}
          />
        </label>
        <label>
          Preset to train
          <select
            value={trainPreset}
            disabled={running}
            onChange={(e) => setTrainPreset(e.target.value as Architecture)}
          >
            {ARCHITECTURES.map((a) => (
              <option key={a} value={a}>
                {ARCHITECTURE_LABELS[a]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Training length (epochs)
          <input
            type="number"
            min={1}
            value={trainEpochs}
            disabled={running}
            onChange={(e) => setTrainEpochs(Math.max(1, Number(e.target.value)))}
          />
        </label>
        <label>
          Faces attacked per class
          <input
            type="number"
            min={1}
            max={1000}
            value={perClass}
            disabled={running}
            onChange={(e) => setPerClass(Math.max(1, Math.round(Number(e.target.value))))}
          />
        </label>
      </div>
      <p className="controls">
        <button
          className="primary"
          disabled={!ready || running || !hasDataset || presets.length === 0}
          onClick={() =>
            void runStudy({
              ...DEFAULT_STUDY,
              budgetMs: minutes * 60_000,
              config,
              comparePresets: ARCHITECTURES.filter((a) => presets.includes(a)),
              compareEpochs,
              trainPreset,
              trainEpochs,
              attackPerClass: perClass,
            })
          }
        >
          Run the study
        </button>
        <button disabled={!running} onClick={stopStudy}>
          Stop the study
        </button>
        <button disabled={!study || running} onClick={() => void download('html')}>
          Download report (HTML)
        </button>
        <button disabled={!study || running} onClick={() => void download('png')}>
          Download summary (PNG)
        </button>
      </p>
      {!hasDataset && <p>No dataset yet: generate the demo set or import photos on the Data page first.</p>}
      {study && (
        <table aria-label="Study steps">
          <thead>
            <tr>
              <th>step</th>
              <th>status</th>
              <th>allowance</th>
              <th>time</th>
              <th>note</th>
            </tr>
          </thead>
          <tbody>
            {STUDY_STEPS.map((s) => {
              const st = study.steps[s];
              const allowance = st.allowanceMs ?? (st.status === 'pending' ? allowanceFor(study, s) : undefined);
              return (
                <tr key={s} data-step={s} data-status={st.status}>
                  <td>{STUDY_STEP_TITLES[s]}</td>
                  <td>{s === current ? 'running' : st.status}</td>
                  <td className="num">{allowance !== undefined ? `${(allowance / 1000).toFixed(0)} s` : '—'}</td>
                  <td className="num">{st.ms !== undefined ? `${(st.ms / 1000).toFixed(1)} s` : '—'}</td>
                  <td>{st.note ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {study && (
        <p role="status" aria-label="Study progress">
          {running
            ? `Running: ${current ? STUDY_STEP_TITLES[current] : 'finishing'}`
            : study.stoppedByUser
              ? 'The study was stopped: its report says which steps ran. Run the study to start it again.'
              : study.finished
                ? 'The study is finished: download its report.'
                : 'The study is paused: it resumes when the app reloads.'}
        </p>
      )}
      {(error || downloadError) && <p role="alert">{error ?? downloadError}</p>}
    </section>
  );
}
