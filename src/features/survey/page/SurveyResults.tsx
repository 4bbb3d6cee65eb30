/**
 * Results of one survey: people's accuracy per condition with 95 % Wilson intervals, per participant and by
 * "seen before"; the CNN answering the same pairs; the features table; how well the display time was met;
 * and every trial as CSV / JSON.
 */
import { useMemo } from 'react';
import { cnnOnPairs } from '../shared/cnnPairs';
import { featureCounts, summarize, timingSummary, type Interval } from '../shared/stats';
import type { ParticipantResult, SurveyKit } from '../shared/types';
import { csvText } from '../../../shared/csv';
import { downloadBytes } from '../../../ui/download';
import { PeopleVsNetwork } from './PeopleVsNetwork';

const pct = (p: number) => (Number.isFinite(p) ? `${(p * 100).toFixed(1)} %` : '—');
const ci = (a: Interval) => (Number.isFinite(a.p) ? `${pct(a.p)} (95 % CI ${pct(a.lo)}–${pct(a.hi)})` : '—');

function trialsCsv(kit: SurveyKit, results: ParticipantResult[]): string {
  const head = [
    'kit',
    'participant',
    'condition',
    'seen_before',
    'pair',
    'same',
    'answer',
    'correct',
    'shown_ms',
    'target_ms',
    'frame_ms',
    'overran',
    'response_ms',
    'cnn_same',
  ];
  // Ids and answers come from imported result files: csvText quotes them and neutralises formulas (issue 18).
  const rows = results.flatMap((r) =>
    r.trials.map((t) => {
      const pair = kit.pairs[t.pairIndex];
      const cnnSame = pair ? kit.cnnPredictions[pair.a] === kit.cnnPredictions[pair.b] : '';
      return [
        kit.id,
        r.participantId,
        r.condition,
        r.seenBefore,
        t.pairIndex,
        t.same,
        t.answer,
        t.correct,
        t.shownMs.toFixed(2),
        t.targetMs,
        t.frameMs.toFixed(2),
        t.overran,
        t.responseMs.toFixed(0),
        cnnSame,
      ];
    }),
  );
  return csvText([head, ...rows]);
}

export function SurveyResults({
  kit,
  results,
  modelHere,
}: {
  kit: SurveyKit;
  results: ParticipantResult[];
  modelHere: boolean;
}) {
  const summary = useMemo(() => summarize(results), [results]);
  const features = useMemo(() => featureCounts(results), [results]);
  const timing = useMemo(() => timingSummary(results.flatMap((r) => r.trials)), [results]);
  const cnn = useMemo(() => cnnOnPairs(kit), [kit]);
  const condition = summary.conditions.find((c) => c.condition === kit.condition)!;
  return (
    <section className="card" aria-label="Survey results">
      <h3>
        Results: {kit.name} ({kit.condition === 'pre' ? 'originals' : 'modified images'})
      </h3>
      <table aria-label="Accuracy">
        <tbody>
          <tr>
            <th scope="row">
              People ({condition.participants} participants, {condition.trials} trials)
            </th>
            <td data-testid="people-accuracy">{ci(condition.accuracy)}</td>
          </tr>
          <tr>
            <th scope="row">CNN on the same {cnn.trials} pairs</th>
            <td data-testid="cnn-accuracy">
              {pct(cnn.accuracy)} (95 % CI {pct(cnn.ci.lo)}–{pct(cnn.ci.hi)})
            </td>
          </tr>
          {summary.bySeenBefore
            .filter((g) => g.condition === kit.condition && g.participants > 0)
            .map((g) => (
              <tr key={String(g.seenBefore)}>
                <th scope="row">
                  Had seen them before: {g.seenBefore === null ? 'no answer' : g.seenBefore ? 'yes' : 'no'}
                </th>
                <td>{ci(g.accuracy)}</td>
              </tr>
            ))}
          <tr>
            <th scope="row">Display time met (within one frame)</th>
            <td data-testid="timing">
              {timing.withinOneFrame} of {timing.trials} trials ({pct(timing.share)}), median{' '}
              {timing.medianShownMs.toFixed(1)} ms for {kit.displayMs} ms, {timing.overran} overran
            </td>
          </tr>
        </tbody>
      </table>
      <h4>Per participant</h4>
      <ul>
        {summary.participants.map((p) => (
          <li key={p.participantId}>
            {p.participantId}: {p.correct}/{p.trials} ({pct(p.accuracy)})
          </li>
        ))}
      </ul>
      <table aria-label="Features used">
        <thead>
          <tr>
            <th>Feature</th>
            <th>Participants</th>
          </tr>
        </thead>
        <tbody>
          {features.rows.map((r) => (
            <tr key={r.feature}>
              <td>{r.feature}</td>
              <td>{r.count}</td>
            </tr>
          ))}
          <tr>
            <td>other (free text)</td>
            <td>{features.other}</td>
          </tr>
        </tbody>
      </table>
      {kit.runId && modelHere ? (
        <PeopleVsNetwork runId={kit.runId} features={features} participants={results.length} />
      ) : (
        <p>
          The model this survey was built from is not in this browser, so the network's side of the features table is
          not available here.
        </p>
      )}
      <div className="controls">
        <button
          onClick={() =>
            downloadBytes(new TextEncoder().encode(trialsCsv(kit, results)), `${kit.id}-trials.csv`, 'text/csv')
          }
        >
          Download trials CSV
        </button>
        <button
          onClick={() =>
            downloadBytes(
              new TextEncoder().encode(JSON.stringify(results, null, 1)),
              `${kit.id}-results.json`,
              'application/json',
            )
          }
        >
          Download results JSON
        </button>
      </div>
    </section>
  );
}
