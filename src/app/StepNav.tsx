/**
 * The guided path in the header: the six pages as numbered steps, each with its state from the store
 * (stepStates.ts). A link's name is the step's name ("Data", "Train", …: what people and tests look for; the
 * state is outside the link, so its visible text is its whole name) and its state is the link's description,
 * so a screen reader hears both.
 */
import { useMemo } from 'react';
import { useLab } from '../store/labStore';
import { stepStates, type StepName } from './stepStates';

export function StepNav({ pages, current }: { pages: readonly StepName[]; current: StepName }) {
  const datasets = useLab((s) => s.datasets);
  const selectedDatasetId = useLab((s) => s.selectedDatasetId);
  const runs = useLab((s) => s.runs);
  const status = useLab((s) => s.training.status);
  const epoch = useLab((s) => s.training.batches[s.training.batches.length - 1]?.epoch ?? null);
  const surveyCount = useLab((s) => s.surveyCount);
  const states = useMemo(
    () => stepStates({ datasets, selectedDatasetId, runs, training: { status, epoch }, surveyCount }),
    [datasets, selectedDatasetId, runs, status, epoch, surveyCount],
  );
  return (
    <nav aria-label="Pages" className="steps">
      <ol>
        {pages.map((p, i) => {
          const state = states[p];
          return (
            <li key={p} className={`${state.ready ? 'step' : 'step waiting'}${p === current ? ' current' : ''}`}>
              <span className="step-number" aria-hidden="true">
                {i + 1}
              </span>
              <span className="step-text">
                {/* The link's text is exactly the step's name; its ::after covers the whole step, so the state is clickable too. */}
                <a
                  href={`#/${p}${location.search}`}
                  aria-current={p === current ? 'page' : undefined}
                  aria-describedby={`step-${p}-state`}
                >
                  {p[0].toUpperCase() + p.slice(1)}
                </a>
                <span className="step-state" id={`step-${p}-state`} data-testid={`step-${p}-state`}>
                  {state.text}
                </span>
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
