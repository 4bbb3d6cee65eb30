/**
 * The paper's §7 comparison in one table: people before and after manipulation (pooled over the chosen
 * surveys, 95 % Wilson intervals) beside the CNN on the same pairs — the paper's 60.0 % → 58.45 % for people
 * against 99 % → 1 % for the network. The network's 99 % → 1 % is its classification of the shown faces; its
 * same/different answers barely move when every face of a two-person pair is flipped (both faces of a "same"
 * pair flip together), so both are shown.
 */
import { useEffect, useState } from 'react';
import { resultsOfSurveys } from '../../../store/surveyRecords';
import { cnnOnPairs } from '../shared/cnnPairs';
import { summarize, wilsonInterval, type Interval } from '../shared/stats';
import type { ParticipantResult, SurveyKit } from '../shared/types';

const pct = (p: number) => (Number.isFinite(p) ? `${(p * 100).toFixed(1)} %` : '—');
const ci = (a: Interval) => (Number.isFinite(a.p) ? `${pct(a.p)} (${pct(a.lo)}–${pct(a.hi)})` : '—');

export function ConditionComparison({ surveys }: { surveys: SurveyKit[] }) {
  const [chosen, setChosen] = useState<string[]>([]);
  const [results, setResults] = useState<ParticipantResult[]>([]);
  useEffect(() => {
    let live = true;
    void resultsOfSurveys(chosen).then((all) => live && setResults(all));
    return () => {
      live = false;
    };
  }, [chosen, surveys]);
  const summary = summarize(results);
  const kits = surveys.filter((k) => chosen.includes(k.id));
  const cnn = (condition: SurveyKit['condition']) => {
    const parts = kits.filter((k) => k.condition === condition).map(cnnOnPairs);
    const correct = parts.reduce((n, p) => n + p.correct, 0);
    const trials = parts.reduce((n, p) => n + p.trials, 0);
    return wilsonInterval(correct, trials);
  };
  /** The CNN's classification accuracy on the faces shown in the pairs. */
  const cnnClass = (condition: SurveyKit['condition']) => {
    let correct = 0;
    let n = 0;
    for (const k of kits.filter((x) => x.condition === condition)) {
      const shown = new Set(k.pairs.flatMap((p) => [p.a, p.b]));
      for (const im of k.images) {
        if (!shown.has(im.id)) continue;
        n++;
        if (k.cnnPredictions[im.id] === im.label) correct++;
      }
    }
    return wilsonInterval(correct, n);
  };
  if (surveys.length < 2) return null;
  return (
    <section className="card" aria-label="Before and after manipulation">
      <h3>People and the CNN, before and after manipulation</h3>
      <p>Choose surveys to pool (e.g. a “pre” and a “post” survey made from the same model):</p>
      {surveys.map((k) => (
        <label key={k.id} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(k.id)}
            onChange={(e) => setChosen(e.target.checked ? [...chosen, k.id] : chosen.filter((c) => c !== k.id))}
          />{' '}
          {k.name} ({k.condition}, {k.pairs.length} pairs)
        </label>
      ))}
      {kits.length > 0 && (
        <table aria-label="Accuracy by condition">
          <thead>
            <tr>
              <th>Condition</th>
              <th>People (participants, trials)</th>
              <th>People: accuracy (95 % CI)</th>
              <th>CNN, same/different on the same pairs (95 % CI)</th>
              <th>CNN, classifying the shown faces (95 % CI)</th>
            </tr>
          </thead>
          <tbody>
            {summary.conditions.map((c) => (
              <tr key={c.condition}>
                <th scope="row">{c.condition === 'pre' ? 'pre: originals' : 'post: modified'}</th>
                <td>
                  {c.participants}, {c.trials}
                </td>
                <td>{ci(c.accuracy)}</td>
                <td>{ci(cnn(c.condition))}</td>
                <td data-testid={`cnn-class-${c.condition}`}>{ci(cnnClass(c.condition))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
