/**
 * Survey page (paper §7–§8): build a timed same/different survey from a trained run, run it in kiosk mode,
 * export it as a kit for another device and merge the results that come back, see people and the CNN side by
 * side, and export the last layer's activations.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { DEFAULT_ATTACK } from '../../fool/shared/attackSettings';
import {
  checkResultAgainstKit,
  kitFromJson,
  kitToJson,
  mergeResults,
  resultFromJson,
  resultToJson,
} from '../shared/kitFile';
import type { ParticipantResult, SurveyCondition, SurveyKit } from '../shared/types';
import { useLab } from '../../../store/labStore';
import {
  getSurvey,
  listSurveys,
  putResult,
  putResults,
  putSurvey,
  replaceSurvey,
  resultsOfSurvey,
} from '../../../store/surveyRecords';
import { downloadBytes } from '../../../ui/download';
import { ConditionComparison } from './ConditionComparison';
import { LastLayerPanel } from './LastLayerPanel';
import { SurveyKiosk } from './SurveyKiosk';
import { SurveyResults } from './SurveyResults';
import { RunPicker } from '../../../ui/RunPicker';
import { NoModelYet } from '../../../ui/NoModelYet';
import { useBusyWork } from '../../../ui/useBusyWork';
import { JobProgress } from '../../../ui/JobProgress';
import { useWorkerJob } from '../../../ui/useWorkerJob';
import { errorMessage } from '../../../shared/errorMessage';

const text = (s: string) => new TextEncoder().encode(s);

export function SurveyPage() {
  const allRuns = useLab((s) => s.runs);
  const runs = useMemo(() => allRuns.filter((r) => r.checkpointEpoch !== null), [allRuns]);
  const demoRunId = useLab((s) => s.demo.runId);
  const [runId, setRunId] = useState('');
  const selected = runId || (runs.some((r) => r.id === demoRunId) ? demoRunId! : runs[0]?.id) || '';
  const [form, setForm] = useState({
    name: 'Lookalike survey',
    trainPerClass: 20,
    pairs: 20,
    displayMs: 450,
    condition: 'pre' as SurveyCondition,
    seed: 1,
  });
  const [surveys, setSurveys] = useState<SurveyKit[]>([]);
  const [openKit, setOpenKit] = useState<SurveyKit | null>(null);
  const [results, setResults] = useState<ParticipantResult[]>([]);
  const [kiosk, setKiosk] = useState<SurveyKit | null>(null);
  const [finished, setFinished] = useState<ParticipantResult | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [clash, setClash] = useState<{ kit: SurveyKit; stored: SurveyKit; results: number } | null>(null);
  const { busy: storing, setBusy, error: storeError, run: work } = useBusyWork(() => setNote(null));
  // Building a kit is the long job: progress and Cancel; the kit is stored only once it is whole.
  const building = useWorkerJob();
  const busy = storing || building.busy;
  const error = building.error ?? storeError;

  const refresh = useCallback(async (kitId?: string) => {
    const list = await listSurveys();
    setSurveys(list);
    useLab.setState({ surveyCount: list.length });
    if (kitId) {
      setOpenKit((await getSurvey(kitId)) ?? null);
      setResults(await resultsOfSurvey(kitId));
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const create = () =>
    building.run('Building the survey', async ({ call }) => {
      setNote(null);
      const kit = await call('buildSurvey', { runId: selected, ...form, attack: { ...DEFAULT_ATTACK, rule: 'range' } });
      await putSurvey(kit);
      await refresh(kit.id);
      setNote(`Survey “${kit.name}” saved: ${kit.training.length} training faces, ${kit.pairs.length} pairs.`);
    });

  const importKit = (file: File) =>
    work(async () => {
      const kit = kitFromJson(await file.text()); // throws on an invalid kit: nothing is stored
      const stored = await getSurvey(kit.id);
      if (stored && kitToJson(stored) !== kitToJson(kit)) {
        // Same id, other content: never replace silently (its results answer the old pairs).
        setClash({ kit, stored, results: (await resultsOfSurvey(kit.id)).length });
        return;
      }
      await putSurvey(kit);
      await refresh(kit.id);
      setNote(stored ? `Survey kit “${kit.name}” is already here, unchanged.` : `Imported survey kit “${kit.name}”.`);
    });

  const settleClash = (choice: 'replace' | 'keep-both') =>
    work(async () => {
      if (!clash) return;
      let kit = clash.kit;
      if (choice === 'replace') {
        const removed = await replaceSurvey(kit);
        setNote(
          `Replaced survey “${clash.stored.name}” by “${kit.name}”${removed ? `; its ${removed} result(s) were deleted` : ''}.`,
        );
      } else {
        kit = { ...kit, id: `${kit.id}-copy-${Date.now().toString(36)}`, name: `${kit.name} (copy)` };
        await putSurvey(kit);
        setNote(
          `Imported “${kit.name}” beside the stored one (result files made with it must be merged into the original).`,
        );
      }
      setClash(null);
      await refresh(kit.id);
    });

  const importResults = (files: FileList) =>
    work(async () => {
      if (!openKit) throw new Error('Open a survey first: results are merged into the open survey.');
      const incoming = await Promise.all(Array.from(files, async (f) => resultFromJson(await f.text())));
      const foreign = incoming.filter((r) => r.kitId !== openKit.id);
      if (foreign.length)
        throw new Error(`${foreign.length} file(s) belong to another survey (kit ${foreign[0].kitId}).`);
      for (const r of incoming) checkResultAgainstKit(openKit, r); // a pair index the kit lacks, a wrong answer key: nothing merged
      const { merged, added, duplicates } = mergeResults(results, incoming);
      await putResults(merged.slice(results.length));
      await refresh(openKit.id);
      setNote(
        `Merged ${added} result(s)${duplicates.length ? `; ${duplicates.length} duplicate participant(s) skipped: ${duplicates.join(', ')}` : ''}.`,
      );
    });

  if (kiosk) {
    return (
      <SurveyKiosk
        kit={kiosk}
        onExit={() => setKiosk(null)}
        onFinish={(r) => {
          void (async () => {
            await putResult(r);
            setKiosk(null);
            setFinished(r);
            await refresh(r.kitId);
          })();
        }}
      />
    );
  }

  return (
    <div className="page">
      <h2>Survey</h2>
      {finished && (
        <section className="card" role="status" aria-label="Participant finished">
          Thank you! Result of {finished.participantId} saved in this browser.{' '}
          <button
            onClick={() =>
              downloadBytes(
                text(resultToJson(finished)),
                `result-${finished.kitId}-${finished.participantId}.json`,
                'application/json',
              )
            }
          >
            Download this result file
          </button>{' '}
          (for the experimenter, when the survey ran on another device)
        </section>
      )}
      <section className="card controls" aria-label="New survey">
        <h3>New survey from a trained model</h3>
        {runs.length === 0 ? (
          <NoModelYet inline page="survey" why="the survey uses its test faces, and its answers for the CNN column" />
        ) : (
          <>
            <RunPicker runs={runs} value={selected} onChange={setRunId} />
            <label>
              Survey name <input value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            </label>
            <label>
              Training faces per person{' '}
              <input
                type="number"
                min={1}
                max={100}
                value={form.trainPerClass}
                onChange={(e) => setForm({ ...form, trainPerClass: Number(e.target.value) })}
              />
            </label>
            <label>
              Test pairs{' '}
              <input
                type="number"
                min={2}
                max={400}
                value={form.pairs}
                onChange={(e) => setForm({ ...form, pairs: Number(e.target.value) })}
              />
            </label>
            <label>
              Display time (ms){' '}
              <input
                type="number"
                min={16}
                max={5000}
                value={form.displayMs}
                onChange={(e) => setForm({ ...form, displayMs: Number(e.target.value) })}
              />
            </label>
            <label>
              Condition{' '}
              <select
                value={form.condition}
                onChange={(e) => setForm({ ...form, condition: e.target.value as SurveyCondition })}
              >
                <option value="pre">pre: original faces</option>
                <option value="post">post: faces modified by the paper's attack</option>
              </select>
            </label>
            <label>
              Seed{' '}
              <input
                type="number"
                min={0}
                value={form.seed}
                onChange={(e) => setForm({ ...form, seed: Number(e.target.value) })}
              />
            </label>
            <button className="primary" disabled={busy} onClick={() => void create()}>
              Create survey
            </button>
          </>
        )}
      </section>
      {storing && <p role="status">Working…</p>}
      <JobProgress job={building.job} cancelled={building.cancelled} onCancel={building.cancel} />
      {note && <p role="status">{note}</p>}
      {error && <p role="alert">{error}</p>}
      <section className="card" aria-label="Surveys">
        <h3>Surveys in this browser</h3>
        <label>
          Open a survey kit file{' '}
          <input
            type="file"
            accept=".json,application/json"
            onChange={(e) => e.target.files?.[0] && void importKit(e.target.files[0])}
          />
        </label>
        {clash && (
          <div role="alertdialog" aria-label="Survey already stored" className="card">
            <p>
              A survey with this id is already stored: “{clash.stored.name}” ({clash.stored.pairs.length} pairs,{' '}
              {clash.results} result(s)). The file's “{clash.kit.name}” has other content.
            </p>
            <button onClick={() => void settleClash('replace')}>
              Replace it{clash.results ? ` (deletes its ${clash.results} result(s))` : ''}
            </button>{' '}
            <button onClick={() => void settleClash('keep-both')}>Keep both</button>{' '}
            <button onClick={() => setClash(null)}>Cancel</button>
          </div>
        )}
        <ul className="list">
          {surveys.map((k) => (
            <li key={k.id}>
              <strong>{k.name}</strong> · {k.condition} · {k.pairs.length} pairs · {k.displayMs} ms{' '}
              <RunSurveyButton kit={k} onRun={() => setKiosk(k)} />{' '}
              <button onClick={() => void refresh(k.id)}>Results</button>{' '}
              <button onClick={() => downloadBytes(text(kitToJson(k)), `${k.id}.survey.json`, 'application/json')}>
                Export kit
              </button>
            </li>
          ))}
        </ul>
      </section>
      {openKit && (
        <>
          <section className="card">
            <label>
              Merge returned result files{' '}
              <input
                type="file"
                multiple
                accept=".json,application/json"
                onChange={(e) => e.target.files && void importResults(e.target.files)}
              />
            </label>
          </section>
          <SurveyResults kit={openKit} results={results} modelHere={runs.some((r) => r.id === openKit.runId)} />
        </>
      )}
      <ConditionComparison surveys={surveys} />
      <LastLayerPanel runId={selected} busy={busy} setBusy={setBusy} />
    </div>
  );
}

/** A stored kit the kiosk cannot run (stored before kits were checked on import) says why instead of crashing it. */
function RunSurveyButton({ kit, onRun }: { kit: SurveyKit; onRun: () => void }) {
  const problem = useMemo(() => {
    try {
      kitFromJson(kitToJson(kit));
      return null;
    } catch (err) {
      return errorMessage(err);
    }
  }, [kit]);
  return problem ? <span role="note">Cannot run: {problem}</span> : <button onClick={onRun}>Run survey</button>;
}
